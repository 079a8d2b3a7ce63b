import { randomUUID } from "node:crypto";
import { beforeAll, describe, expect, it } from "vitest";
import { seedUuid } from "../../prisma/seed/helpers";
import { seedDatabase, type SeedSummary } from "../../prisma/seed/index";
import { pool } from "../db";

/**
 * A database seeded before issue 11 holds the infrastructure the old demo invented. The old seed's rows are
 * rebuilt here as it wrote them (its ids are `seedUuid` of these names), beside rows it did not write, then the
 * seed runs again: only what it made goes.
 */
const project = (key: string) => seedUuid(`project:${key}`);

const OLD_RESOURCES: [key: string, type: string, name: string][] = [
  ["taskBoard", "container", "task-board-web"],
  ["taskBoard", "volume", "task-board-node-modules"],
  ["taskBoard", "service", "task-board-preview"],
  ["notesApi", "container", "notes-api"],
  ["notesApi", "volume", "notes-api-data"],
  ["portfolio", "container", "portfolio-static"],
  ["changelog", "container", "changelog-static"],
];
const OLD_EVENTS: Record<string, string[]> = {
  taskBoard: ["container_started", "deployed", "deployed", "deployed", "container_restarted", "deployed"],
  notesApi: ["container_started", "deployed", "deployed", "container_crashed", "health_check_failed"],
  portfolio: ["project_created", "container_started", "container_stopped"],
  changelog: ["container_started", "deployed", "deployed"],
};
const OLD_CONTAINERS: Record<string, { ip: string; port: number; status: string; health: string; deploys: number }> = {
  taskBoard: { ip: "172.20.0.11", port: 3101, status: "running", health: "healthy", deploys: 4 },
  notesApi: { ip: "172.20.0.12", port: 3102, status: "error", health: "unhealthy", deploys: 2 },
  changelog: { ip: "172.20.0.20", port: 3110, status: "running", health: "healthy", deploys: 2 },
};

async function projectRow(key: string) {
  const { rows } = await pool.query(
    `SELECT status, health_status, container_id, service_url, host(internal_ip) AS internal_ip, allocated_port,
            deployment_count, deployed_at, last_activity_at
       FROM projects WHERE id = $1`,
    [project(key)],
  );
  return rows[0] as Record<string, unknown>;
}

