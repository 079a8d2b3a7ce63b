/**
 * The seed: templates, an admin and a demo user, demo projects with a history, model prices and Claude usage.
 * One module a concern; this one runs them in order.
 */
import { fileURLToPath } from "node:url";
import type pg from "pg";
import { env } from "~/env";
import { DAY_MS } from "./helpers";
import { LEGACY_ADMIN_EMAIL, ensureUser } from "./users";
import { loadTemplates, upsertTemplates } from "./templates";
import { insertModelPrices } from "./prices";
import { insertRatings } from "./ratings";
import { generateDemo } from "./demo";

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
