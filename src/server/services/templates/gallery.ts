/**
 * The gallery: public templates (and the caller's own) filtered by category, tags and ranked full-text search,
 * sorted by use, by a fair "top rated" score, by date or by relevance, a page at a time.
 */
import {
  TEMPLATE_PAGE_SIZE,
  ZListTemplatesInput,
  ZTemplateFacetsInput,
  type TemplateSort,
} from "~/lib/schemas/template";
import { Prisma } from "~/generated/prisma/client";
import { env } from "~/env";
import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import type { z } from "zod";
import { techStackLabels } from "./format";

/** Counts the templates anyone can see, optionally in one category. */
export async function countPublicTemplates(options: { db: Database; category?: string }): Promise<number> {
  return options.db.projectTemplate.count({
    where: { isPublic: true, ...(options.category ? { category: options.category } : {}) },
  });
}

/** The templates anyone may start a project from, official and featured first (for the new-project dialog). */
export async function listPublicTemplates(options: { db: Database }) {
  return options.db.projectTemplate.findMany({
    where: { isPublic: true },
    orderBy: [{ isOfficial: "desc" }, { isFeatured: "desc" }, { usageCount: "desc" }, { name: "asc" }],
    select: { id: true, name: true, description: true, category: true, tags: true, isOfficial: true },
    take: 200,
  });
}

/**
 * A prefix query over the words of `q` (letters and digits; at most 10 words), so "reac vit" finds "React + Vite"
 * while the user types; null when `q` has no word. Built from the words only: to_tsquery's own syntax never
 * reaches it, so no input can make it fail.
 */
export function prefixQuery(q: string | undefined): string | null {
  const words = (q ?? "")
    .normalize("NFC")
    .toLowerCase()
    .match(/[\p{L}\p{N}]+/gu);
  if (!words) return null;
  return words
    .slice(0, 10)
    .map((word) => `${word.slice(0, 64)}:*`)
    .join(" & ");
}

/**
 * Templates matching the prefix query. A search of stop words only ("the", "a") leaves an empty query, which
 * matches nothing: it filters nothing instead (the query is immutable, so the planner folds the test away).
 */
function matches(query: string): Prisma.Sql {
  return Prisma.sql`(numnode(to_tsquery('english', ${query})) = 0 OR t.search_vector @@ to_tsquery('english', ${query}))`;
}

interface GalleryRow {
  id: string;
  name: string;
  description: string;
  category: string;
  tags: string[] | null;
  tech_stack: unknown;
  rating_average: Prisma.Decimal | null;
  rating_count: number | null;
  usage_count: number | null;
  is_official: boolean | null;
  is_featured: boolean | null;
  is_public: boolean | null;
  version: string | null;
  published_at: Date | null;
  updated_at: Date | null;
  author_name: string | null;
  source_project_id: string | null;
  score: number | null;
  total: bigint;
}

/** The order of `sort`, over the table `t` (score and rank: its select list's) or over the chosen page `p`. */
function orderBy(sort: TemplateSort, of: "t" | "p"): Prisma.Sql {
  const c = Prisma.raw(of);
  const computed = Prisma.raw(of === "p" ? "p." : "");
  switch (sort) {
    case "popular":
      return Prisma.sql`${c}.usage_count DESC NULLS LAST, ${c}.id`;
    case "top-rated":
      return Prisma.sql`${computed}score DESC NULLS LAST, ${c}.rating_count DESC NULLS LAST, ${c}.id`;
    case "newest":
      return Prisma.sql`${c}.published_at DESC NULLS LAST, ${c}.id`;
    case "relevance":
      return Prisma.sql`${computed}rank DESC, ${c}.usage_count DESC NULLS LAST, ${c}.id`;
  }
}

/**
 * One page of the gallery. "Top rated" orders by the Bayesian average (m·C + sum) / (m + count), m the configured
 * prior weight and C the mean of every public rating, so one 5-star vote does not beat two hundred good ones; the
 * card still shows the plain average and the count. Anonymous callers see public templates; `mine` lists the
 * caller's own, private ones too.
 */
