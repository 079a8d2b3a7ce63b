/**
 * The search's SQL. The database finds the files through its indexes (docs/schema.md, fix 6), both led by
 * `project_id`, with the caller's project ids in the index condition so a scan reads only those projects' entries:
 * `words` through the full-text index on the stored `search_vector`, ranked with ts_rank on that vector; `exact`
 * and `regex` through the trigram index on `file_path` and `content`, project by project. Exact text is first
 * looked up by its words in the full-text index (precise), and goes to the trigram index only when that finds too
 * few files. Regular expressions are matched line by line in PostgreSQL too (its engine does not backtrack, and
 * the statement runs under a local timeout).
 */
import type { TSearchCodeInput } from "~/lib/schemas/search";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { pgErrorCode } from "~/server/db/errors";
import { escapeLike } from "~/server/db/sql";
import { AppError } from "~/server/errors";
import { MAX_MATCHES_PER_FILE, PREVIEW_BEFORE, PREVIEW_WINDOW, type RegexLineRow } from "./lines";
import type { PathFilter } from "./patterns";

const STATEMENT_TIMEOUT_MS = 5_000;
/**
 * Files ranked by ts_rank at most (or the limit, when larger): the first matches the index yields are ranked,
 * the rest are left for "more results". Ranking reads the stored vector (a few µs a file).
 */
const WORDS_CANDIDATES = 64;
/** Words of exact text shorter than this are left out of its full-text prefilter (they are in every file). */
const PREFILTER_MIN_WORD = 3;

/** A file found by a search; its content is fetched afterwards, a bounded group of files at a time. */
export interface FileRow {
  id: string;
  project_id: string;
  project_name: string;
  file_path: string;
  size_bytes: number;
}

export type FileQuery = Required<Pick<TSearchCodeInput, "query" | "mode" | "caseSensitive" | "wholeWord" | "limit">> &
  Pick<TSearchCodeInput, "projectId"> & {
    userId: string;
    /** The compiled PostgreSQL regular expression ("" for words and plain exact text). */
    regex: string;
    pathFilter: PathFilter;
  };

/** The path filter as conditions on `f.file_path`. */
function pathFilterCondition({ include, substrings, exclude }: PathFilter): Prisma.Sql {
  const parts: Prisma.Sql[] = [];
  if (include !== null || substrings !== null) {
    const alternatives: Prisma.Sql[] = [];
    if (include !== null) alternatives.push(Prisma.sql`f.file_path ~ ${include}`);
    if (substrings !== null) alternatives.push(Prisma.sql`f.file_path ~* ${substrings}`);
    parts.push(Prisma.sql`AND (${Prisma.join(alternatives, " OR ")})`);
  }
  if (exclude !== null) parts.push(Prisma.sql`AND f.file_path !~ ${exclude}`);
  return parts.length ? Prisma.join(parts, " ") : Prisma.empty;
}

