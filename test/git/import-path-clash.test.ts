import { randomBytes } from "node:crypto";
import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { signedInUser } from "../files/support";
import { expectNoLeftovers, gitServerForFile, importAndWait } from "./support";

const server = gitServerForFile();
const tag = () => randomBytes(3).toString("hex");

describe("git.import of paths that become the same path here", () => {
  it("refuses two paths that are one after normalizing (NFC, trimmed), or a file that is also a folder, with a clear error", async () => {
    const { api, userId } = await signedInUser();
    const cases: Record<string, string>[] = [
      { ["cafe\u0301.txt"]: "decomposed\n", ["caf\u00e9.txt"]: "composed\n" },
      { "notes ": "a file\n", "notes/inside.txt": "in a folder\n" },
    ];
    for (const files of cases) {
      const url = await server().createRepo(`clash-${tag()}`, files);
      const name = `Clash ${tag()}`;
      const op = await importAndWait(api, { url, name, username: "alice", token: server().password });
      expect(op.status).toBe("failed");
      expect(op.error).not.toMatch(/already have a project/i);
      expect(op.error).toMatch(/twice|both a file and a folder|folder/i);
      const { rows } = await pool.query(`SELECT 1 FROM projects WHERE user_id = $1 AND name = $2`, [userId, name]);
      expect(rows).toHaveLength(0);
    }
    await expectNoLeftovers();
  });
});
