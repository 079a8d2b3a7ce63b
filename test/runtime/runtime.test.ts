import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { parseEnv } from "~/env";
import { DatabaseSetupError } from "~/server/db/errors";
import { initCluster, packagedBinaries, postgresUser } from "~/server/db/embedded";
import { checkConnection, ensureDatabase } from "~/server/db/runtime";

function tempDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "vf-runtime-"));
  fs.chmodSync(dir, 0o755);
  return dir;
}

describe("database runtime", () => {
  it("rejects a malformed DATABASE_URL with one clear message", () => {
    expect(() => parseEnv({ DATABASE_URL: "mysql://localhost/x" })).toThrow(
      /Invalid environment variables:\n {2}DATABASE_URL: must be a URL like postgresql:\/\/user:password@host:5432\/database/,
    );
    expect(() => parseEnv({ DATABASE_URL: "not a url" })).toThrow(/DATABASE_URL: must be a URL/);
    expect(parseEnv({ DATABASE_URL: "" }).DATABASE_URL).toBeUndefined();
    expect(parseEnv({}).DATABASE_URL).toBeUndefined();
  });

  it("gives the seeded admin an address on a reserved domain unless SEED_ADMIN_EMAIL says otherwise", () => {
    expect(parseEnv({}).SEED_ADMIN_EMAIL).toBe("admin@vaporform.invalid");
    expect(parseEnv({ SEED_ADMIN_EMAIL: " Owner@Example.org " }).SEED_ADMIN_EMAIL).toBe("owner@example.org");
    expect(() => parseEnv({ SEED_ADMIN_EMAIL: "admin" })).toThrow(/SEED_ADMIN_EMAIL: must be an e-mail address/);
  });

  it("serves the benchmark-only pages only when VAPORFORM_BENCH_PAGES says so", () => {
    expect(parseEnv({}).VAPORFORM_BENCH_PAGES).toBe(false);
    expect(parseEnv({ VAPORFORM_BENCH_PAGES: "false" }).VAPORFORM_BENCH_PAGES).toBe(false);
    expect(parseEnv({ VAPORFORM_BENCH_PAGES: "true" }).VAPORFORM_BENCH_PAGES).toBe(true);
    expect(parseEnv({ VAPORFORM_BENCH_PAGES: "1" }).VAPORFORM_BENCH_PAGES).toBe(true);
    expect(() => parseEnv({ VAPORFORM_BENCH_PAGES: "yes" })).toThrow(/VAPORFORM_BENCH_PAGES/);
  });

  it("explains an unreachable database", async () => {
    const attempt = checkConnection("postgresql://nobody@127.0.0.1:1/vaporform");
    await expect(attempt).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(attempt).rejects.toThrow(
      /Cannot reach PostgreSQL at 127\.0\.0\.1:1 \(database "vaporform"\): connection refused/,
    );
  });

  it("starts an embedded server, and refuses a second one on the same locked data directory", async () => {
    const dataDir = path.join(tempDir(), "postgres");
    const first = await ensureDatabase({ url: undefined, dataDir, tuning: "fast" });
    try {
      expect(first.embedded).toBe(true);
      expect(first.url).toMatch(/^postgresql:\/\/postgres:.+@127\.0\.0\.1:\d+\/vaporform$/);
      await checkConnection(first.url);
      const second = ensureDatabase({ url: undefined, dataDir, tuning: "fast" });
      await expect(second).rejects.toThrow(/is locked: PostgreSQL \(pid \d+\) is already running on it/);
      await checkConnection(first.url);
    } finally {
      await first.stop();
    }
  });

  it("refuses a data directory owned by someone else, changing nothing", async () => {
    const asRoot = process.getuid?.() === 0;
    // As root the directory must belong to the postgres user; as anyone else, to them. "/" belongs to neither.
    const dataDir = asRoot ? path.join(tempDir(), "postgres") : "/";
    if (asRoot) {
      fs.mkdirSync(dataDir);
      fs.chownSync(dataDir, 65534, 65534);
    }
    const before = fs.readdirSync(dataDir);

    const attempt = ensureDatabase({ url: undefined, dataDir });

    await expect(attempt).rejects.toBeInstanceOf(DatabaseSetupError);
    await expect(attempt).rejects.toThrow(/belongs to uid \d+, not/);
    expect(fs.readdirSync(dataDir)).toEqual(before);
  });

  it("refuses to initialise over a directory that is not a PostgreSQL data directory", async () => {
    const dataDir = path.join(tempDir(), "postgres");
    fs.mkdirSync(dataDir);
    fs.writeFileSync(path.join(dataDir, "notes.txt"), "mine");
    if (process.getuid?.() === 0) {
      const postgresUid = Number(
        fs
          .readFileSync("/etc/passwd", "utf8")
          .split("\n")
          .find((line) => line.startsWith("postgres:"))
          ?.split(":")[2],
      );
      if (Number.isInteger(postgresUid)) fs.chownSync(dataDir, postgresUid, postgresUid);
    }
    await expect(ensureDatabase({ url: undefined, dataDir })).rejects.toThrow(/is not a PostgreSQL data directory/);
    expect(fs.readFileSync(path.join(dataDir, "notes.txt"), "utf8")).toBe("mine");
  });
});

