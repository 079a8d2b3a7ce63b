import type pg from "pg";

/** One project whose stored counters differed from its files, and what they were set to. */
export interface CounterRepair {
  projectId: string;
  before: { totalFiles: number; totalSizeBytes: number };
  after: { totalFiles: number; totalSizeBytes: number };
}

export interface CounterReconciliation {
  projectsChecked: number;
  repaired: CounterRepair[];
}

interface Counts {
  files: string;
  bytes: string;
}

/**
 * Compares every project's `total_files` / `total_size_bytes` with what its `project_files` rows add up to, and
 * repairs a project that drifted (a bulk load with triggers disabled, a hand edit), recording the repair as a
 * `counters_repaired` activity with source `system` and the figures before and after. The triggers keep the
 * counters exact, so a healthy install repairs nothing and a second run is always a no-op.
 *
 * The scan is one set-based query without locks; each suspect is then re-checked under its project row's lock,
 * which every file writer takes too (the triggers update that row), so a write in flight during the scan is never
 * mistaken for drift.
 */
export async function reconcileProjectCounters(options: { pool: pg.Pool }): Promise<CounterReconciliation> {
  const { pool } = options;
  const { rows: suspects } = await pool.query<{ id: string }>(
    `WITH real AS (
       SELECT project_id, count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes FROM project_files GROUP BY project_id
     )
     SELECT p.id
       FROM projects p LEFT JOIN real r ON r.project_id = p.id
      WHERE p.total_files IS DISTINCT FROM COALESCE(r.files, 0)::int
         OR p.total_size_bytes IS DISTINCT FROM COALESCE(r.bytes, 0)::bigint`,
  );
  const { rows: total } = await pool.query<{ count: string }>("SELECT count(*) FROM projects");
  const repaired: CounterRepair[] = [];
  for (const { id } of suspects) {
    const repair = await repairProject(pool, id);
    if (repair) repaired.push(repair);
  }
  return { projectsChecked: Number(total[0]?.count ?? 0), repaired };
}

async function repairProject(pool: pg.Pool, projectId: string): Promise<CounterRepair | undefined> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const locked = await client.query<{ total_files: number; total_size_bytes: string; user_id: string }>(
      "SELECT total_files, total_size_bytes, user_id FROM projects WHERE id = $1 FOR UPDATE",
      [projectId],
    );
    const project = locked.rows[0];
    if (!project) {
      await client.query("ROLLBACK");
      return undefined;
    }
    const counted = await client.query<Counts>(
      "SELECT count(*) AS files, COALESCE(sum(size_bytes), 0) AS bytes FROM project_files WHERE project_id = $1",
      [projectId],
    );
    const before = { totalFiles: Number(project.total_files), totalSizeBytes: Number(project.total_size_bytes) };
    const after = {
      totalFiles: Number(counted.rows[0]?.files ?? 0),
      totalSizeBytes: Number(counted.rows[0]?.bytes ?? 0),
    };
    if (before.totalFiles === after.totalFiles && before.totalSizeBytes === after.totalSizeBytes) {
      await client.query("ROLLBACK");
      return undefined;
    }
    // Only the counters: last_activity_at stays the time of the project's last real change.
    await client.query("UPDATE projects SET total_files = $2, total_size_bytes = $3 WHERE id = $1", [
      projectId,
      after.totalFiles,
      after.totalSizeBytes,
    ]);
    await client.query(
      `INSERT INTO project_activity (project_id, user_id, activity_type, description, metadata, before_state,
                                     after_state, source_type)
       VALUES ($1, NULL, 'counters_repaired', $2, $3, $4, $5, 'system')`,
      [
        projectId,
        `Repaired the file counters: ${before.totalFiles} → ${after.totalFiles} files, ` +
          `${before.totalSizeBytes} → ${after.totalSizeBytes} bytes`,
        JSON.stringify({ job: "counters.reconcile" }),
        JSON.stringify({ total_files: before.totalFiles, total_size_bytes: before.totalSizeBytes }),
        JSON.stringify({ total_files: after.totalFiles, total_size_bytes: after.totalSizeBytes }),
      ],
    );
    await client.query("COMMIT");
    return { projectId, before, after };
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
