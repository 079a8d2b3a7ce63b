import { mkdtemp, readdir } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, expect } from "vitest";
import { env } from "~/env";
import { importSettled } from "~/server/services/git/import";
import { GIT_TEMP_PREFIX } from "~/server/services/git/remote";
import { startGitServer, type GitServer } from "../support/git-server";
import type { Caller } from "../files/support";

/**
 * One loopback git server per test file, and a temporary folder of the file's own as the system's (os.tmpdir()
 * reads TMPDIR), so the "no temporary directory left" checks see only this file's git work.
 */
export function gitServerForFile(): () => GitServer {
  let server: GitServer;
  let previousTmp: string | undefined;
  beforeAll(async () => {
    env.OUTBOUND_ALLOW_PRIVATE = true;
    server = await startGitServer();
    previousTmp = process.env.TMPDIR;
    process.env.TMPDIR = await mkdtemp(join(tmpdir(), "vf-test-git-tmp-"));
  });
  afterAll(async () => {
    process.env.TMPDIR = previousTmp;
    await server.stop();
  });
  return () => server;
}

/** The git temporary directories left in the system's temporary folder. */
export async function leftoverTempDirs(): Promise<string[]> {
  return (await readdir(tmpdir())).filter((name) => name.startsWith(GIT_TEMP_PREFIX));
}

/** Runs an import to its end and answers the operation as git.operation shows it. */
export async function importAndWait(api: Caller, input: Parameters<Caller["git"]["import"]>[0]) {
  const { operationId } = await api.git.import(input);
  await importSettled(operationId);
  return api.git.operation({ operationId });
}

export async function expectNoLeftovers() {
  expect(await leftoverTempDirs()).toEqual([]);
}