function closeTree(root: string) {
  const stat = fs.lstatSync(root);
  if (stat.isSymbolicLink()) return;
  fs.chmodSync(root, stat.mode & 0o700);
  if (stat.isDirectory()) for (const entry of fs.readdirSync(root)) closeTree(path.join(root, entry));
}

describe("database runtime in a private checkout", () => {
  it("runs PostgreSQL under a 0700 parent without opening the checkout to other users", async () => {
    const asRoot = process.getuid?.() === 0;
    // A checkout in a private folder (root's home, any 0700 parent), with the binaries inside it as npm puts them.
    const checkout = fs.mkdtempSync(path.join(os.tmpdir(), "vf-private-"));
    const systemDir = tempDir();
    expect(fs.statSync(checkout).mode & 0o777).toBe(0o700);
    const binaries = path.join(checkout, "node_modules", "native");
    fs.cpSync(await packagedBinaries(), binaries, { recursive: true, verbatimSymlinks: true });
    // As npm leaves them under a strict umask (077): nothing readable by others.
    closeTree(binaries);
    const dataDir = path.join(checkout, ".data", "postgres");
    fs.mkdirSync(path.dirname(dataDir));
    const privateModes = () =>
      [checkout, path.dirname(binaries), path.dirname(dataDir)].map((dir) => fs.statSync(dir).mode & 0o777);
    const modesBefore = privateModes();

    try {
      const first = await ensureDatabase({ url: undefined, dataDir, binaries, systemDir, tuning: "fast" });
      await checkConnection(first.url);
      await first.stop();
      // Started again on the same, now initialised, cluster.
      const second = await ensureDatabase({ url: undefined, dataDir, binaries, systemDir, tuning: "fast" });
      await checkConnection(second.url);
      await second.stop();

      expect(fs.statSync(checkout).mode & 0o777).toBe(0o700);
      expect(privateModes()).toEqual(modesBefore);
      if (asRoot) {
        // The postgres user reaches the data and a copy of the binaries outside the checkout.
        expect(fs.lstatSync(dataDir).isSymbolicLink()).toBe(true);
        expect(fs.realpathSync(dataDir).startsWith(fs.realpathSync(systemDir))).toBe(true);
        expect(fs.readdirSync(systemDir).some((entry) => entry.startsWith("postgres-"))).toBe(true);
      } else {
        expect(fs.lstatSync(dataDir).isDirectory()).toBe(true);
      }
      expect(fs.existsSync(path.join(dataDir, "PG_VERSION"))).toBe(true);

      // Another checkout whose path differs only in its first folders gets a cluster of its own.
      if (asRoot) {
        const other = fs.mkdtempSync(path.join(os.tmpdir(), "vf-private-"));
        try {
          const otherData = path.join(other, ".data", "postgres");
          const third = await ensureDatabase({
            url: undefined,
            dataDir: otherData,
            binaries,
            systemDir,
            tuning: "fast",
          });
          await third.stop();
          expect(fs.realpathSync(otherData)).not.toBe(fs.realpathSync(dataDir));
          const again = await ensureDatabase({ url: undefined, dataDir, binaries, systemDir, tuning: "fast" });
          await checkConnection(again.url);
          await again.stop();
        } finally {
          fs.rmSync(other, { recursive: true, force: true });
        }
      }
      expect(fs.statSync(path.join(path.dirname(dataDir), "postgres.password")).mode & 0o077).toBe(0);
    } finally {
      fs.rmSync(checkout, { recursive: true, force: true });
      fs.rmSync(systemDir, { recursive: true, force: true });
    }
  });

  it("hands initdb its password in a file no other user can read", async () => {
    const runAs = postgresUser();
    const fakeBinaries = tempDir();
    fs.mkdirSync(path.join(fakeBinaries, "bin"));
    // A stand-in initdb that reports the mode and owner of the password file and of its folder, then fails.
    fs.writeFileSync(
      path.join(fakeBinaries, "bin", "initdb"),
      '#!/bin/sh\nfor a in "$@"; do case "$a" in --pwfile=*) f="${a#--pwfile=}"; stat -c "file %a %u" "$f" >&2; ' +
        'stat -c "folder %a" "$(dirname "$f")" >&2; echo "content $(cat "$f")" >&2 ;; esac; done\nexit 3\n',
      { mode: 0o755 },
    );
    const attempt = initCluster({
      binaries: fakeBinaries,
      dataDir: path.join(tempDir(), "pg"),
      password: "s3cret",
      runAs,
      flags: [],
    });
    const uid = runAs?.uid ?? process.getuid?.();
    await expect(attempt).rejects.toThrow(new RegExp(`file 600 ${uid}\\nfolder 700\\ncontent s3cret`));
  });
});
