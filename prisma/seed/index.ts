import { createHash } from "node:crypto";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { env } from "~/env";
import { hashPassword } from "~/server/auth/password";
import { withTransaction } from "~/server/db/pool";
import { prepareText } from "~/server/services/files";
import { z } from "zod";
import {
  demoEdits,
  demoProjects,
  failureModes,
  messagePools,
  scriptedInteractions,
  type DemoOwner,
  type DemoProjectSpec,
  type EditSpec,
  type ModelName,
  type ProjectKey,
  type SeedFile,
} from "./demo-content";

const DAY_MS = 86_400_000;
type Model = ModelName;

export interface SeedOptions {
  log?: (line: string) => void;
  /** Only used when the admin does not exist yet (or still has the old default address); defaults to SEED_ADMIN_EMAIL's. */
  adminEmail?: string;
  /** Only used when the admin does not exist yet. The CLIs pass a generated one (seed/passwords.ts); tests may omit it. */
  adminPassword?: string;
  /** Defaults to `vaporform-demo`. Only used when the demo user does not exist yet. */
  demoPassword?: string;
  /** Folder of the official templates; defaults to prisma/seed/templates. */
  templatesDir?: string;
}

export interface SeedCredential {
  email: string;
  username: string;
  role: "admin" | "user";
  password: string;
  /** false: the user existed already and its password was left alone (it may differ from `password`). */
  created: boolean;
}

export interface SeedSummary {
  credentials: SeedCredential[];
  templates: { inserted: number; updated: number; unchanged: number };
  modelPrices: { inserted: number };
  ratings: { inserted: number };
  /** Demo projects, history and Claude usage: generated once, skipped (all zero) on later runs. */
  demo: {
    generated: boolean;
    projects: number;
    files: number;
    fileEdits: number;
    interactions: number;
    activities: number;
    resources: number;
  };
}

/** The lines that tell a newcomer how to sign in. */
export function describeCredentials(credentials: SeedCredential[]): string[] {
  return credentials.map((credential) => {
    const password = credential.created ? credential.password : `${credential.password} (unless changed since)`;
    return `${credential.role.padEnd(5)}  ${credential.email.padEnd(20)}  ${password}`;
  });
}

/**
 * Fills a migrated database with the official templates, an admin and a demo user, demo projects with a
 * history, dated model prices and two months of Claude usage. Idempotent: a second run inserts nothing,
 * only refreshes templates whose files changed, and never re-hashes an existing user's password.
 */
