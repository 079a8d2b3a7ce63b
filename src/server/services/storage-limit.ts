/**
 * A project's storage limit (`projects.storage_limit_mb`, in MiB; NULL: no limit), enforced on every write that
 * adds bytes to it: save, upload and create, restore, zip import.
 *
 * What counts is the size of the live files (`projects.total_size_bytes`, kept exact by the database's triggers).
 * History does not count: it is kept forever, so counting it would leave a project over its limit with nothing
 * its owner could delete. A write that does not grow the project always passes, so a project over its limit (the
 * limit was lowered) can still be trimmed.
 */
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { mib } from "./zip";

type Tx = Parameters<Parameters<Database["$transaction"]>[0]>[0];

/**
 * Called inside the write's transaction, after the write: the counters triggers have already added the write's
 * bytes (row-locking the project, so concurrent writers are counted one after the other), and throwing rolls the
 * write back. `grewBy` is how many bytes the write added to the project (negative or zero: nothing to check).
 */
export async function assertWithinStorageLimit(tx: Tx, projectId: string, grewBy: number): Promise<void> {
  if (grewBy <= 0) return;
  const rows = await tx.$queryRaw<{ total: bigint; limit_mb: number | null }[]>`
    SELECT total_size_bytes AS total, storage_limit_mb AS limit_mb FROM projects WHERE id = ${projectId}::uuid`;
  const project = rows[0];
  if (!project || project.limit_mb === null) return;
  const limit = project.limit_mb * 1024 * 1024;
  const total = Number(project.total);
  if (total > limit) {
    throw new AppError(
      "PAYLOAD_TOO_LARGE",
      `This would bring the project's files to ${mib(total)}, over its storage limit of ${mib(limit)}. Delete files you no longer need (their history does not count), then try again.`,
    );
  }
}

/** What the project's live files take now; read before and after an import, whose added bytes are the difference. */
export async function projectBytes(tx: Tx, projectId: string): Promise<number> {
  const rows = await tx.$queryRaw<
    { total: bigint }[]
  >`SELECT total_size_bytes AS total FROM projects WHERE id = ${projectId}::uuid`;
  return Number(rows[0]?.total ?? 0);
}
