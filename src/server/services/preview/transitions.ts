/**
 * What the preview host records when a listener opens or cannot: the project's status and the service row, each
 * change in one transaction with its activity (source `system`).
 */
import type pg from "pg";
import { SERVICE_RESOURCE } from "./lifecycle";

/** A listener opened: `creating` becomes `running` (once), the service active and healthy, with its activity. */
export async function markPreviewRunning(pool: pg.Pool, projectId: string, port: number): Promise<void> {
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const updated = await client.query(
      `UPDATE projects SET status = 'running', health_status = 'healthy'
        WHERE id = $1 AND status = 'creating' AND allocated_port = $2`,
      [projectId, port],
    );
    if (updated.rowCount) {
      await client.query(
        `UPDATE infrastructure_resources SET status = 'active', health_status = 'healthy', last_health_check = now(),
                configuration = configuration - 'error'
          WHERE project_id = $1 AND resource_type = $2 AND resource_name = $3`,
        [projectId, SERVICE_RESOURCE.type, SERVICE_RESOURCE.name],
      );
      await client.query(
        `INSERT INTO project_activity (project_id, activity_type, description, source_type, before_state, after_state, metadata)
         VALUES ($1, 'preview_started', $2, 'system', '{"status":"creating"}', '{"status":"running"}', $3)`,
        [projectId, `Preview running on port ${port}`, JSON.stringify({ port })],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}

/** A port could not be opened: the project goes to `error` with the reason, and its port is freed. */
export async function markPreviewFailed(
  pool: pg.Pool,
  projectId: string,
  port: number,
  reason: string,
  log: (line: string) => void,
): Promise<void> {
  const message = `Port ${port} could not be opened (${reason}).`;
  log(`▸ Preview ${projectId}: ${message}`);
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    const before = await client.query<{ status: string }>(
      `SELECT status FROM projects WHERE id = $1 AND allocated_port = $2 AND status IN ('creating', 'running') FOR UPDATE`,
      [projectId, port],
    );
    if (before.rows[0]) {
      // The port is freed, so the next start picks another one.
      await client.query(
        `UPDATE projects SET status = 'error', health_status = 'unhealthy', allocated_port = NULL, service_url = NULL
          WHERE id = $1`,
        [projectId],
      );
      await client.query(
        `UPDATE infrastructure_resources SET status = 'error', health_status = 'unhealthy', last_health_check = now(),
                configuration = configuration || jsonb_build_object('error', $4::text)
          WHERE project_id = $1 AND resource_type = $2 AND resource_name = $3`,
        [projectId, SERVICE_RESOURCE.type, SERVICE_RESOURCE.name, message],
      );
      await client.query(
        `INSERT INTO project_activity (project_id, activity_type, description, source_type, before_state, after_state, metadata)
         VALUES ($1, 'preview_failed', $2, 'system', $3, '{"status":"error"}', $4)`,
        [
          projectId,
          `Preview failed: ${message}`,
          JSON.stringify({ status: before.rows[0].status }),
          JSON.stringify({ port, reason }),
        ],
      );
    }
    await client.query("COMMIT");
  } catch (error) {
    await client.query("ROLLBACK").catch(() => {});
    throw error;
  } finally {
    client.release();
  }
}
