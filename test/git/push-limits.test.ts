import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { env } from "~/env";
import { expectFailure, signedInUser } from "../files/support";
import { expectNoLeftovers, gitServerForFile, importAndWait } from "./support";

const server = gitServerForFile();
const tag = () => randomBytes(3).toString("hex");

describe("git.push of a large project", () => {
  it("is refused past the import limits (the whole commit is built in memory), sending nothing", async () => {
    const repo = `big-${tag()}`;
    const url = await server().createRepo(repo, { "a.txt": "a\n" });
    const { api } = await signedInUser();
    const op = await importAndWait(api, { url, name: `Big ${tag()}`, username: "alice", token: server().password });
    expect(op.status).toBe("succeeded");
    const projectId = op.projectId!;
    await api.file.create({ projectId, path: "big.txt", content: "x".repeat(8 * 1024) });
    await api.file.create({ projectId, path: "b.txt", content: "b\n" });
    const tip = await server().tip(repo);
    const total = env.IMPORT_MAX_TOTAL_BYTES;
    env.IMPORT_MAX_TOTAL_BYTES = 4 * 1024;
    try {
      await expectFailure(api.git.push({ projectId }), "PAYLOAD_TOO_LARGE", /larger than/);
    } finally {
      env.IMPORT_MAX_TOTAL_BYTES = total;
    }
    const files = env.IMPORT_MAX_FILES;
    env.IMPORT_MAX_FILES = 2;
    try {
      await expectFailure(api.git.push({ projectId }), "PAYLOAD_TOO_LARGE", /more than 2 files/);
    } finally {
      env.IMPORT_MAX_FILES = files;
    }
    expect(await server().tip(repo)).toBe(tip);
    await expectNoLeftovers();
  });
});
