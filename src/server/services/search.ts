/**
 * Code search over the caller's projects (one, or all of them).
 *
 * The database finds the files through its indexes (docs/schema.md, fix 6), both led by `project_id`, with the
 * caller's project ids in the index condition so a scan reads only those projects' entries: `words` through the
 * full-text index on the stored `search_vector`, ranked with ts_rank on that vector; `exact` and `regex` through
 * the trigram index on `file_path` and `content`, project by project. Exact text is first looked up by its words
 * in the full-text index (precise), and goes to the trigram index only when that finds too few files. Line
 * matches are then computed on the few files returned: in JavaScript for words and exact text (literal patterns
 * only; contents fetched a group of at most CONTENT_BUDGET_BYTES at a time), in PostgreSQL for regular expressions (its engine does not backtrack, and the statement runs under a
 * local timeout), so no user pattern ever runs in the app's event loop.
 */
import type { TSearchCodeInput } from "~/lib/schemas/search";
import { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { CONTENT_BUDGET_BYTES, escapeLike, groupByBytes } from "~/server/db/sql";
import { AppError } from "~/server/errors";

const STATEMENT_TIMEOUT_MS = 5_000;
/**
 * Files ranked by ts_rank at most (or the limit, when larger): the first matches the index yields are ranked,
 * the rest are left for "more results". Ranking reads the stored vector (a few µs a file).
 */
const WORDS_CANDIDATES = 64;
/** Words of exact text shorter than this are left out of its full-text prefilter (they are in every file). */
const PREFILTER_MIN_WORD = 3;
const MAX_MATCHES_PER_FILE = 20;
const MAX_MATCHES_TOTAL = 500;
const PREVIEW_CHARS = 300;
const PREVIEW_BEFORE = 80;

export interface SearchMatch {
  /** 1-based line number. */
  line: number;
  /** 1-based column of the match in the line. */
  column: number;
  length: number;
  /** The line, or a window of it around the match when it is longer than 300 characters. */
  preview: string;
  /** 1-based column of the match in `preview`. */
  previewColumn: number;
}

export interface SearchResult {
  projectId: string;
  projectName: string;
  fileId: string;
  path: string;
  matches: SearchMatch[];
}

type Input = Required<Pick<TSearchCodeInput, "query" | "mode" | "caseSensitive" | "wholeWord" | "limit">> &
  Pick<TSearchCodeInput, "projectId" | "pathFilter">;

// ---------------------------------------------------------------------------------------------------------------
// Patterns
// ---------------------------------------------------------------------------------------------------------------

/** Escapes a literal for a PostgreSQL ARE (and a JavaScript RegExp: the same characters are special). */
function escapeRegex(text: string): string {
  return text.replace(/[\\^$.|?*+()[\]{}]/g, "\\$&");
}

const WORD_CHAR = /[\p{L}\p{N}_]/u;

/** `\y` where the text starts/ends with a word character, as an editor's "whole word" does. */
function wholeWordRegex(literalRegex: string, text: string): string {
  const before = WORD_CHAR.test(text[0] ?? "") ? "\\y" : "";
  const after = WORD_CHAR.test(text[text.length - 1] ?? "") ? "\\y" : "";
  return `${before}${literalRegex}${after}`;
}

/**
 * A user's regular expression as a PostgreSQL ARE: newline-sensitive (`.` and `^`/`$` stay within a line, as in
 * an editor), with the JavaScript spellings people type (`\b`, `\B`, `(?<name>`) translated. Nested quantifiers and
 * back-references, the constructs that can make a regex engine blow up, are refused up front.
 */
function toPostgresRegex(pattern: string, wholeWord: boolean): string {
  if (/\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]/.test(pattern)) {
    throw new AppError("BAD_REQUEST", "This regular expression repeats a repeated group (like (a+)+), which can take forever; simplify it.");
  }
  let out = "";
  let inClass = false;
  for (let index = 0; index < pattern.length; index++) {
    const char = pattern[index]!;
    if (char === "\\") {
      const next = pattern[index + 1] ?? "";
      index++;
      // A back-reference makes PostgreSQL match by backtracking, which can take exponential time.
      if (!inClass && (/[1-9]/.test(next) || (next === "k" && pattern[index + 1] === "<"))) {
        throw new AppError("BAD_REQUEST", "This regular expression refers back to a group (like \\1), which can take forever; search without it.");
      }
      if (!inClass && next === "b") out += "\\y";
      else if (!inClass && next === "B") out += "\\Y";
      else out += `\\${next}`;
      continue;
    }
    if (inClass) {
      if (char === "]") inClass = false;
      out += char;
      continue;
    }
    if (char === "[") {
      inClass = true;
      out += char;
      if (pattern[index + 1] === "^") out += pattern[++index];
      if (pattern[index + 1] === "]") out += pattern[++index];
      continue;
    }
    if (char === "(" && pattern.startsWith("(?<", index) && !/^\(\?<[=!]/.test(pattern.slice(index))) {
      const close = pattern.indexOf(">", index);
      if (close < 0) throw new AppError("BAD_REQUEST", "This regular expression has an unfinished group name.");
      out += "(";
      index = close;
      continue;
    }
    out += char;
  }
  return `(?n)${wholeWord ? `\\y(?:${out})\\y` : out}`;
}

/** Globs (`src/**\/*.ts`, `*.{ts,tsx}`), comma-separated, `!` to exclude; anything without wildcards is a substring. */
function pathFilterCondition(filter: string | undefined): Prisma.Sql {
  if (!filter) return Prisma.empty;
  const include: string[] = [];
  const exclude: string[] = [];
  const substrings: string[] = [];
  for (const raw of splitOutsideBraces(filter)) {
    const negated = raw.startsWith("!");
    const term = (negated ? raw.slice(1) : raw).trim().replace(/^\.\//, "");
    if (!term) continue;
    if (/[*?{]/.test(term)) (negated ? exclude : include).push(globToRegex(term));
    else if (negated) exclude.push(escapeRegex(term));
    else substrings.push(escapeRegex(term));
  }
  const parts: Prisma.Sql[] = [];
  if (include.length || substrings.length) {
    const alternatives: Prisma.Sql[] = [];
    if (include.length) alternatives.push(Prisma.sql`f.file_path ~ ${include.join("|")}`);
    if (substrings.length) alternatives.push(Prisma.sql`f.file_path ~* ${substrings.join("|")}`);
    parts.push(Prisma.sql`AND (${Prisma.join(alternatives, " OR ")})`);
  }
  if (exclude.length) parts.push(Prisma.sql`AND f.file_path !~ ${exclude.join("|")}`);
  return Prisma.join(parts, " ");
}

function splitOutsideBraces(text: string): string[] {
  const parts: string[] = [];
  let depth = 0;
  let current = "";
  for (const char of text) {
    if (char === "{") depth++;
    if (char === "}") depth = Math.max(0, depth - 1);
    if (char === "," && depth === 0) {
      parts.push(current.trim());
      current = "";
    } else current += char;
  }
  parts.push(current.trim());
  return parts.filter(Boolean);
}

/** A glob as an anchored regex; without a `/` it matches a file name in any folder. */
function globToRegex(glob: string): string {
  const body = globBody(glob);
  return glob.includes("/") ? `^${body}$` : `(?:^|/)${body}$`;
}

function globBody(glob: string): string {
  let out = "";
  for (let index = 0; index < glob.length; index++) {
    const char = glob[index]!;
    if (char === "*" && glob[index + 1] === "*") {
      index++;
      if (glob[index + 1] === "/") {
        index++;
        out += "(?:.*/)?";
      } else out += ".*";
    } else if (char === "*") out += "[^/]*";
    else if (char === "?") out += "[^/]";
    else if (char === "{") {
      const close = glob.indexOf("}", index);
      if (close < 0) {
        out += "\\{";
        continue;
      }
      out += `(?:${glob.slice(index + 1, close).split(",").map(globBody).join("|")})`;
      index = close;
    } else out += escapeRegex(char);
  }
  return out;
}

// ---------------------------------------------------------------------------------------------------------------
// Line matches
// ---------------------------------------------------------------------------------------------------------------

function preview(line: string, column: number): { preview: string; previewColumn: number } {
  if (line.length <= PREVIEW_CHARS) return { preview: line, previewColumn: column };
  const start = Math.max(0, Math.min(column - 1 - PREVIEW_BEFORE, line.length - PREVIEW_CHARS));
  return { preview: line.slice(start, start + PREVIEW_CHARS), previewColumn: column - start };
}

/** The terms of a websearch-style query worth highlighting: words and "quoted phrases", not -excluded ones. */
function highlightTerms(query: string): string[] {
  const terms: string[] = [];
  for (const match of query.matchAll(/(-?)"([^"]+)"|(-?)(\S+)/g)) {
    const excluded = match[1] === "-" || match[3] === "-";
    const term = (match[2] ?? match[4] ?? "").trim();
    if (!excluded && term && term.toLowerCase() !== "or") terms.push(term);
  }
  return terms;
}

/** A RegExp of literal text only (linear time), with editor-style whole-word boundaries when asked. */
function literalMatcher(terms: string[], caseSensitive: boolean, wholeWord: boolean, wordChar: string): RegExp | null {
  const alternatives = terms
    .filter(Boolean)
    .sort((a, b) => b.length - a.length)
    .map((term) => {
      const body = escapeRegex(term).replace(/\s+/g, "\\s+");
      if (!wholeWord) return body;
      const word = new RegExp(wordChar, "u");
      const before = word.test(term[0] ?? "") ? `(?<!${wordChar})` : "";
      const after = word.test(term[term.length - 1] ?? "") ? `(?!${wordChar})` : "";
      return `${before}${body}${after}`;
    });
  if (alternatives.length === 0) return null;
  return new RegExp(alternatives.join("|"), caseSensitive ? "gu" : "giu");
}

/** Line matches of `matcher` in `content`, at most `cap` kept; answers the total found too. */
function matchLines(content: string, matcher: RegExp, cap: number): { matches: SearchMatch[]; total: number } {
  const matches: SearchMatch[] = [];
  let total = 0;
  let lineNumber = 0;
  for (const line of content.split("\n")) {
    lineNumber++;
    matcher.lastIndex = 0;
    for (let found = matcher.exec(line); found; found = matcher.exec(line)) {
      if (found[0].length === 0) {
        matcher.lastIndex++;
        continue;
      }
      total++;
      if (matches.length < cap) {
        const column = found.index + 1;
        matches.push({ line: lineNumber, column, length: found[0].length, ...preview(line, column) });
      }
    }
  }
  return { matches, total };
}

// ---------------------------------------------------------------------------------------------------------------
// Queries
// ---------------------------------------------------------------------------------------------------------------

/** A file found by a search; its content is fetched afterwards, a bounded group of files at a time. */
interface FileRow {
  id: string;
  project_id: string;
  project_name: string;
  file_path: string;
  size_bytes: number;
}

interface RegexLineRow {
  id: string;
  line: number;
  text: string;
  column: number;
  length: number;
  total: number;
}

/** The PostgreSQL error code (SQLSTATE) behind an error raised through Prisma, when there is one. */
function sqlState(error: unknown): string | undefined {
  let current: unknown = error;
  for (let depth = 0; depth < 6 && current && typeof current === "object"; depth++) {
    const { code, originalCode, meta, cause, message } = current as Record<string, unknown>;
    if (typeof message === "string") {
      const found = /\bCode: `?([0-9A-Z]{5})`?/.exec(message);
      if (found) return found[1];
    }
    for (const candidate of [originalCode, code]) {
      // Prisma's own codes (P2010, ...) are not SQLSTATEs.
      if (typeof candidate === "string" && /^[0-9A-Z]{5}$/.test(candidate) && !/^P\d{4}$/.test(candidate)) return candidate;
    }
    current = cause ?? (meta as Record<string, unknown> | undefined)?.driverAdapterError ?? meta;
  }
  return undefined;
}

function describeDatabaseError(error: unknown): AppError | null {
  const state = sqlState(error);
  if (state === "57014") {
    return new AppError("BAD_REQUEST", "The search took too long. Make it more specific, or narrow it with a path filter.");
  }
  if (state === "2201B") {
    const detail = /invalid regular expression: ([^"\n]+)/i.exec(String((error as Error).message))?.[1];
    return new AppError("BAD_REQUEST", `This is not a valid regular expression${detail ? ` (${detail.trim()})` : ""}.`);
  }
  if (state === "54001") return new AppError("BAD_REQUEST", "This regular expression is too complex; simplify it.");
  return null;
}

/**
 * Searches the caller's projects (or one of them) and answers the matching files with their line matches.
 * Scoped to the caller in the WHERE; binary files are never searched; results are capped (`truncated` says so).
 */
export async function searchCode(options: Input & { db: Database; userId: string }): Promise<{
  results: SearchResult[];
  totalMatches: number;
  truncated: boolean;
  tookMs: number;
}> {
  const started = performance.now();
  const { db, userId, query, mode, caseSensitive, wholeWord, limit } = options;
  const paths = pathFilterCondition(options.pathFilter);

  let files: FileRow[];
  let regexLines: RegexLineRow[] = [];
  let regex = "";
  if (mode === "regex") regex = toPostgresRegex(query, wholeWord);
  else if (mode === "exact" && wholeWord) regex = `(?n)${wholeWordRegex(escapeRegex(query), query)}`;
  const regexFlags = caseSensitive ? "" : "i";

  try {
    ({ files, regexLines } = await db.$transaction(async (tx) => {
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
        if (probe[0]?.empty) throw new AppError("BAD_REQUEST", "This pattern matches empty text; make it more specific.");
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
      // matches are counted and located.
      const lines = await tx.$queryRaw<RegexLineRow[]>`
        WITH lines AS (
          SELECT f.id, l.n::int AS line, l.text
            FROM project_files f, string_to_table(f.content, E'\n') WITH ORDINALITY AS l(text, n)
           WHERE f.id = ANY(${ids}::uuid[]) AND ${caseSensitive ? Prisma.sql`l.text ~ ${regex}` : Prisma.sql`l.text ~* ${regex}`}
        ), counted AS (
          SELECT id, line, text, regexp_count(text, ${regex}, 1, ${regexFlags})::int AS total,
                 row_number() OVER (PARTITION BY id ORDER BY line) AS rn
            FROM lines
        )
        SELECT c.id, c.line, c.text, c.total,
               regexp_instr(c.text, ${regex}, 1, i, 0, ${regexFlags})::int AS column,
               char_length(regexp_substr(c.text, ${regex}, 1, i, ${regexFlags}))::int AS length
          FROM counted c, generate_series(1, least(c.total, ${MAX_MATCHES_PER_FILE})) AS i
         WHERE c.rn <= ${MAX_MATCHES_PER_FILE}
         ORDER BY c.id, c.line, i`;
      return { files: named(rows), regexLines: lines };
    }));
  } catch (error) {
    throw describeDatabaseError(error) ?? error;
  }

  const truncatedFiles = files.length > limit;
  files = files.slice(0, limit);
  const results: SearchResult[] = [];
  let totalMatches = 0;
  let truncated = truncatedFiles;
  let budget = MAX_MATCHES_TOTAL;

  if (regex) {
    const byFile = new Map<string, { matches: SearchMatch[]; total: number; lines: Set<number> }>();
    for (const row of regexLines) {
      const entry = byFile.get(row.id) ?? { matches: [], total: 0, lines: new Set<number>() };
      if (!entry.lines.has(row.line)) {
        entry.lines.add(row.line);
        entry.total += row.total;
      }
      // PostgreSQL counts code points; the editor counts UTF-16 units.
      const column = Array.from(row.text).slice(0, row.column - 1).join("").length + 1;
      const length = Array.from(row.text.slice(column - 1)).slice(0, row.length).join("").length;
      if (entry.matches.length < MAX_MATCHES_PER_FILE) entry.matches.push({ line: row.line, column, length, ...preview(row.text, column) });
      byFile.set(row.id, entry);
    }
    for (const file of files) {
      const found = byFile.get(file.id);
      if (!found || found.matches.length === 0) continue;
      const matches = found.matches.slice(0, Math.max(0, budget));
      budget -= matches.length;
      if (matches.length < found.total) truncated = true;
      totalMatches += found.total;
      results.push(toResult(file, matches));
    }
  } else {
    const matcher =
      mode === "words"
        ? literalMatcher(highlightTerms(query), caseSensitive, true, "[\\p{L}\\p{N}]")
        : literalMatcher([query], caseSensitive, wholeWord, "[\\p{L}\\p{N}_]");
    const hasPhrase = mode === "words" && /"[^"]*\s[^"]*"/.test(query);
    // At most CONTENT_BUDGET_BYTES of content at once (200 files of 5 MiB would otherwise be 1 GB in memory).
    for (const group of groupByBytes(files, (file) => file.size_bytes, CONTENT_BUDGET_BYTES)) {
      const contents = await fileContents(db, userId, group.map((file) => file.id));
      for (const file of group) {
        const content = contents.get(file.id);
        if (content === undefined) continue; // deleted since it was found
        const found = matcher ? matchLines(content, matcher, Math.min(MAX_MATCHES_PER_FILE, Math.max(0, budget))) : { matches: [], total: 0 };
        // A words hit the highlighter cannot place (the text parser split a word differently) still counts as a
        // file; with case sensitivity the highlighter is the only judge of case.
        if (found.total === 0 && (mode !== "words" || caseSensitive || hasPhrase)) continue;
        budget -= found.matches.length;
        if (found.matches.length < found.total) truncated = true;
        totalMatches += found.total;
        results.push(toResult(file, found.matches));
      }
    }
  }
  return { results, totalMatches, truncated, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

/** The contents of some of the caller's files, by id (files of other users' projects are never read). */
async function fileContents(db: Database, userId: string, ids: string[]): Promise<Map<string, string>> {
  const rows = await db.$queryRaw<{ id: string; content: string }[]>`
    SELECT f.id, f.content
      FROM project_files f
     WHERE f.id = ANY(${ids}::uuid[]) AND f.project_id IN (SELECT p.id FROM projects p WHERE p.user_id = ${userId}::uuid)`;
  return new Map(rows.map((row) => [row.id, row.content]));
}

function toResult(file: FileRow, matches: SearchMatch[]): SearchResult {
  return { projectId: file.project_id, projectName: file.project_name, fileId: file.id, path: file.file_path, matches };
}