export async function seedDatabase(db: pg.Pool, options: SeedOptions = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => {});
  const now = new Date();
  const templatesDir = options.templatesDir ?? fileURLToPath(new URL("./templates", import.meta.url));

  const admin = await ensureUser(db, {
    key: "admin",
    email: options.adminEmail ?? env.SEED_ADMIN_EMAIL,
    replacesEmail: LEGACY_ADMIN_EMAIL,
    username: "admin",
    fullName: "Vaporform Admin",
    role: "admin",
    password: options.adminPassword ?? "vaporform-admin",
    bio: "Runs this Vaporform install.",
    createdAt: new Date(now.getTime() - 75 * DAY_MS),
  });
  const demo = await ensureUser(db, {
    key: "demo",
    email: "demo@vaporform.dev",
    username: "demo",
    fullName: "Alex Rivera",
    role: "user",
    password: options.demoPassword ?? "vaporform-demo",
    bio: "Frontend developer trying Vaporform.",
    createdAt: new Date(now.getTime() - 70 * DAY_MS),
  });
  log(`users: admin ${admin.created ? "created" : "exists"}, demo ${demo.created ? "created" : "exists"}`);

  const templates = await loadTemplates(templatesDir);
  const templateResult = await upsertTemplates(db, templates, admin.id, now);
  log(
    `templates: ${templates.length} official (${templateResult.inserted} inserted, ` +
      `${templateResult.updated} updated, ${templateResult.unchanged} unchanged)`,
  );

  const pricesInserted = await insertModelPrices(db);
  const ratingsInserted = await insertRatings(db, { admin: admin.id, demo: demo.id }, now);
  log(`model prices: ${pricesInserted} inserted; ratings: ${ratingsInserted} inserted`);

  const demoResult = await generateDemo(db, {
    users: { admin: admin.id, demo: demo.id },
    templates,
    now,
  });
  log(
    demoResult.generated
      ? `demo: ${demoResult.projects} projects, ${demoResult.files} files, ${demoResult.fileEdits} edits, ` +
          `${demoResult.interactions} Claude interactions, ${demoResult.activities} extra activity rows`
      : "demo: already generated, skipped",
  );

  return {
    credentials: [admin.credential, demo.credential],
    templates: templateResult,
    modelPrices: { inserted: pricesInserted },
    ratings: { inserted: ratingsInserted },
    demo: demoResult,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------------------

const SEED_NAMESPACE = Buffer.from("8f1d6c2e5b7a4f0e9c3d2a1b0e9f8d7c", "hex");

/** A UUID v5 (SHA-1, RFC 9562) of `name` in the seed's namespace: the same name gives the same id on every run. */
export function seedUuid(name: string): string {
  const digest = createHash("sha1").update(SEED_NAMESPACE).update(name).digest().subarray(0, 16);
  digest.writeUInt8((digest.readUInt8(6) & 0x0f) | 0x50, 6);
  digest.writeUInt8((digest.readUInt8(8) & 0x3f) | 0x80, 8);
  const hex = digest.toString("hex");
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/** mulberry32: a small deterministic PRNG, so the generated usage is the same on every fresh database. */
function createRandom(seed: number) {
  let state = seed >>> 0;
  const next = () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (min: number, max: number) => min + Math.floor(next() * (max - min + 1));
  const pick = <T>(items: readonly T[]): T => {
    const item = items[Math.floor(next() * items.length)];
    if (item === undefined) throw new Error("pick from an empty list");
    return item;
  };
  const weighted = <T>(entries: readonly (readonly [T, number])[]): T => {
    const total = entries.reduce((sum, [, weight]) => sum + weight, 0);
    let roll = next() * total;
    for (const [value, weight] of entries) {
      roll -= weight;
      if (roll < 0) return value;
    }
    return entries[entries.length - 1]![0];
  };
  return { next, int, pick, weighted };
}

/** The transaction-local actor context read by the file triggers (docs/schema.md, fix 3). */
async function setActor(
  client: pg.PoolClient,
  actorId: string | null,
  source: "user" | "claude" | "system",
  interactionId: string | null = null,
) {
  await client.query(
    "SELECT set_config('vaporform.actor_id', $1, true), set_config('vaporform.source_type', $2, true), " +
      "set_config('vaporform.interaction_id', $3, true)",
    [actorId ?? "", source, interactionId ?? ""],
  );
}

/** `daysAgo` days before `now`'s UTC day, at `time` (HH:MM, UTC). */
function at(now: Date, daysAgo: number, time: string): Date {
  const [hours, minutes] = time.split(":").map(Number);
  const day = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()) - daysAgo * DAY_MS;
  return new Date(day + ((hours ?? 0) * 60 + (minutes ?? 0)) * 60_000);
}

/** What the app stores for a file's content (type, MIME type, size, line count, hash): its own preparation. */
function describeFile(filePath: string, content: string) {
  const file = prepareText(filePath, content, Infinity);
  return {
    fileName: file.name,
    fileType: file.fileType,
    mimeType: file.mimeType,
    sizeBytes: file.sizeBytes,
    lineCount: file.lineCount,
    contentHash: file.contentHash,
  };
}

// ---------------------------------------------------------------------------------------------------------
// 1. Users
// ---------------------------------------------------------------------------------------------------------

/**
 * The admin's address before SEED_ADMIN_EMAIL: on a real domain, whose owner could receive the admin's reset mail.
 * An admin still using it is moved to the configured address.
 */
const LEGACY_ADMIN_EMAIL = "admin@vaporform.dev";

interface UserSpec {
  key: DemoOwner;
  email: string;
  /** An address the existing user is moved off (to `email`). */
  replacesEmail?: string;
  username: string;
  fullName: string;
  role: "admin" | "user";
  password: string;
  bio: string;
  createdAt: Date;
}

async function ensureUser(db: pg.Pool, spec: UserSpec) {
  const credential = (created: boolean, email = spec.email): SeedCredential => ({
    email,
    username: spec.username,
    role: spec.role,
    password: spec.password,
    created,
  });
  // The seeded user by its id first: its address may differ from today's setting.
  const existing = await db.query<{ id: string; email: string }>(
    "SELECT id, email::text FROM users WHERE id = $1 OR email = $2 ORDER BY id = $1 DESC LIMIT 1",
    [seedUuid(`user:${spec.key}`), spec.email],
  );
  const found = existing.rows[0];
  if (found && spec.replacesEmail && found.email.toLowerCase() === spec.replacesEmail && found.email !== spec.email) {
    const moved = await db.query(
      "UPDATE users SET email = $2 WHERE id = $1 AND NOT EXISTS (SELECT 1 FROM users WHERE email = $2)",
      [found.id, spec.email],
    );
    if (moved.rowCount !== 1) throw new Error(`Cannot move ${spec.username} to ${spec.email}: another account has it.`);
    return { id: found.id, created: false, credential: credential(false) };
  }
  if (found) return { id: found.id, created: false, credential: credential(false, found.email) };

  const passwordHash = await hashPassword(spec.password);
  const inserted = await db.query<{ id: string }>(
    `INSERT INTO users (id, email, username, full_name, password_hash, role, bio, email_verified, email_verified_at,
                        is_active, created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, true, $8, true, $8, $8)
     ON CONFLICT DO NOTHING
     RETURNING id`,
    [seedUuid(`user:${spec.key}`), spec.email, spec.username, spec.fullName, passwordHash, spec.role, spec.bio, spec.createdAt],
  );
  if (inserted.rows[0]) return { id: inserted.rows[0].id, created: true, credential: credential(true) };

  // Lost a race with a concurrent seed, or the username belongs to another account.
  const raced = await db.query<{ id: string }>("SELECT id FROM users WHERE email = $1", [spec.email]);
  if (raced.rows[0]) return { id: raced.rows[0].id, created: false, credential: credential(false) };
  throw new Error(`Cannot create ${spec.email}: the username "${spec.username}" is taken by another account.`);
}

// ---------------------------------------------------------------------------------------------------------
// 2. Official templates
// ---------------------------------------------------------------------------------------------------------

const ZTemplateManifest = z.object({
  name: z.string().min(1).max(255),
  description: z.string().min(1),
  category: z.string().min(1).max(100),
  tags: z.array(z.string().min(1)),
  tech_stack: z.record(z.string(), z.unknown()),
  version: z.string().max(20),
  changelog: z.string(),
  is_featured: z.boolean(),
});

export interface SeedTemplate {
  slug: string;
  id: string;
  manifest: z.infer<typeof ZTemplateManifest>;
  files: SeedFile[];
}

/** Reads every `<slug>/template.json` + `<slug>/files/**` under `dir`, files sorted by path. */
export async function loadTemplates(dir: string): Promise<SeedTemplate[]> {
  const entries = await readdir(dir, { withFileTypes: true });
  const slugs = entries.filter((entry) => entry.isDirectory()).map((entry) => entry.name).sort();
  const templates: SeedTemplate[] = [];
  for (const slug of slugs) {
    const manifestPath = path.join(dir, slug, "template.json");
    const parsed = ZTemplateManifest.safeParse(JSON.parse(await readFile(manifestPath, "utf8")));
    if (!parsed.success) throw new Error(`${manifestPath}: ${z.prettifyError(parsed.error)}`);
    const files = await readTree(path.join(dir, slug, "files"));
    if (files.length === 0) throw new Error(`Template ${slug} has no files`);
    templates.push({ slug, id: seedUuid(`template:${slug}`), manifest: parsed.data, files });
  }
  return templates;
}

async function readTree(root: string): Promise<SeedFile[]> {
  const files: SeedFile[] = [];
  async function walk(dir: string) {
    for (const entry of await readdir(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) await walk(full);
      else if (entry.isFile()) {
        files.push({ path: path.relative(root, full).split(path.sep).join("/"), content: await readFile(full, "utf8") });
      }
    }
  }
  await walk(root);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

async function upsertTemplates(db: pg.Pool, templates: SeedTemplate[], adminId: string, now: Date) {
  const published = new Date(now.getTime() - 70 * DAY_MS);
  return withTransaction(db, async (client) => {
    const result = { inserted: 0, updated: 0, unchanged: 0 };
    for (const template of templates) {
      const m = template.manifest;
      // Only a change of the template's own content rewrites the row: usage and ratings are never touched.
      const { rows } = await client.query<{ inserted: boolean }>(
        `INSERT INTO project_templates AS t (id, created_by, name, description, category, tags, tech_stack, file_structure,
                                             is_public, is_featured, is_official, version, changelog,
                                             created_at, updated_at, published_at)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, true, $9, true, $10, $11, $12, $12, $12)
         ON CONFLICT (id) DO UPDATE
            SET name = EXCLUDED.name, description = EXCLUDED.description, category = EXCLUDED.category,
                tags = EXCLUDED.tags, tech_stack = EXCLUDED.tech_stack, file_structure = EXCLUDED.file_structure,
                is_featured = EXCLUDED.is_featured, version = EXCLUDED.version, changelog = EXCLUDED.changelog
          WHERE (t.name, t.description, t.category, t.tags, t.tech_stack, t.file_structure, t.is_featured,
                 t.version, t.changelog)
                IS DISTINCT FROM
                (EXCLUDED.name, EXCLUDED.description, EXCLUDED.category, EXCLUDED.tags, EXCLUDED.tech_stack,
                 EXCLUDED.file_structure, EXCLUDED.is_featured, EXCLUDED.version, EXCLUDED.changelog)
         RETURNING (xmax = 0) AS inserted`,
        [
          template.id,
          adminId,
          m.name,
          m.description,
          m.category,
          m.tags,
          JSON.stringify(m.tech_stack),
          JSON.stringify({ files: template.files }),
          m.is_featured,
          m.version,
          m.changelog,
          published,
        ],
      );
      const row = rows[0];
      if (!row) result.unchanged += 1;
      else if (row.inserted) result.inserted += 1;
      else result.updated += 1;
    }
    return result;
  });
}

// ---------------------------------------------------------------------------------------------------------
// 4. Model prices (USD per million tokens)
// ---------------------------------------------------------------------------------------------------------

interface PriceRow {
  model: Model;
  effectiveFrom: string;
  prices: [input: number, output: number, cacheRead: number, cacheWrite: number, cacheWrite1h: number];
}

/** Launch prices. Haiku's launch row is deliberately higher: the demo shows a dated price change (below). */
const BASE_PRICES: PriceRow[] = [
  { model: "claude-opus-4-1", effectiveFrom: "2025-08-05T00:00:00Z", prices: [15, 75, 1.5, 18.75, 30] },
  { model: "claude-sonnet-4-5", effectiveFrom: "2025-09-29T00:00:00Z", prices: [3, 15, 0.3, 3.75, 6] },
  { model: "claude-haiku-4-5", effectiveFrom: "2025-10-15T00:00:00Z", prices: [1.25, 6.25, 0.125, 1.5625, 2.5] },
];
const HAIKU_PRICE_CUT: PriceRow["prices"] = [1, 5, 0.1, 1.25, 2];
const HAIKU_PRICE_CUT_DAYS_AGO = 24;

const INSERT_PRICE = `INSERT INTO model_prices (id, model, effective_from, input_per_mtok, output_per_mtok,
                                                 cache_read_per_mtok, cache_write_per_mtok, cache_write_1h_per_mtok)
                      VALUES ($1, $2, $3, $4, $5, $6, $7, $8)
                      ON CONFLICT DO NOTHING`;

async function insertModelPrices(db: pg.Pool): Promise<number> {
  return withTransaction(db, async (client) => {
    let inserted = 0;
    for (const row of BASE_PRICES) {
      const result = await client.query(INSERT_PRICE, [
        seedUuid(`price:${row.model}:${row.effectiveFrom}`),
        row.model,
        row.effectiveFrom,
        ...row.prices,
      ]);
      inserted += result.rowCount ?? 0;
    }
    return inserted;
  });
}

// ---------------------------------------------------------------------------------------------------------
// 6. Template ratings
// ---------------------------------------------------------------------------------------------------------

const RATINGS: { user: DemoOwner; template: string; rating: number; review: string | null; daysAgo: number }[] = [
  { user: "demo", template: "react-vite", rating: 5, review: "Started my task board from this. Clean, tiny, and the reducer test is a nice touch.", daysAgo: 50 },
  { user: "demo", template: "express-api", rating: 4, review: "Does what it says. I'd like a database variant next.", daysAgo: 30 },
  { user: "admin", template: "nextjs-app", rating: 5, review: null, daysAgo: 40 },
  { user: "admin", template: "pwa", rating: 4, review: "Works offline out of the box; remember to bump the cache name.", daysAgo: 20 },
];

async function insertRatings(db: pg.Pool, users: Record<DemoOwner, string>, now: Date): Promise<number> {
  return withTransaction(db, async (client) => {
    let inserted = 0;
    for (const r of RATINGS) {
      const createdAt = at(now, r.daysAgo, "12:00");
      const result = await client.query(
        `INSERT INTO template_ratings (id, template_id, user_id, rating, review, created_at, updated_at)
         SELECT $1::uuid, t.id, $3::uuid, $4::smallint, $5::text, $6::timestamptz, $6::timestamptz
           FROM project_templates t WHERE t.id = $2
         ON CONFLICT DO NOTHING`,
        [seedUuid(`rating:${r.user}:${r.template}`), seedUuid(`template:${r.template}`), users[r.user], r.rating, r.review, createdAt],
      );
      inserted += result.rowCount ?? 0;
    }
    return inserted;
  });
}

// ---------------------------------------------------------------------------------------------------------
// 3 + 5. Demo projects, their history, and Claude usage (once)
// ---------------------------------------------------------------------------------------------------------

interface DemoContext {
  users: Record<DemoOwner, string>;
  templates: SeedTemplate[];
  now: Date;
}

interface ProjectState {
  spec: DemoProjectSpec;
  id: string;
  ownerId: string;
  createdAt: Date;
  files: Map<string, { id: string; content: string }>;
}

interface InteractionRow {
  id: string;
  projectId: string;
  userId: string;
  type: "chat" | "file_modification" | "debug" | "project_creation";
  userMessage: string;
  response: string;
  contextData: Record<string, unknown>;
  affectedFiles: string[] | null;
  commands: string[] | null;
  success: boolean;
  errorMessage: string | null;
  executionTimeMs: number;
  inputTokens: number;
  outputTokens: number;
  cacheReadTokens: number;
  cacheWriteTokens: number;
  cacheWrite1hTokens: number;
  model: Model;
  stopReason: string | null;
  conversationId: string;
  createdAt: Date;
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

async function generateDemo(db: pg.Pool, ctx: DemoContext): Promise<SeedSummary["demo"]> {
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

/**
 * The file triggers stamp activity and versions with now(): move the rows this transaction wrote since the
 * last call (still stamped now()) to the moment the change is meant to have happened.
 */
async function backdate(client: pg.PoolClient, projectId: string, when: Date) {
  await client.query("UPDATE project_activity SET created_at = $2 WHERE project_id = $1 AND created_at = now()", [
    projectId,
    when,
  ]);
  await client.query("UPDATE project_file_versions SET created_at = $2 WHERE project_id = $1 AND created_at = now()", [
    projectId,
    when,
  ]);
}

async function createProject(
  client: pg.PoolClient,
  ctx: DemoContext,
  spec: DemoProjectSpec,
  nextInteractionId: () => string,
  random: ReturnType<typeof createRandom>,
): Promise<ProjectState> {
  const template = spec.templateSlug ? ctx.templates.find((t) => t.slug === spec.templateSlug) : undefined;
  if (spec.templateSlug && !template) throw new Error(`Demo project ${spec.name} needs template ${spec.templateSlug}`);
  const files = template?.files ?? spec.files ?? [];
  const ownerId = ctx.users[spec.owner];
  const id = seedUuid(`project:${spec.key}`);
  const createdAt = at(ctx.now, spec.createdDaysAgo, spec.events[0]?.time ?? "09:00");
  const running = spec.status === "running";

  await client.query(
    `INSERT INTO projects (id, user_id, template_id, name, description, functionality, architecture_type, tech_stack,
                           status, health_status, container_id, service_url, internal_ip, allocated_port,
                           memory_limit_mb, cpu_limit_percent, storage_limit_mb, deployment_count, deployed_at,
                           created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)`,
    [
      id,
      ownerId,
      template?.id ?? null,
      spec.name,
      spec.description,
      spec.functionality,
      spec.architectureType,
      JSON.stringify(template?.manifest.tech_stack ?? spec.techStack ?? {}),
      spec.status,
      spec.healthStatus,
      spec.status === "stopped" ? null : `vf-${spec.key.toLowerCase()}-${id.slice(0, 8)}`,
      running && spec.port ? `http://localhost:${spec.port}` : null,
      spec.internalIp ?? null,
      spec.port ?? null,
      spec.limits.memoryMb,
      spec.limits.cpuPercent,
      spec.limits.storageMb,
      spec.events.filter((e) => e.type === "deployed").length,
      lastEventAt(ctx.now, spec, "deployed"),
      createdAt,
    ],
  );

  let interactionId: string | null = null;
  if (spec.createdByClaude) {
    interactionId = nextInteractionId();
    await insertInteraction(
      client,
      buildInteraction(random, {
        id: interactionId,
        project: { id, ownerId },
        type: "project_creation",
        model: "claude-sonnet-4-5",
        userMessage: spec.createdByClaude.prompt,
        response: spec.createdByClaude.response,
        files: files.map((f) => f.path),
        createdAt: new Date(createdAt.getTime() - 60_000),
        conversationId: seedUuid(`conversation:create:${spec.key}`),
        turn: 0,
        forceSuccess: true,
      }),
    );
  }

  await setActor(client, ownerId, spec.createdByClaude ? "claude" : "user", interactionId);
  const state: ProjectState = { spec, id, ownerId, createdAt, files: new Map() };
  for (const file of files) {
    const fileId = seedUuid(`file:${spec.key}:${file.path}`);
    const meta = describeFile(file.path, file.content);
    await client.query(
      `INSERT INTO project_files (id, project_id, file_path, file_name, file_type, mime_type, content, content_hash,
                                  encoding, size_bytes, line_count, is_binary, is_generated, version,
                                  created_at, updated_at, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'utf-8', $9, $10, false, $11, 1, $12, $12, $13, $13)`,
      [
        fileId,
        id,
        file.path,
        meta.fileName,
        meta.fileType,
        meta.mimeType,
        file.content,
        meta.contentHash,
        meta.sizeBytes,
        meta.lineCount,
        Boolean(spec.createdByClaude),
        createdAt,
        ownerId,
      ],
    );
    state.files.set(file.path, { id: fileId, content: file.content });
  }
  await backdate(client, id, createdAt);

  for (const resource of spec.resources) {
    const active = resource.status === "active";
    await client.query(
      `INSERT INTO infrastructure_resources (id, project_id, resource_type, resource_name, resource_id, configuration,
                                             status, health_check_url, last_health_check, health_status,
                                             cpu_usage_percent, memory_usage_mb, disk_usage_mb, network_in_bytes,
                                             network_out_bytes, created_at, updated_at, last_metrics_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)`,
      [
        seedUuid(`resource:${spec.key}:${resource.type}:${resource.name}`),
        id,
        resource.type,
        resource.name,
        createHash("sha256").update(`${spec.key}/${resource.name}`).digest("hex").slice(0, resource.type === "container" ? 12 : 24),
        JSON.stringify(resource.configuration),
        resource.status,
        resource.type === "container" && spec.port ? `http://${spec.internalIp ?? "127.0.0.1"}:${spec.port}/` : null,
        resource.type === "container" ? new Date(ctx.now.getTime() - (active ? 45_000 : 6 * DAY_MS)) : null,
        resource.healthStatus,
        resource.cpuPercent ?? null,
        resource.memoryMb ?? null,
        resource.diskMb ?? null,
        resource.networkIn ?? 0,
        resource.networkOut ?? 0,
        createdAt,
        resource.type === "container" || resource.type === "volume" ? new Date(ctx.now.getTime() - 60_000) : null,
      ],
    );
  }
  return state;
}

function lastEventAt(now: Date, spec: DemoProjectSpec, type: string): Date | null {
  const events = spec.events.filter((e) => e.type === type);
  const last = events.sort((a, b) => at(now, a.daysAgo, a.time).getTime() - at(now, b.daysAgo, b.time).getTime()).pop();
  return last ? at(now, last.daysAgo, last.time) : null;
}

async function applyEdit(
  client: pg.PoolClient,
  ctx: DemoContext,
  project: ProjectState,
  edit: EditSpec,
  random: ReturnType<typeof createRandom>,
  nextInteractionId: () => string,
): Promise<boolean> {
  const when = at(ctx.now, edit.daysAgo, edit.time);
  let interactionId: string | null = null;
  if (edit.by === "claude") {
    const row = buildInteraction(random, {
      id: nextInteractionId(),
      project,
      type: "file_modification",
      model: edit.model ?? "claude-sonnet-4-5",
      userMessage: edit.prompt ?? "Make the change.",
      response: edit.summary ?? "Done.",
      files: edit.changes.map((c) => c.path),
      createdAt: when,
      conversationId: seedUuid(`conversation:edit:${edit.project}:${edit.daysAgo}:${edit.time}`),
      turn: 0,
      forceSuccess: true,
    });
    await insertInteraction(client, row);
    interactionId = row.id;
  }

  await setActor(client, project.ownerId, edit.by === "claude" ? "claude" : "user", interactionId);
  for (const change of edit.changes) {
    const file = project.files.get(change.path);
    if (!file) throw new Error(`Demo edit of ${project.spec.name}: no file ${change.path}`);
    let content = file.content;
    for (const [find, replacement] of change.replace ?? []) {
      if (!content.includes(find)) {
        throw new Error(`Demo edit of ${project.spec.name}/${change.path}: text not found: ${find.slice(0, 60)}`);
      }
      content = content.replace(find, replacement);
    }
    if (change.append) content += change.append;
    const meta = describeFile(change.path, content);
    await client.query(
      `UPDATE project_files
          SET content = $2, content_hash = $3, size_bytes = $4, line_count = $5, updated_by = $6
        WHERE id = $1`,
      [file.id, content, meta.contentHash, meta.sizeBytes, meta.lineCount, project.ownerId],
    );
    file.content = content;
  }
  await backdate(client, project.id, new Date(when.getTime() + (interactionId ? 90_000 : 0)));
  return interactionId !== null;
}

async function insertEvents(client: pg.PoolClient, ctx: DemoContext, project: ProjectState): Promise<number> {
  for (const [index, event] of project.spec.events.entries()) {
    await client.query(
      `INSERT INTO project_activity (id, project_id, user_id, activity_type, description, metadata, source_type, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        seedUuid(`activity:${project.spec.key}:${index}`),
        project.id,
        event.source === "user" ? project.ownerId : null,
        event.type,
        event.description,
        JSON.stringify(event.metadata ?? {}),
        event.source,
        at(ctx.now, event.daysAgo, event.time),
      ],
    );
  }
  return project.spec.events.length;
}

// ---------------------------------------------------------------------------------------------------------
// Claude interactions
// ---------------------------------------------------------------------------------------------------------

/** Per model: fresh input tokens, output tokens and generation speed (ms per output token). */
const MODEL_SHAPES: Record<Model, { input: [number, number]; output: [number, number]; msPerToken: number }> = {
  "claude-opus-4-1": { input: [1_500, 9_000], output: [400, 4_500], msPerToken: 28 },
  "claude-sonnet-4-5": { input: [1_200, 12_000], output: [250, 5_000], msPerToken: 14 },
  "claude-haiku-4-5": { input: [600, 5_000], output: [80, 1_500], msPerToken: 6 },
};

interface InteractionInput {
  id: string;
  project: { id: string; ownerId: string };
  type: InteractionRow["type"];
  model: Model;
  userMessage: string;
  response: string;
  files: string[];
  createdAt: Date;
  conversationId: string;
  /** Position in its conversation: later turns read the cached context of earlier ones. */
  turn: number;
  forceSuccess?: boolean;
}

function buildInteraction(random: ReturnType<typeof createRandom>, input: InteractionInput): InteractionRow {
  const shape = MODEL_SHAPES[input.model];
  const heavy = input.type === "file_modification" || input.type === "project_creation";
  const failure = input.forceSuccess || random.next() >= 0.05 ? null : random.pick(failureModes);
  const billed = failure === null || failure.billed;

  let inputTokens = random.int(...shape.input) * (heavy ? 2 : 1);
  let outputTokens = Math.round(random.int(...shape.output) * (heavy ? 1.6 : 1));
  // A conversation's first turn writes the system prompt and files to the cache; later turns read them back.
  const contextTokens = random.int(6_000, 28_000);
  const oneHourCache = input.turn === 0 && input.model === "claude-opus-4-1" && random.next() < 0.3;
  let cacheReadTokens = input.turn === 0 ? 0 : contextTokens + input.turn * random.int(1_500, 6_000);
  let cacheWriteTokens = input.turn === 0 ? (oneHourCache ? 0 : contextTokens) : random.int(300, 3_000);
  let cacheWrite1hTokens = oneHourCache ? contextTokens : 0;
  if (!billed) {
    inputTokens = 0;
    outputTokens = 0;
    cacheReadTokens = 0;
    cacheWriteTokens = 0;
    cacheWrite1hTokens = 0;
  }
  if (failure?.billed) outputTokens = Math.round(outputTokens / 3);

  const executionTimeMs =
    failure && !failure.billed
      ? failure.timeMs + random.int(0, 400)
      : random.int(400, 1_800) + outputTokens * shape.msPerToken + (heavy ? random.int(1_000, 9_000) : 0);

  const stopReason = failure
    ? failure.billed
      ? "end_turn"
      : null
    : random.weighted(
        heavy
          ? ([["end_turn", 80], ["tool_use", 15], ["max_tokens", 5]] as const)
          : ([["end_turn", 95], ["max_tokens", 5]] as const),
      );
  const file = input.files[0] ?? "the project";

  return {
    id: input.id,
    projectId: input.project.id,
    userId: input.project.ownerId,
    type: input.type,
    userMessage: input.userMessage,
    response: failure && !failure.billed ? "" : input.response,
    contextData: {
      turn: input.turn,
      files_in_context: input.files.slice(0, 5),
      client: "vaporform-ide",
    },
    affectedFiles: heavy ? input.files : null,
    commands:
      input.type === "file_modification" && random.next() < 0.4
        ? ["npm test"]
        : input.type === "debug"
          ? [random.pick(["npm test", "npm run build", "docker logs --tail 50 app"])]
          : null,
    success: failure === null,
    errorMessage: failure ? failure.message.replace("{file}", file) : null,
    executionTimeMs,
    inputTokens,
    outputTokens,
    cacheReadTokens,
    cacheWriteTokens,
    cacheWrite1hTokens,
    model: input.model,
    stopReason,
    conversationId: input.conversationId,
    createdAt: input.createdAt,
  };
}

/** About 7 conversations a weekday and 3 a weekend day over the last 60 days, mostly by the demo user. */
function generateInteractions(
  ctx: DemoContext,
  projects: Map<ProjectKey, ProjectState>,
  random: ReturnType<typeof createRandom>,
  nextInteractionId: () => string,
): InteractionRow[] {
  const rows: InteractionRow[] = [];
  const latest = ctx.now.getTime() - 15 * 60_000;
  const all = [...projects.values()];
  let conversation = 0;

  for (let daysAgo = 59; daysAgo >= 0; daysAgo -= 1) {
    const dayStart = at(ctx.now, daysAgo, "00:00");
    const weekend = dayStart.getUTCDay() === 0 || dayStart.getUTCDay() === 6;
    const sessions = weekend ? random.int(1, 3) : random.int(3, 6);
    for (let s = 0; s < sessions; s += 1) {
      const owner: DemoOwner = random.next() < 0.2 ? "admin" : "demo";
      const start = new Date(dayStart.getTime() + (random.int(7, 21) * 60 + random.int(0, 59)) * 60_000);
      const candidates = all.filter((p) => p.spec.owner === owner && p.createdAt.getTime() + 3_600_000 < start.getTime());
      if (candidates.length === 0 || start.getTime() > latest) continue;
      const project = random.pick(candidates);
      const model = random.weighted([
        ["claude-sonnet-4-5", 60],
        ["claude-haiku-4-5", 25],
        ["claude-opus-4-1", 15],
      ] as const);
      const conversationId = seedUuid(`conversation:${conversation++}`);
      const turns = random.weighted([[1, 30], [2, 30], [3, 25], [4, 10], [5, 5]] as const);
      let time = start.getTime();
      for (let turn = 0; turn < turns && time <= latest; turn += 1) {
        const type = random.weighted([
          ["chat", 45],
          ["file_modification", 35],
          ["debug", 20],
        ] as const);
        const files = [...project.files.keys()];
        const file = random.pick(files);
        const [message, response] = random.pick(messagePools[type]);
        rows.push(
          buildInteraction(random, {
            id: nextInteractionId(),
            project,
            type,
            model,
            userMessage: message.replaceAll("{file}", file),
            response: response.replaceAll("{file}", file),
            files: type === "file_modification" ? [file] : [file, random.pick(files)].filter((f, i, a) => a.indexOf(f) === i),
            createdAt: new Date(time),
            conversationId,
            turn,
          }),
        );
        time += random.int(2, 9) * 60_000 + random.int(0, 59) * 1_000;
      }
    }
  }
  return rows;
}

async function insertInteraction(client: pg.PoolClient, row: InteractionRow) {
  await client.query(
    `INSERT INTO claude_interactions (id, project_id, user_id, interaction_type, user_message, claude_response,
                                      context_data, affected_files, commands_executed, success, error_message,
                                      execution_time_ms, input_tokens, output_tokens, total_tokens, model,
                                      cache_read_tokens, cache_write_tokens, cache_write_1h_tokens, stop_reason,
                                      conversation_id, service_tier, created_at, completed_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $21,
             'standard', $22, $23)`,
    [
      row.id,
      row.projectId,
      row.userId,
      row.type,
      row.userMessage,
      row.response,
      JSON.stringify(row.contextData),
      row.affectedFiles,
      row.commands,
      row.success,
      row.errorMessage,
      row.executionTimeMs,
      row.inputTokens,
      row.outputTokens,
      row.inputTokens + row.outputTokens,
      row.model,
      row.cacheReadTokens,
      row.cacheWriteTokens,
      row.cacheWrite1hTokens,
      row.stopReason,
      row.conversationId,
      row.createdAt,
      new Date(row.createdAt.getTime() + row.executionTimeMs),
    ],
  );
}