describe("seedDatabase on a database an earlier seed filled with invented infrastructure", () => {
  let rerun: SeedSummary;
  let userOwnProject: string;
  let realPreviewRow: string;
  let userDeploy: string;
  let newestUserActivity: Date;

  beforeAll(async () => {
    await seedDatabase(pool);
    // The old seed's rows, with its ids.
    for (const [key, type, name] of OLD_RESOURCES) {
      await pool.query(
        `INSERT INTO infrastructure_resources (id, project_id, resource_type, resource_name, resource_id, configuration,
                                               status, health_status, cpu_usage_percent, memory_usage_mb)
         VALUES ($1, $2, $3, $4, 'abc123', '{}', 'active', 'healthy', 12.4, 286)`,
        [seedUuid(`resource:${key}:${type}:${name}`), project(key), type, name],
      );
    }
    for (const [key, types] of Object.entries(OLD_EVENTS)) {
      for (const [index, type] of types.entries()) {
        await pool.query(
          `INSERT INTO project_activity (id, project_id, activity_type, description, source_type, created_at)
           VALUES ($1, $2, $3, 'invented', 'system', now() - make_interval(hours => $4))`,
          [seedUuid(`activity:${key}:${index}`), project(key), type, 10 - index],
        );
      }
    }
    for (const [key, old] of Object.entries(OLD_CONTAINERS)) {
      await pool.query(
        `UPDATE projects SET status = $2, health_status = $3, container_id = $4, service_url = $5, internal_ip = $6,
                             allocated_port = $7, deployment_count = $8, deployed_at = now() - interval '1 day',
                             last_activity_at = now() - interval '5 hours'
          WHERE id = $1`,
        [
          project(key),
          old.status,
          old.health,
          `vf-${key.toLowerCase()}-${project(key).slice(0, 8)}`,
          `http://localhost:${old.port}`,
          old.ip,
          old.port,
          old.deploys,
        ],
      );
    }
    // Not the old seed's: the Notes API was started for real since (its preview moved it to a port of the range).
    realPreviewRow = (
      await pool.query<{ id: string }>(
        `INSERT INTO infrastructure_resources (project_id, resource_type, resource_name, resource_id, configuration,
                                               status, health_status)
         VALUES ($1, 'service', 'preview', 'port:4105', '{}', 'active', 'healthy') RETURNING id`,
        [project("notesApi")],
      )
    ).rows[0]!.id;
    await pool.query(
      `UPDATE projects SET status = 'running', health_status = 'healthy', allocated_port = 4105,
                           service_url = 'http://localhost:4105/' WHERE id = $1`,
      [project("notesApi")],
    );
    // A deploy its owner logged, and a project of their own with a container named like the demo's.
    userDeploy = randomUUID();
    newestUserActivity = (
      await pool.query<{ created_at: Date }>(
        `INSERT INTO project_activity (id, project_id, activity_type, description, source_type, created_at)
         VALUES ($1, $2, 'deployed', 'my own deploy', 'user', now() - interval '1 hour') RETURNING created_at`,
        [userDeploy, project("taskBoard")],
      )
    ).rows[0]!.created_at;
    const { rows: owner } = await pool.query<{ id: string }>("SELECT id FROM users WHERE username = 'demo'");
    userOwnProject = (
      await pool.query<{ id: string }>(
        `INSERT INTO projects (user_id, name, description, tech_stack, status) VALUES ($1, 'Mine', '', '{}', 'stopped')
         RETURNING id`,
        [owner[0]!.id],
      )
    ).rows[0]!.id;
    await pool.query(
      `INSERT INTO infrastructure_resources (project_id, resource_type, resource_name, resource_id, configuration)
       VALUES ($1, 'container', 'task-board-web', 'mine', '{}')`,
      [userOwnProject],
    );

    rerun = await seedDatabase(pool);
  });

  it("removes exactly the old seed's resource rows and events", async () => {
    expect(rerun.inventedRemoved).toEqual({ resources: 7, activities: 17, projects: 3 });
    const { rows: resources } = await pool.query<{ project_id: string; resource_name: string }>(
      "SELECT project_id, resource_name FROM infrastructure_resources ORDER BY resource_name",
    );
    expect(resources).toEqual([
      { project_id: project("notesApi"), resource_name: "preview" },
      { project_id: userOwnProject, resource_name: "task-board-web" },
    ]);
    const { rows: events } = await pool.query<{ id: string }>(
      `SELECT id FROM project_activity WHERE description = 'invented' OR activity_type = 'deployed'`,
    );
    expect(events).toEqual([{ id: userDeploy }]);
    expect(realPreviewRow).toBeTruthy();
  });

  it("puts a demo project never started for real back to stopped, and keeps a real preview's state", async () => {
    const never = {
      status: "stopped",
      health_status: "unknown",
      container_id: null,
      service_url: null,
      internal_ip: null,
      allocated_port: null,
      deployment_count: 0,
      deployed_at: null,
    };
    expect(await projectRow("taskBoard")).toMatchObject({ ...never, last_activity_at: newestUserActivity });
    expect(await projectRow("changelog")).toMatchObject(never);
    expect(await projectRow("portfolio")).toMatchObject(never);
    // Started since: the preview's own state stays; only what the app never writes goes.
    expect(await projectRow("notesApi")).toMatchObject({
      status: "running",
      health_status: "healthy",
      allocated_port: 4105,
      service_url: "http://localhost:4105/",
      container_id: null,
      internal_ip: null,
      deployment_count: 0,
      deployed_at: null,
    });
    // last_activity_at follows what is left (here the demo's own newest file activity, older than the events).
    const { rows } = await pool.query<{ newest: Date; last: Date }>(
      `SELECT (SELECT max(created_at) FROM project_activity WHERE project_id = $1) AS newest,
              (SELECT last_activity_at FROM projects WHERE id = $1) AS last`,
      [project("changelog")],
    );
    expect(rows[0]!.last).toEqual(rows[0]!.newest);
  });

  it("finds nothing more to remove on the next run", async () => {
    const again = await seedDatabase(pool);
    expect(again.inventedRemoved).toEqual({ resources: 0, activities: 0, projects: 0 });
    expect(again.demo.generated).toBe(false);
  });
});
