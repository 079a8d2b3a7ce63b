/**
 * The `preview.health` job: every minute, each preview that should be up is asked for its health endpoint; the
 * service's `last_health_check`/`health_status`, the volume's disk use and the project's `health_status` follow,
 * and every change of health is activity (source system).
 */
import type pg from "pg";
import type { JobDefinition } from "~/server/services/jobs/registry";
import { SERVICE_RESOURCE, VOLUME_RESOURCE } from "./lifecycle";
import { probeHealth } from "./probe";

export interface HealthReport {
  checked: number;
  healthy: number;
  unhealthy: number;
  changed: number;
}

/** Checks every running (or starting) preview once. */
export async function checkPreviewHealth({ pool, timeoutMs = 5_000 }: { pool: pg.Pool; timeoutMs?: number }) {
  const { rows } = await pool.query<{ project_id: string; url: string | null; health_status: string | null }>(
    `SELECT r.project_id, r.health_check_url AS url, p.health_status
       FROM infrastructure_resources r JOIN projects p ON p.id = r.project_id
      WHERE r.resource_type = $1 AND r.resource_name = $2 AND r.status <> 'stopped'
        AND p.status IN ('creating', 'running')`,
    [SERVICE_RESOURCE.type, SERVICE_RESOURCE.name],
  );
  const report: HealthReport = { checked: 0, healthy: 0, unhealthy: 0, changed: 0 };
  for (const row of rows) {
    const healthy = row.url !== null && (await probeHealth(row.url, row.project_id, timeoutMs));
    const health = healthy ? "healthy" : "unhealthy";
    report.checked += 1;
    report[health] += 1;
    const client = await pool.connect();
    try {
      await client.query("BEGIN");
      // Still up after the probe (a stop in between wins).
      const current = await client.query<{ health_status: string | null; total_size_bytes: string }>(
        `SELECT health_status, total_size_bytes::text FROM projects
          WHERE id = $1 AND status IN ('creating', 'running') FOR UPDATE`,
        [row.project_id],
      );
      const project = current.rows[0];
      if (project) {
        await client.query(
          `UPDATE infrastructure_resources SET last_health_check = now(), health_status = $4
            WHERE project_id = $1 AND resource_type = $2 AND resource_name = $3`,
          [row.project_id, SERVICE_RESOURCE.type, SERVICE_RESOURCE.name, health],
        );
        await client.query(
          `UPDATE infrastructure_resources SET disk_usage_mb = ceil($4::numeric / 1048576)::int, last_metrics_at = now(),
                  last_health_check = now(), health_status = 'healthy'
            WHERE project_id = $1 AND resource_type = $2 AND resource_name = $3`,
          [row.project_id, VOLUME_RESOURCE.type, VOLUME_RESOURCE.name, project.total_size_bytes],
        );
        if (project.health_status !== health) {
          report.changed += 1;
          await client.query("UPDATE projects SET health_status = $2 WHERE id = $1", [row.project_id, health]);
          await client.query(
            `INSERT INTO project_activity (project_id, activity_type, description, source_type, before_state, after_state, metadata)
             VALUES ($1, 'preview_health_changed', $2, 'system', $3, $4, $5)`,
            [
              row.project_id,
              healthy ? "Preview healthy again" : "Preview health check failed",
              JSON.stringify({ health_status: project.health_status }),
              JSON.stringify({ health_status: health }),
              JSON.stringify({ url: row.url }),
            ],
          );
        }
      }
      await client.query("COMMIT");
    } catch (error) {
      await client.query("ROLLBACK").catch(() => {});
      throw error;
    } finally {
      client.release();
    }
  }
  return report;
}

export const previewHealthJob: JobDefinition = {
  name: "preview.health",
  title: "Preview health checks",
  description:
    "Asks every running preview's health URL whether it answers; records last_health_check and health_status on " +
    "its service, the disk used on its volume, and the project's health (each change as system activity).",
  cron: "* * * * *",
  timeoutSeconds: 5 * 60,
  async run({ pool }) {
    const report = await checkPreviewHealth({ pool });
    return { ...report };
  },
};
