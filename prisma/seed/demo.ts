/**
 * 3 + 5. Demo projects, their history, and Claude usage (once). Files, versions and file activity are written by the
 * app's services (createProject, saveFile, writeFiles under withWrite); the demo's Claude usage (which only a real
 * assistant turn writes) is inserted beside them, in the same transaction. No infrastructure is invented: the demo
 * projects have never been started, as the app itself would leave them.
 */
import type pg from "pg";
import { createDatabase, type Database } from "~/server/db/client";
import type { WriteTx } from "~/server/db/write";
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
import { createDemoProject, applyEdit } from "./demo-projects";
import { buildInteraction, generateInteractions, insertInteractions } from "./interactions";

export interface DemoInput {
  users: Record<DemoOwner, string>;
  templates: SeedTemplate[];
  now: Date;
}

export interface DemoContext extends DemoInput {
  /** The demo's one transaction, for the rows the seed writes itself. */
  tx: WriteTx;
  /**
   * The same transaction, as the services take it: their withWrite opens a savepoint in it (Prisma nests an
   * interactive transaction), so the whole demo still commits, or rolls back, at once. The transaction's client
   * lacks only $connect, $disconnect, $on and $extends, which no service calls.
   */
  db: Database;
}

export interface ProjectState {
  spec: DemoProjectSpec;
  id: string;
  ownerId: string;
  createdAt: Date;
  /** In the order of the spec's (or template's) files: the generated usage picks files by position. */
  files: Map<string, { id: string; version: number; content: string }>;
}

/** What the demo wrote: generated once, skipped (all zero) on later runs. */
export interface DemoSummary {
  generated: boolean;
  projects: number;
  files: number;
  fileEdits: number;
  interactions: number;
}

const EMPTY_DEMO: DemoSummary = {
  generated: false,
  projects: 0,
  files: 0,
  fileEdits: 0,
  interactions: 0,
};

/**
 * Writes the demo once, all or nothing, in one transaction on its own Prisma client over `pool`; a database that
 * already has a demo project is left alone.
 */
export async function generateDemo(pool: pg.Pool, input: DemoInput): Promise<DemoSummary> {
  const app = createDatabase(pool);
  try {
    return await app.$transaction((tx) => writeDemo({ ...input, tx, db: tx as unknown as Database }), {
      timeout: 120_000,
    });
  } finally {
    await app.$disconnect();
  }
}

async function writeDemo(ctx: DemoContext): Promise<DemoSummary> {
  const { tx } = ctx;
  // Two seeds started at once must not both generate: the second waits here, then sees the projects.
  await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(hashtext('vaporform-seed-demo'))`;
  const existing = await tx.project.count({
    where: {
      OR: [
        { userId: ctx.users.demo, name: { in: demoProjects.filter((p) => p.owner === "demo").map((p) => p.name) } },
        { id: { in: demoProjects.map((p) => seedUuid(`project:${p.key}`)) } },
      ],
    },
  });
  if (existing > 0) return EMPTY_DEMO;

  const random = createRandom(20261126);
  const summary = { ...EMPTY_DEMO, generated: true };
  const projects = new Map<ProjectKey, ProjectState>();
  let interactionCounter = 0;
  const nextInteractionId = () => seedUuid(`interaction:${interactionCounter++}`);

  // Projects and their first files, in creation order.
  for (const spec of [...demoProjects].sort((a, b) => b.createdDaysAgo - a.createdDaysAgo)) {
    const state = await createDemoProject(ctx, spec, nextInteractionId, random);
    projects.set(spec.key, state);
    summary.projects += 1;
    summary.files += state.files.size;
    if (spec.createdByClaude) summary.interactions += 1;
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
  await insertInteractions(tx, interactions);
  summary.interactions += interactions.length;

  const edits = [...demoEdits].sort(
    (a, b) => at(ctx.now, a.daysAgo, a.time).getTime() - at(ctx.now, b.daysAgo, b.time).getTime(),
  );
  for (const edit of edits) {
    const project = requireProject(projects, edit.project);
    const madeInteraction = await applyEdit(ctx, project, edit, random, nextInteractionId);
    summary.fileEdits += edit.changes.length;
    if (madeInteraction) summary.interactions += 1;
  }

  // The price change sits inside the demo window, so the cost charts show it.
  const [cutInput, cutOutput, cutCacheRead, cutCacheWrite, cutCacheWrite1h] = HAIKU_PRICE_CUT;
  const haikuLaunch = BASE_PRICES.find((p) => p.model === "claude-haiku-4-5")?.effectiveFrom;
  await tx.$executeRaw`
    INSERT INTO model_prices (id, model, effective_from, input_per_mtok, output_per_mtok,
                              cache_read_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok)
    SELECT ${seedUuid("price:claude-haiku-4-5:cut")}::uuid, 'claude-haiku-4-5',
           ${at(ctx.now, HAIKU_PRICE_CUT_DAYS_AGO, "00:00")}::timestamptz, ${cutInput}::numeric,
           ${cutOutput}::numeric, ${cutCacheRead}::numeric, ${cutCacheWrite}::numeric, ${cutCacheWrite1h}::numeric
     WHERE NOT EXISTS (SELECT 1 FROM model_prices
                        WHERE model = 'claude-haiku-4-5' AND effective_from > ${haikuLaunch}::timestamptz)
    ON CONFLICT DO NOTHING`;
  // Each interaction's cost is stored with the price row in effect when it ran, as the app stores a turn's.
  await tx.$queryRaw`SELECT vf_backfill_interaction_costs() AS priced`;

  // Past-dated activity went to the default partition: move it into monthly partitions.
  await tx.$queryRaw`SELECT vf_ensure_activity_partitions() AS moved`;
  await tx.$executeRaw`
    UPDATE projects p
       SET last_activity_at = a.last_at
      FROM (SELECT project_id, max(created_at) AS last_at FROM project_activity
             WHERE project_id = ANY(${[...projects.values()].map((p) => p.id)}::uuid[]) GROUP BY project_id) a
     WHERE p.id = a.project_id`;
  return summary;
}

function requireProject(projects: Map<ProjectKey, ProjectState>, key: ProjectKey): ProjectState {
  const project = projects.get(key);
  if (!project) throw new Error(`Unknown demo project ${key}`);
  return project;
}
