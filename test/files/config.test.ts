import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { signedInUser } from "./support";

describe("file.config", () => {
  it("tells the IDE the server's own file size limit (FILE_MAX_BYTES), not a default copied into the client", async () => {
    const { api } = await signedInUser();
    expect(await api.file.config()).toEqual({ fileMaxBytes: env.FILE_MAX_BYTES });
  });
});
