import { execFileSync } from "node:child_process";
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { env } from "~/env";
import {
  checkPack,
  packOfUploadResponse,
  PackTooLarge,
  PackUnreadable,
  type PackLimits,
} from "~/server/services/git/pack-check";
import { signedInUser } from "../files/support";
import { pool } from "../db";
import { gitServerForFile, importAndWait } from "./support";

const work = mkdtempSync(join(tmpdir(), "vf-pack-check-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

function git(args: string[], input?: string): Buffer {
  return execFileSync("git", args, {
    cwd: work,
    input,
    maxBuffer: 512 * 1024 * 1024,
    env: {
      ...process.env,
      GIT_AUTHOR_NAME: "t",
      GIT_AUTHOR_EMAIL: "t@t",
      GIT_COMMITTER_NAME: "t",
      GIT_COMMITTER_EMAIL: "t@t",
    },
  });
}

/** A repository with history whose pack holds deltas: a 2 MiB file changed a little in each of three commits. */
function repositoryPack(): { pack: Buffer; deltas: number; objects: number; unpacked: number } {
  git(["init", "-q", "-b", "main"]);
  const big = Buffer.alloc(2 * 1024 * 1024, "line of text that repeats\n");
  for (let round = 0; round < 3; round++) {
    big.write(`change ${round}\n`, round * 1000);
    writeFileSync(join(work, "big.txt"), big);
    writeFileSync(join(work, `small-${round}.txt`), `small ${round}\n`);
    git(["add", "-A"]);
    git(["commit", "-q", "-m", `round ${round}`]);
  }
  const pack = git(["pack-objects", "--stdout", "--revs", "-q"], "main\n");
  const sizes = git(["cat-file", "--batch-all-objects", "--batch-check=%(objectsize)"]).toString().trim().split("\n");
  // How many objects of the pack are deltas (verify-pack names a base after their sizes and offset).
  writeFileSync(join(work, "check.pack"), pack);
  git(["index-pack", "check.pack"]);
  const listing = git(["verify-pack", "-v", "check.idx"]).toString().split("\n");
  const deltas = listing.filter((line) => /^[0-9a-f]{40} \w+ +\d+ \d+ \d+ \d+ [0-9a-f]{40}$/.test(line)).length;
  return { pack, deltas, objects: sizes.length, unpacked: sizes.reduce((sum, size) => sum + Number(size), 0) };
}

const WIDE: PackLimits = { maxObjectBytes: 1e9, maxUnpackedBytes: 1e10, maxObjects: 1e6 };

function pktLine(payload: Buffer | string): Buffer {
  const data = typeof payload === "string" ? Buffer.from(payload) : payload;
  return Buffer.concat([Buffer.from((data.length + 4).toString(16).padStart(4, "0")), data]);
}

describe("the pack check", () => {
  const repo = repositoryPack();

  it("counts what every object unpacks to, deltas by the object they make, as git itself reports", () => {
    const tally = { objects: 0, unpacked: 0 };
    expect(repo.deltas).toBeGreaterThan(0);
    checkPack(repo.pack, WIDE, tally);
    expect(tally).toEqual({ objects: repo.objects, unpacked: repo.unpacked });
  });

  it("refuses a pack with an object, a total or a count over its limit", () => {
    const tally = () => ({ objects: 0, unpacked: 0 });
    expect(() => checkPack(repo.pack, { ...WIDE, maxObjectBytes: 1024 * 1024 }, tally())).toThrow(PackTooLarge);
    expect(() => checkPack(repo.pack, { ...WIDE, maxUnpackedBytes: repo.unpacked - 1 }, tally())).toThrow(
      expect.objectContaining({ what: "total" }),
    );
    expect(() => checkPack(repo.pack, { ...WIDE, maxObjects: repo.objects - 1 }, tally())).toThrow(
      expect.objectContaining({ what: "count" }),
    );
    // The tally runs across the packs of one operation (a pull that deepens fetches several).
    const shared = tally();
    checkPack(repo.pack, { ...WIDE, maxUnpackedBytes: repo.unpacked * 1.5 }, shared);
    expect(() => checkPack(repo.pack, { ...WIDE, maxUnpackedBytes: repo.unpacked * 1.5 }, shared)).toThrow(
      PackTooLarge,
    );
  });

  it("finds the pack in side-band pkt-lines between text lines and progress, or raw after them", () => {
    const half = Math.floor(repo.pack.length / 2);
    const sideBand = Buffer.concat([
      pktLine("shallow 0123456789012345678901234567890123456789\n"),
      Buffer.from("0000"),
      pktLine("NAK\n"),
      pktLine(Buffer.concat([Buffer.from([2]), Buffer.from("Counting objects: 10\r")])),
      pktLine(Buffer.concat([Buffer.from([1]), repo.pack.subarray(0, half)])),
      pktLine(Buffer.concat([Buffer.from([2]), Buffer.from("Compressing\r")])),
      pktLine(Buffer.concat([Buffer.from([1]), repo.pack.subarray(half)])),
      Buffer.from("0000"),
    ]);
    expect(packOfUploadResponse(sideBand)?.equals(repo.pack)).toBe(true);
    const raw = Buffer.concat([pktLine("NAK\n"), repo.pack]);
    expect(packOfUploadResponse(raw)?.equals(repo.pack)).toBe(true);
    expect(() => packOfUploadResponse(Buffer.from("<html>not git</html>"))).toThrow(PackUnreadable);
  });

  it("refuses a pack that is cut short or whose data does not inflate", () => {
    expect(() => checkPack(repo.pack.subarray(0, repo.pack.length / 3), WIDE, { objects: 0, unpacked: 0 })).toThrow(
      PackUnreadable,
    );
    const corrupt = Buffer.from(repo.pack);
    corrupt.fill(0xff, 14, 64);
    expect(() => checkPack(corrupt, WIDE, { objects: 0, unpacked: 0 })).toThrow(PackUnreadable);
  });
});

describe("an import of a repository that compresses far below the download limit", () => {
  const server = gitServerForFile();

  it("is stopped before unpacking, without its unpacked size in memory, and creates nothing", async () => {
    const blob = Buffer.alloc(256 * 1024 * 1024); // 256 MiB of zeros: about 260 KB in the pack
    const url = await server().createRepo(`zeros-${randomBytes(3).toString("hex")}`, { "zeros.bin": blob });
    const { api, userId } = await signedInUser();
    const saved = { total: env.IMPORT_MAX_TOTAL_BYTES, file: env.IMPORT_MAX_FILE_BYTES };
    env.IMPORT_MAX_TOTAL_BYTES = 1024 * 1024;
    env.IMPORT_MAX_FILE_BYTES = 1024 * 1024;
    const memory = () => process.memoryUsage().arrayBuffers + process.memoryUsage().heapUsed;
    const before = memory();
    let peak = before;
    const sampler = setInterval(() => (peak = Math.max(peak, memory())), 5);
    try {
      const operation = await importAndWait(api, {
        url,
        name: `Zeros ${randomBytes(3).toString("hex")}`,
        username: "alice",
        token: server().password,
      });
      expect(operation.status).toBe("failed");
      expect(operation.error).toMatch(/larger than 1 MiB unpacked.*stopped before unpacking/);
    } finally {
      clearInterval(sampler);
      env.IMPORT_MAX_TOTAL_BYTES = saved.total;
      env.IMPORT_MAX_FILE_BYTES = saved.file;
    }
    // Before the check, isomorphic-git inflated the blob (and a copy to hash it): ~760 MiB more, here.
    expect((peak - before) / (1024 * 1024)).toBeLessThan(64);
    const { rows } = await pool.query(`SELECT count(*)::int AS n FROM projects WHERE user_id = $1`, [userId]);
    expect(rows[0].n).toBe(0);
  }, 180_000);
});