function describeDatabaseError(error: unknown): AppError | null {
  const state = pgErrorCode(error);
  if (state === "57014") {
    return new AppError(
      "BAD_REQUEST",
      "The search took too long. Make it more specific, or narrow it with a path filter.",
    );
  }
  if (state === "2201B") {
    const detail = /invalid regular expression: ([^"\n]+)/i.exec(String((error as Error).message))?.[1];
    return new AppError("BAD_REQUEST", `This is not a valid regular expression${detail ? ` (${detail.trim()})` : ""}.`);
  }
  if (state === "54001") return new AppError("BAD_REQUEST", "This regular expression is too complex; simplify it.");
  return null;
}

/**
 * The files matching `options` in the caller's projects (one more than `limit` when there are more), and for a
 * regular expression its line matches in them. Scoped to the caller in the WHERE; binary files are never searched.
 */
export async function findFiles(
  db: Database,
  options: FileQuery,
): Promise<{ files: FileRow[]; regexLines: RegexLineRow[] }> {
  const { userId, query, mode, caseSensitive, wholeWord, limit, regex } = options;
  const paths = pathFilterCondition(options.pathFilter);
  const regexFlags = caseSensitive ? "" : "i";
  try {
    return await db.$transaction(async (tx) => {
      // The settings and the caller's projects in one round trip. No JIT: the line-match query's set-returning
      // functions make its estimated cost huge, and compiling it (~250 ms where the server has LLVM, as Debian's
      // PostgreSQL does) would cost far more than running it (~10 ms).
      // The file queries below are scoped to these ids in their WHERE, in the same index condition as the content:
      // the content indexes lead with project_id, so a scan reads only these projects' entries. Exact text and
      // regular expressions go project by project (LATERAL, `project_id = <one id>`, stopping once enough files
      // are found): given all ids at once (`= ANY`), or a join to projects, the planner scans every user's
      // trigrams instead (3-5x slower on the benchmark).
      const [settings] = await tx.$queryRaw<{ projects: { id: string; name: string }[] | null }[]>`
        SELECT set_config('statement_timeout', ${String(STATEMENT_TIMEOUT_MS)}, true) AS timeout, set_config('jit', 'off', true) AS jit,
               (SELECT json_agg(json_build_object('id', id, 'name', name) ORDER BY name) FROM projects
                 WHERE user_id = ${userId}::uuid ${options.projectId ? Prisma.sql`AND id = ${options.projectId}::uuid` : Prisma.empty}) AS projects`;
      const projects = settings?.projects ?? [];
      if (projects.length === 0) return { files: [], regexLines: [] };
      const projectIds = projects.map((project) => project.id);
      const names = new Map(projects.map((project) => [project.id, project.name]));
      const named = (rows: Omit<FileRow, "project_name">[]): FileRow[] =>
        rows.map((row) => ({ ...row, project_name: names.get(row.project_id) ?? "" }));

      if (mode === "words") {
        const rows = await tx.$queryRaw<Omit<FileRow, "project_name">[]>`
          WITH q AS (
            -- Phrases become AND for the index (a phrase would recheck every candidate's vector); the line
            -- matcher below keeps only the files where the phrase really occurs.
            SELECT regexp_replace(websearch_to_tsquery('simple', ${query})::text, '<[0-9]+>|<->', '&', 'g')::tsquery AS q),
          hits AS (
            SELECT f.id, f.project_id, f.file_path, f.size_bytes, f.search_vector
              FROM project_files f, q
             WHERE f.project_id = ANY(${projectIds}::uuid[]) AND NOT f.is_binary AND f.search_vector @@ q.q ${paths}
             LIMIT ${Math.max(WORDS_CANDIDATES, limit + 1)})
          SELECT h.id, h.project_id, h.file_path, coalesce(h.size_bytes, 0) AS size_bytes
            FROM hits h, q
           ORDER BY ts_rank(h.search_vector, q.q) DESC, h.file_path
           LIMIT ${limit + 1}`;
        return { files: named(rows), regexLines: [] };
      }
      if (regex) {
        // Validates the pattern (PostgreSQL's own syntax errors) and refuses one that matches empty text.
        const probe = await tx.$queryRaw<{ empty: boolean }[]>`SELECT '' ~ ${regex} AS empty`;
        if (probe[0]?.empty)
          throw new AppError("BAD_REQUEST", "This pattern matches empty text; make it more specific.");
      }
      const contentCondition = regex
        ? caseSensitive
          ? Prisma.sql`f.content ~ ${regex}`
          : Prisma.sql`f.content ~* ${regex}`
        : caseSensitive
          ? Prisma.sql`f.content LIKE ${`%${escapeLike(query)}%`}`
          : Prisma.sql`f.content ILIKE ${`%${escapeLike(query)}%`}`;
      const columns = Prisma.sql`f.id, f.project_id, f.file_path, coalesce(f.size_bytes, 0) AS size_bytes`;
      let rows: Omit<FileRow, "project_name">[] = [];
      if (mode === "exact" && /[\p{L}\p{N}]/u.test(query)) {
        // Exact text: first the files that have the text's words (`throw new AppError(` -> 'throw' & 'new' &
        // 'apperror'; a last word the text does not end gets a prefix: `getUserProfile` -> 'getuserprofile':*),
        // through the full-text index, checked with the real condition. Trigrams of common identifiers are in
        // half the files (27,000 candidates, 1% of them real, for `getUserProfile` over 58,000 files); the words
        // usually narrow it to the real ones. The full-text subquery is fenced (OFFSET 0) so the planner cannot
        // trade its index for the trigram one. Enough files found: done, as truncated as the trigram query would
        // be. Too few: the text may also sit inside longer words (`fetchgetUserProfile`) or be split otherwise
        // by the text parser (inside a tag or a URL), so the trigram query below decides, as before.
        const openEnd = !wholeWord && /[\p{L}\p{N}]$/u.test(query);
        rows = await tx.$queryRaw<Omit<FileRow, "project_name">[]>`
          WITH w AS (
            SELECT lexeme, (SELECT max(n) FROM unnest(positions) AS n) AS position
              FROM unnest(to_tsvector('simple', ${query}))
          ), q AS (
            -- Lexemes taken as they are (a cast, not parsed again); words shorter than 3 letters are left out.
            SELECT string_agg('''' || replace(replace(lexeme, chr(92), chr(92) || chr(92)), '''', '''''') || ''''
                              || CASE WHEN ${openEnd} AND position = (SELECT max(position) FROM w) THEN ':*' ELSE '' END,
                              ' & ')::tsquery AS q
              FROM w WHERE char_length(lexeme) >= ${PREFILTER_MIN_WORD})
          SELECT c.*
            FROM q, unnest(${projectIds}::uuid[]) AS s(project_id)
            CROSS JOIN LATERAL (
              SELECT ${columns}
                FROM (SELECT f.id, f.project_id, f.file_path, f.size_bytes, f.content FROM project_files f
                       WHERE f.project_id = s.project_id AND NOT f.is_binary AND f.search_vector @@ q.q
                      OFFSET 0) f
               WHERE TRUE ${paths} AND ${contentCondition}
               LIMIT ${limit + 1}) c
           WHERE q.q IS NOT NULL
           LIMIT ${limit + 1}`;
      }
      if (rows.length <= limit) {
        rows = await tx.$queryRaw<Omit<FileRow, "project_name">[]>`
          SELECT c.*
            FROM unnest(${projectIds}::uuid[]) AS s(project_id)
            CROSS JOIN LATERAL (
              SELECT ${columns}
                FROM project_files f
               WHERE f.project_id = s.project_id AND NOT f.is_binary ${paths} AND ${contentCondition}
               LIMIT ${limit + 1}) c
           LIMIT ${limit + 1}`;
      }
      if (!regex || rows.length === 0) return { files: named(rows), regexLines: [] };
      const ids = rows.slice(0, limit).map((row) => row.id);
      // Lines split with string_to_table (a third of regexp_split_to_table's cost); only the lines the pattern
      // matches are counted and located. Each match answers a window of its line (PREVIEW_WINDOW code points
      // around it), never the whole line: a minified 5 MiB line matched 20 times would otherwise come back 20 times.
      const lines = await tx.$queryRaw<RegexLineRow[]>`
        WITH lines AS (
          SELECT f.id, l.n::int AS line, l.text
            FROM project_files f, string_to_table(f.content, E'\n') WITH ORDINALITY AS l(text, n)
           WHERE f.id = ANY(${ids}::uuid[]) AND ${caseSensitive ? Prisma.sql`l.text ~ ${regex}` : Prisma.sql`l.text ~* ${regex}`}
        ), counted AS (
          SELECT id, line, text, char_length(text) AS line_length,
                 regexp_count(text, ${regex}, 1, ${regexFlags})::int AS total,
                 row_number() OVER (PARTITION BY id ORDER BY line) AS rn
            FROM lines
        ), located AS MATERIALIZED (
          SELECT c.id, c.line, c.text, c.total, c.line_length,
                 regexp_instr(c.text, ${regex}, 1, i, 0, ${regexFlags})::int AS col,
                 regexp_substr(c.text, ${regex}, 1, i, ${regexFlags}) AS matched
            FROM counted c, generate_series(1, least(c.total, ${MAX_MATCHES_PER_FILE})) AS i
           WHERE c.rn <= ${MAX_MATCHES_PER_FILE}
        ), windowed AS MATERIALIZED (
          SELECT id, line, total, col, text,
                 (char_length(matched) + regexp_count(matched, '[\\U00010000-\\U0010FFFF]'))::int AS length,
                 greatest(1, least(col - ${PREVIEW_BEFORE}, line_length - ${PREVIEW_WINDOW} + 1))::int AS window_start
            FROM located
        )
        SELECT id, line, total, col AS "column", length, window_start AS "windowStart",
               substr(text, window_start, ${PREVIEW_WINDOW}) AS "window",
               -- UTF-16 units before the window: code points plus one more for each astral character
               (window_start - 1 + regexp_count(substr(text, 1, window_start - 1), '[\\U00010000-\\U0010FFFF]'))::int
                 AS "unitsBefore"
          FROM windowed
         ORDER BY id, line, col`;
      return { files: named(rows), regexLines: lines };
    });
  } catch (error) {
    throw describeDatabaseError(error) ?? error;
  }
}

/** The contents of some of the caller's files, by id (files of other users' projects are never read). */
export async function fileContents(db: Database, userId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.$queryRaw<{ id: string; content: string }[]>`
    SELECT f.id, f.content
      FROM project_files f
     WHERE f.id = ANY(${ids}::uuid[]) AND f.project_id IN (SELECT p.id FROM projects p WHERE p.user_id = ${userId}::uuid)`;
  return new Map(rows.map((row) => [row.id, row.content]));
}
