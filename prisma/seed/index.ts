/**
 * The seed: templates, an admin and a demo user, demo projects with a history, model prices and Claude usage.
 * One module a concern; this one runs them in order and reports what they wrote.
 */
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { ensureSeedUsers, type SeedCredential, type SeedUsersOptions } from "./users";
import { loadTemplates, upsertTemplates } from "./templates";
import { insertModelPrices } from "./prices";
import { insertRatings } from "./ratings";
import { generateDemo, type DemoSummary } from "./demo";
import { removeInventedInfrastructure, type InventedInfrastructureRemoved } from "./invented-infrastructure";

export { describeCredentials, type SeedCredential } from "./users";

export interface SeedOptions extends SeedUsersOptions {
  log?: (line: string) => void;
  /** Folder of the official templates; defaults to prisma/seed/templates. */
  templatesDir?: string;
}

export interface SeedSummary {
  credentials: SeedCredential[];
  templates: { inserted: number; updated: number; unchanged: number };
  modelPrices: { inserted: number };
  ratings: { inserted: number };
  /** Demo projects, history and Claude usage: generated once, skipped (all zero) on later runs. */
  demo: DemoSummary;
  /** What an earlier seed invented (infrastructure rows, container state, events) and this run removed. */
  inventedRemoved: InventedInfrastructureRemoved;
}

/**
 * Fills a migrated database with the official templates, an admin and a demo user, demo projects with a
 * history, dated model prices and two months of Claude usage. Idempotent: a second run inserts nothing,
 * only refreshes templates whose files changed, and never re-hashes an existing user's password. It also removes
 * the infrastructure an earlier seed invented for the demo projects (`invented-infrastructure.ts`).
 */
export async function seedDatabase(db: pg.Pool, options: SeedOptions = {}): Promise<SeedSummary> {
  const log = options.log ?? (() => {});
  const now = new Date();
  const templatesDir = options.templatesDir ?? fileURLToPath(new URL("./templates", import.meta.url));

  const { admin, demo } = await ensureSeedUsers(db, options, now);
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

  const inventedRemoved = await removeInventedInfrastructure(db);
  if (inventedRemoved.resources + inventedRemoved.activities + inventedRemoved.projects > 0) {
    log(
      `invented by an earlier demo, removed: ${inventedRemoved.resources} resource rows, ` +
        `${inventedRemoved.activities} activity rows, the container state of ${inventedRemoved.projects} projects`,
    );
  }

  const demoResult = await generateDemo(db, {
    users: { admin: admin.id, demo: demo.id },
    templates,
    now,
  });
  log(
    demoResult.generated
      ? `demo: ${demoResult.projects} projects, ${demoResult.files} files, ${demoResult.fileEdits} edits, ` +
          `${demoResult.interactions} Claude interactions`
      : "demo: already generated, skipped",
  );

  return {
    credentials: [admin.credential, demo.credential],
    templates: templateResult,
    modelPrices: { inserted: pricesInserted },
    ratings: { inserted: ratingsInserted },
    demo: demoResult,
    inventedRemoved,
  };
}
