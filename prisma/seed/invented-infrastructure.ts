/**
 * Until issue 11, the demo invented infrastructure for its projects: container, volume and service rows in
 * `infrastructure_resources` with made-up health and metrics, projects `running` (or `error`) on ports nothing
 * listened on, with container ids and internal addresses, and activity about containers and deploys that never
 * happened. The demo no longer writes any of it; this removes what an earlier seed wrote from a database seeded
 * before, and nothing else: every row is matched by the deterministic id the old seed gave it (`seedUuid`) together
 * with its project and its kind, and a project's columns only while they still hold the old seed's values (its
 * status and port only if it has never been started for real since).
 */
import type pg from "pg";
import { seedUuid } from "./helpers";

interface OldDemoProject {
  key: string;
  /** `type:name` of each infrastructure row the old seed inserted (id `resource:<key>:<type>:<name>`). */
  resources: string[];
  /** The activity types of the old seed's events, in order (id `activity:<key>:<index>`, source `system`). */
  events: string[];
  /** Its invented container state, when it had one (the app itself never writes container_id or internal_ip). */
  container?: { ip: string; port: number };
}

const OLD_DEMO: OldDemoProject[] = [
  {
    key: "taskBoard",
    resources: ["container:task-board-web", "volume:task-board-node-modules", "service:task-board-preview"],
    events: ["container_started", "deployed", "deployed", "deployed", "container_restarted", "deployed"],
    container: { ip: "172.20.0.11", port: 3101 },
  },
  {
    key: "notesApi",
    resources: ["container:notes-api", "volume:notes-api-data"],
    events: ["container_started", "deployed", "deployed", "container_crashed", "health_check_failed"],
    container: { ip: "172.20.0.12", port: 3102 },
  },
  {
    key: "portfolio",
    resources: ["container:portfolio-static"],
    events: ["project_created", "container_started", "container_stopped"],
  },
  {
    key: "changelog",
    resources: ["container:changelog-static"],
    events: ["container_started", "deployed", "deployed"],
    container: { ip: "172.20.0.20", port: 3110 },
  },
];

export interface InventedInfrastructureRemoved {
  resources: number;
  activities: number;
  projects: number;
}

/** Deletes the old seed's invented rows and resets its invented project state, in one transaction. */
export async function removeInventedInfrastructure(pool: pg.Pool): Promise<InventedInfrastructureRemoved> {
  const removed: InventedInfrastructureRemoved = { resources: 0, activities: 0, projects: 0 };
  const client = await pool.connect();
  try {
    await client.query("BEGIN");
    for (const project of OLD_DEMO) {
      const projectId = seedUuid(`project:${project.key}`);
      const resources = project.resources.map((key) => {
        const [type, name] = key.split(":") as [string, string];
        return { id: seedUuid(`resource:${project.key}:${type}:${name}`), type, name };
      });
      const deletedResources = await client.query(
        `DELETE FROM infrastructure_resources r
          USING unnest($2::uuid[], $3::text[], $4::text[]) AS old(id, resource_type, resource_name)
          WHERE r.project_id = $1 AND r.id = old.id
            AND r.resource_type = old.resource_type AND r.resource_name = old.resource_name`,
        [projectId, resources.map((r) => r.id), resources.map((r) => r.type), resources.map((r) => r.name)],
      );
      const deletedEvents = await client.query(
        `DELETE FROM project_activity a
          USING unnest($2::uuid[], $3::text[]) AS old(id, activity_type)
          WHERE a.project_id = $1 AND a.id = old.id AND a.activity_type = old.activity_type
            AND a.source_type = 'system'`,
        [projectId, project.events.map((_, index) => seedUuid(`activity:${project.key}:${index}`)), project.events],
      );
      removed.resources += deletedResources.rowCount ?? 0;
      removed.activities += deletedEvents.rowCount ?? 0;

      if (project.container) {
        const { port, ip } = project.container;
        // container_id, internal_ip and the deploy columns are the app's to write never, so the old seed's values
        // go. The status, health, port and URL go back to a never-started project's only while they are still the
        // old seed's: its port (outside the preview's ranges, unless an install's PREVIEW_PORT_RANGE held it) and no
        // infrastructure row left (a real start leaves a `preview` row behind, even once stopped).
        const result = await client.query(
          `WITH target AS (
             SELECT p.id,
                    p.allocated_port = $3
                      AND NOT EXISTS (SELECT 1 FROM infrastructure_resources r WHERE r.project_id = p.id) AS invented
               FROM projects p
              WHERE p.id = $1 AND p.container_id = $2 AND p.internal_ip = $4::inet)
           UPDATE projects p
              SET container_id = NULL, internal_ip = NULL, deployment_count = 0, deployed_at = NULL,
                  status = CASE WHEN t.invented THEN 'stopped' ELSE p.status END,
                  health_status = CASE WHEN t.invented THEN 'unknown' ELSE p.health_status END,
                  service_url = CASE WHEN t.invented THEN NULL ELSE p.service_url END,
                  allocated_port = CASE WHEN t.invented THEN NULL ELSE p.allocated_port END
             FROM target t
            WHERE p.id = t.id`,
          [projectId, `vf-${project.key.toLowerCase()}-${projectId.slice(0, 8)}`, port, ip],
        );
        removed.projects += result.rowCount ?? 0;
      }
      if ((deletedEvents.rowCount ?? 0) > 0) {
        await client.query(
          `UPDATE projects p
              SET last_activity_at = (SELECT max(a.created_at) FROM project_activity a WHERE a.project_id = p.id)
            WHERE p.id = $1`,
          [projectId],
        );
      }
    }
    await client.query("COMMIT");
    return removed;
  } catch (error) {
    await client.query("ROLLBACK");
    throw error;
  } finally {
    client.release();
  }
}
