/** 3 + 5. Demo projects, their history, and Claude usage (once). */
import type pg from "pg";
import { withTransaction } from "~/server/db/pool";
import {
  demoEdits,
  demoProjects,
  scriptedInteractions,
  type DemoOwner,
  type DemoProjectSpec,
  type ProjectKey,
} from "./demo-content";
import { seedUuid, createRandom, at } from "./helpers";
import type { SeedTemplate } from "./templates";
import { BASE_PRICES, HAIKU_PRICE_CUT, HAIKU_PRICE_CUT_DAYS_AGO } from "./prices";
import { createProject, applyEdit, insertEvents } from "./demo-projects";
import { buildInteraction, generateInteractions, insertInteraction } from "./interactions";
import type { SeedSummary } from "./index";

export interface DemoContext {
  users: Record<DemoOwner, string>;
  templates: SeedTemplate[];
  now: Date;
}

export interface ProjectState {
  spec: DemoProjectSpec;
  id: string;
  ownerId: string;
  createdAt: Date;
  files: Map<string, { id: string; content: string }>;
}

const EMPTY_DEMO: SeedSummary["demo"] = {
  generated: false,
  projects: 0,
  files: 0,
  fileEdits: 0,
  interactions: 0,
  activities: 0,
  resources: 0,
};

export async function generateDemo(db: pg.Pool, ctx: DemoContext): Promise<SeedSummary["demo"]> {
  return withTransaction(db, async (client) => {
    // Two seeds started at once must not both generate: the second waits here, then sees the projects.
    await client.query("SELECT pg_advisory_xact_lock(hashtext('vaporform-seed-demo'))");
    const existing = await client.query(
      "SELECT 1 FROM projects WHERE (user_id = $1 AND name = ANY($2::text[])) OR id = ANY($3::uuid[]) LIMIT 1",
      [
        ctx.users.demo,
        demoProjects.filter((p) => p.owner === "demo").map((p) => p.name),
        demoProjects.map((p) => seedUuid(`project:${p.key}`)),
      ],
    );
    if (existing.rowCount) return EMPTY_DEMO;

    const random = createRandom(20261126);
    const summary = { ...EMPTY_DEMO, generated: true };
    const projects = new Map<ProjectKey, ProjectState>();
    let interactionCounter = 0;
    const nextInteractionId = () => seedUuid(`interaction:${interactionCounter++}`);

    // Projects and their first files, in creation order.
    for (const spec of [...demoProjects].sort((a, b) => b.createdDaysAgo - a.createdDaysAgo)) {
      const state = await createProject(client, ctx, spec, nextInteractionId, random);
      projects.set(spec.key, state);
      summary.projects += 1;
      summary.files += state.files.size;
      if (spec.createdByClaude) summary.interactions += 1;
      summary.resources += spec.resources.length;
    }

    // Background usage first: the scripted edits below reference interactions of their own.
    const interactions = generateInteractions(ctx, projects, random, nextInteractionId);
    for (const spec of scriptedInteractions) {
      const project = requireProject(projects, spec.project);
      interactions.push(
        buildInteraction(random, {
          id: nextInteractionId(),
          project,
          type: spec.type,
          model: spec.model,
          userMessage: spec.prompt,
          response: spec.response,
          files: spec.files,
          createdAt: at(ctx.now, spec.daysAgo, spec.time),
          conversationId: seedUuid(`conversation:scripted:${spec.project}:${spec.daysAgo}`),
          turn: 0,
          forceSuccess: true,
        }),
      );
    }
    for (const row of interactions) await insertInteraction(client, row);
    summary.interactions += interactions.length;

    const edits = [...demoEdits].sort(
      (a, b) => at(ctx.now, a.daysAgo, a.time).getTime() - at(ctx.now, b.daysAgo, b.time).getTime(),
    );
    for (const edit of edits) {
      const project = requireProject(projects, edit.project);
      const madeInteraction = await applyEdit(client, ctx, project, edit, random, nextInteractionId);
      summary.fileEdits += edit.changes.length;
      if (madeInteraction) summary.interactions += 1;
    }

    // The price change sits inside the demo window, so the cost charts show it.
    const cutFrom = at(ctx.now, HAIKU_PRICE_CUT_DAYS_AGO, "00:00");
    await client.query(
      `INSERT INTO model_prices (id, model, effective_from, input_per_mtok, output_per_mtok,
                                 cache_read_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok)
       SELECT $1::uuid, $2::varchar, $3::timestamptz, $4::numeric, $5::numeric, $6::numeric, $7::numeric, $8::numeric
        WHERE NOT EXISTS (SELECT 1 FROM model_prices WHERE model = $2::varchar AND effective_from > $9::timestamptz)
       ON CONFLICT DO NOTHING`,
      [
        seedUuid("price:claude-haiku-4-5:cut"),
        "claude-haiku-4-5",
        cutFrom,
        ...HAIKU_PRICE_CUT,
        BASE_PRICES.find((p) => p.model === "claude-haiku-4-5")?.effectiveFrom,
      ],
    );
    // Each interaction's cost is stored with the price row in effect when it ran, as the app stores a turn's.
    await client.query("SELECT vf_backfill_interaction_costs()");

    for (const project of projects.values()) summary.activities += await insertEvents(client, ctx, project);

    // Past-dated activity went to the default partition: move it into monthly partitions.
    await client.query("SELECT vf_ensure_activity_partitions()");
    await client.query(
      `UPDATE projects p
          SET last_activity_at = a.last_at
         FROM (SELECT project_id, max(created_at) AS last_at FROM project_activity
                WHERE project_id = ANY($1::uuid[]) GROUP BY project_id) a
        WHERE p.id = a.project_id`,
      [[...projects.values()].map((p) => p.id)],
    );
    return summary;
  });
}

function requireProject(projects: Map<ProjectKey, ProjectState>, key: ProjectKey): ProjectState {
  const project = projects.get(key);
  if (!project) throw new Error(`Unknown demo project ${key}`);
  return project;
}
