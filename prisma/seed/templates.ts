/** 2. Official templates, loaded from prisma/seed/templates. */
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import type pg from "pg";
import { withTransaction } from "~/server/db/pool";
import { z } from "zod";
import type { SeedFile } from "./demo-content";
import { DAY_MS, seedUuid } from "./helpers";

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
  const slugs = entries
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
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
        files.push({
          path: path.relative(root, full).split(path.sep).join("/"),
          content: await readFile(full, "utf8"),
        });
      }
    }
  }
  await walk(root);
  return files.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
}

export async function upsertTemplates(db: pg.Pool, templates: SeedTemplate[], adminId: string, now: Date) {
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
      // Its current version, with the same files: projects made from it record exactly what they came from. A
      // published version is never rewritten (a later upgrade merges from it): changed files need a new version.
      const files = JSON.stringify({ files: template.files });
      const version = await client.query<{ same: boolean }>(
        `WITH inserted AS (
           INSERT INTO project_template_versions (template_id, version, changelog, file_structure, tech_stack,
                                                  file_count, total_size_bytes, created_by, created_at)
           VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)
           ON CONFLICT (template_id, version) DO NOTHING
           RETURNING true AS same)
         SELECT same FROM inserted
          UNION ALL
         SELECT v.file_structure = $4::jsonb AS same FROM project_template_versions v
          WHERE v.template_id = $1 AND v.version = $2 AND NOT EXISTS (SELECT 1 FROM inserted)`,
        [
          template.id,
          m.version,
          m.changelog,
          files,
          JSON.stringify(m.tech_stack),
          template.files.length,
          template.files.reduce((sum, file) => sum + Buffer.byteLength(file.content), 0),
          adminId,
          published,
        ],
      );
      if (version.rows[0]?.same === false) {
        throw new Error(
          `Template ${template.slug}: its files changed but its version is still ${m.version}. ` +
            `Give it a new version (and a changelog line) in prisma/seed/templates/${template.slug}/template.json.`,
        );
      }
      const row = rows[0];
      if (!row) result.unchanged += 1;
      else if (row.inserted) result.inserted += 1;
      else result.updated += 1;
    }
    return result;
  });
}