export async function listTemplates(options: {
  db: Database;
  userId: string | null;
  input: z.output<typeof ZListTemplatesInput>;
}) {
  const { db, userId, input } = options;
  if (input.mine && !userId) throw new AppError("UNAUTHORIZED", "Sign in to see your templates.");
  const query = prefixQuery(input.q);
  const sort: TemplateSort =
    input.sort === "relevance" && !query ? "popular" : (input.sort ?? (query ? "relevance" : "popular"));
  const m = env.TEMPLATE_RATING_PRIOR_WEIGHT;
  const where: Prisma.Sql[] = [input.mine ? Prisma.sql`t.created_by = ${userId}::uuid` : Prisma.sql`t.is_public`];
  if (input.category) where.push(Prisma.sql`t.category = ${input.category}`);
  if (input.tags.length > 0) where.push(Prisma.sql`t.tags @> ${input.tags}::text[]`);
  if (query) where.push(matches(query));
  const offset = (input.page - 1) * TEMPLATE_PAGE_SIZE;

  // The page is chosen over narrow rows (id, sort keys, the total), then only its 24 rows are read whole and joined
  // to their authors: carrying every match's description and tech stack through the sort and the count spilled
  // the window to disk (bench:gallery, 10,000 templates). The prior mean scans every public template, so only
  // "top rated" pays for it; its score is a float8, cheaper than numeric to compute and compare for every match.
  const topRated = sort === "top-rated";
  const prior = topRated
    ? Prisma.sql`prior AS (
        SELECT COALESCE(sum(rating_sum)::float8 / NULLIF(sum(rating_count), 0), 0) AS mean
          FROM project_templates WHERE is_public
      ),`
    : Prisma.empty;
  const score = topRated
    ? Prisma.sql`(${m}::float8 * prior.mean + t.rating_sum) / NULLIF(${m}::float8 + COALESCE(t.rating_count, 0), 0)`
    : Prisma.sql`NULL::float8`;
  const rank = query ? Prisma.sql`ts_rank_cd(t.search_vector, to_tsquery('english', ${query}))` : Prisma.sql`0`;
  const rows = await db.$queryRaw<GalleryRow[]>`
    WITH ${prior} p AS (
      SELECT t.id, t.usage_count, t.published_at, t.rating_count, ${score} AS score, ${rank} AS rank,
             count(*) OVER () AS total
        FROM project_templates t
        ${topRated ? Prisma.sql`CROSS JOIN prior` : Prisma.empty}
       WHERE ${Prisma.join(where, " AND ")}
       ORDER BY ${orderBy(sort, "t")}
       LIMIT ${TEMPLATE_PAGE_SIZE} OFFSET ${offset}
    )
    SELECT t.id, t.name, t.description, t.category, t.tags, t.tech_stack, t.rating_average, t.rating_count,
           t.usage_count, t.is_official, t.is_featured, t.is_public, t.version, t.published_at, t.updated_at,
           COALESCE(u.full_name, u.username) AS author_name, t.source_project_id, p.score, p.total
      FROM p
      JOIN project_templates t ON t.id = p.id
      LEFT JOIN users u ON u.id = t.created_by
     ORDER BY ${orderBy(sort, "p")}`;

  // A page past the end (an old link) has no row to carry the total: count it, so the pager can lead back.
  const total =
    rows.length > 0 || input.page === 1
      ? Number(rows[0]?.total ?? 0)
      : Number(
          (
            await db.$queryRaw<{ total: bigint }[]>`
              SELECT count(*) AS total FROM project_templates t WHERE ${Prisma.join(where, " AND ")}`
          )[0]?.total ?? 0,
        );
  return {
    sort,
    page: input.page,
    pageSize: TEMPLATE_PAGE_SIZE,
    total,
    pages: Math.max(1, Math.ceil(total / TEMPLATE_PAGE_SIZE)),
    templates: rows.map((row) => ({
      id: row.id,
      name: row.name,
      description: row.description,
      category: row.category,
      tags: row.tags ?? [],
      techStack: techStackLabels(row.tech_stack),
      ratingAverage: Number(row.rating_average ?? 0),
      ratingCount: row.rating_count ?? 0,
      usageCount: row.usage_count ?? 0,
      isOfficial: row.is_official === true,
      isFeatured: row.is_featured === true,
      isPublic: row.is_public === true,
      version: row.version ?? "1.0.0",
      publishedAt: row.published_at,
      updatedAt: row.updated_at,
      authorName: row.author_name,
      /** The author's project it was last published from: only in the caller's own list (`mine`). */
      sourceProjectId: input.mine ? row.source_project_id : null,
    })),
  };
}

/**
 * The gallery's filters with how many public templates each would show: categories counted among the templates
 * the search and tags leave, tags among those the search, category and chosen tags leave (so a count is what
 * clicking it gives). At most 40 tags, the most used first, plus the chosen ones.
 */
export async function templateFacets({ db, input }: { db: Database; input: z.output<typeof ZTemplateFacetsInput> }) {
  const query = prefixQuery(input.q);
  const search = query ? Prisma.sql`AND ${matches(query)}` : Prisma.empty;
  const tagged = input.tags.length > 0 ? Prisma.sql`AND t.tags @> ${input.tags}::text[]` : Prisma.empty;
  const inCategory = input.category ? Prisma.sql`AND t.category = ${input.category}` : Prisma.empty;
  const [categories, tags] = await Promise.all([
    db.$queryRaw<{ category: string; count: bigint }[]>`
      SELECT t.category, count(*) AS count FROM project_templates t
       WHERE t.is_public ${search} ${tagged}
       GROUP BY t.category ORDER BY count DESC, t.category`,
    db.$queryRaw<{ tag: string; count: bigint }[]>`
      SELECT tag, count(*) AS count
        FROM project_templates t, unnest(t.tags) AS tag
       WHERE t.is_public ${search} ${tagged} ${inCategory}
       GROUP BY tag ORDER BY tag = ANY(${input.tags}::text[]) DESC, count DESC, tag LIMIT ${40 + input.tags.length}`,
  ]);
  return {
    categories: categories.map((row) => ({ category: row.category, count: Number(row.count) })),
    tags: tags.map((row) => ({ tag: row.tag, count: Number(row.count) })),
  };
}
