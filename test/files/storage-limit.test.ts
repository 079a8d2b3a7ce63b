import { strToU8, zipSync } from "fflate";
import { describe, expect, it } from "vitest";
import { pool } from "../db";
import { expectFailure, newProject, projectState, signedInUser } from "./support";

const KIB = 1024;

/** A project of a new user whose files may take `limitMb` MiB. */
async function limitedProject(limitMb: number) {
  const { api } = await signedInUser();
  const projectId = await newProject(api);
  await pool.query(`UPDATE projects SET storage_limit_mb = $2 WHERE id = $1`, [projectId, limitMb]);
  return { api, projectId };
}

describe("projects.storage_limit_mb", () => {
  it("refuses a save, an upload, a restore and an import that would pass the limit, changing nothing", async () => {
    const { api, projectId } = await limitedProject(1);
    const file = await api.file.create({ projectId, path: "data.txt", kind: "file", content: "x".repeat(600 * KIB) });
    await api.file.save({ projectId, path: "data.txt", content: "small\n", fileId: file.id, baseVersion: 1 });
    const before = await projectState(projectId);
    const tooLarge = /over its storage limit of 1 MiB/;

    await expectFailure(
      api.file.save({ projectId, path: "data.txt", content: "y".repeat(1100 * KIB), fileId: file.id, baseVersion: 2 }),
      "PAYLOAD_TOO_LARGE",
      tooLarge,
    );
    await expectFailure(
      api.file.create({
        projectId,
        path: "big.bin",
        kind: "file",
        content: Buffer.alloc(1100 * KIB, 7).toString("base64"),
        encoding: "base64",
      }),
      "PAYLOAD_TOO_LARGE",
      tooLarge,
    );
    await api.file.create({ projectId, path: "other.txt", kind: "file", content: "z".repeat(500 * KIB) });
    const withOther = await projectState(projectId);
    // Version 1 of data.txt (600 KiB) back on top of other.txt's 500 KiB.
    await expectFailure(
      api.file.restore({
        projectId,
        path: "data.txt",
        fileId: file.id,
        version: 1,
        baseFileId: file.id,
        baseVersion: 2,
      }),
      "PAYLOAD_TOO_LARGE",
      tooLarge,
    );
    const archive = Buffer.from(
      zipSync({ "a.txt": strToU8("a".repeat(300 * KIB)), "b.txt": strToU8("b".repeat(300 * KIB)) }),
    ).toString("base64");
    await expectFailure(api.file.importZip({ projectId, archive }), "PAYLOAD_TOO_LARGE", tooLarge);
    expect(await projectState(projectId)).toEqual(withOther);

    await api.file.delete({ projectId, path: "other.txt" });
    expect((await projectState(projectId)).total_size_bytes).toBe(before.total_size_bytes);
    // Within the limit again: the same import passes (the limit counts live files, not history).
    expect(await api.file.importZip({ projectId, archive })).toMatchObject({ created: 2 });
  });

  it("counts live files only, and lets a project over its limit shrink", async () => {
    const { api, projectId } = await limitedProject(2);
    const file = await api.file.create({ projectId, path: "log.txt", kind: "file", content: "" });
    // 4 MiB of history, 1.5 MiB live.
    for (let version = 1; version <= 10; version++) {
      await api.file.save({
        projectId,
        path: "log.txt",
        content: String(version % 10).repeat(400 * KIB),
        fileId: file.id,
        baseVersion: version,
      });
    }
    await api.file.create({ projectId, path: "more.txt", kind: "file", content: "m".repeat(1100 * KIB) });

    // The limit is lowered below what the project holds: shrinking still works, growing does not.
    await pool.query(`UPDATE projects SET storage_limit_mb = 1 WHERE id = $1`, [projectId]);
    expect(
      await api.file.save({ projectId, path: "log.txt", content: "short\n", fileId: file.id, baseVersion: 11 }),
    ).toMatchObject({ version: 12 });
    await expectFailure(
      api.file.save({ projectId, path: "log.txt", content: "longer than short\n", fileId: file.id, baseVersion: 12 }),
      "PAYLOAD_TOO_LARGE",
    );
    expect((await api.file.read({ projectId, path: "log.txt" })).content).toBe("short\n");
  });

  it("counts concurrent uploads one after the other: two that together pass the limit cannot both land", async () => {
    const { api, projectId } = await limitedProject(1);
    const upload = (name: string) =>
      api.file.create({ projectId, path: name, kind: "file", content: "u".repeat(600 * KIB) });
    const results = await Promise.allSettled([upload("one.txt"), upload("two.txt")]);
    expect(results.filter((result) => result.status === "fulfilled")).toHaveLength(1);
    const { rows } = await pool.query(`SELECT total_size_bytes::int AS total FROM projects WHERE id = $1`, [projectId]);
    expect(rows[0].total).toBeLessThanOrEqual(1024 * KIB);
  });
});
