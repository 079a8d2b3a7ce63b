/**
 * Code search over the caller's projects (one, or all of them).
 *
 * The database finds the files (queries.ts); line matches are then computed on the few files returned: in
 * JavaScript for words and exact text (literal patterns only, patterns.ts; contents fetched a group of at most
 * CONTENT_BUDGET_BYTES at a time), in PostgreSQL for regular expressions, so no user pattern ever runs in the
 * app's event loop.
 */
import type { TSearchCodeInput } from "~/lib/schemas/search";
import type { Database } from "~/server/db/client";
import { CONTENT_BUDGET_BYTES, groupByBytes } from "~/server/db/sql";
import { MAX_MATCHES_PER_FILE, MAX_MATCHES_TOTAL, matchLines, regexMatchesByFile, type SearchMatch } from "./lines";
import { compilePathFilter, exactMatcher, exactWholeWordRegex, toPostgresRegex, wordsMatcher } from "./patterns";
import { fileContents, findFiles, type FileRow } from "./queries";

export interface SearchResult {
  projectId: string;
  projectName: string;
  fileId: string;
  path: string;
  matches: SearchMatch[];
}

type Input = Required<Pick<TSearchCodeInput, "query" | "mode" | "caseSensitive" | "wholeWord" | "limit">> &
  Pick<TSearchCodeInput, "projectId" | "pathFilter">;

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
  const pathFilter = compilePathFilter(options.pathFilter);
  let regex = "";
  if (mode === "regex") regex = toPostgresRegex(query, wholeWord);
  else if (mode === "exact" && wholeWord) regex = exactWholeWordRegex(query);

  const found = await findFiles(db, {
    userId,
    projectId: options.projectId,
    query,
    mode,
    caseSensitive,
    wholeWord,
    limit,
    regex,
    pathFilter,
  });
  const truncatedFiles = found.files.length > limit;
  const files = found.files.slice(0, limit);
  const results: SearchResult[] = [];
  let totalMatches = 0;
  let truncated = truncatedFiles;
  let budget = MAX_MATCHES_TOTAL;

  if (regex) {
    const byFile = regexMatchesByFile(found.regexLines);
    for (const file of files) {
      const inFile = byFile.get(file.id);
      if (!inFile || inFile.matches.length === 0) continue;
      const matches = inFile.matches.slice(0, Math.max(0, budget));
      budget -= matches.length;
      if (matches.length < inFile.total) truncated = true;
      totalMatches += inFile.total;
      results.push(toResult(file, matches));
    }
  } else {
    const matcher =
      mode === "words" ? wordsMatcher(query, caseSensitive) : exactMatcher(query, caseSensitive, wholeWord);
    const hasPhrase = mode === "words" && /"[^"]*\s[^"]*"/.test(query);
    // At most CONTENT_BUDGET_BYTES of content at once (200 files of 5 MiB would otherwise be 1 GB in memory).
    for (const group of groupByBytes(files, (file) => file.size_bytes, CONTENT_BUDGET_BYTES)) {
      const contents = await fileContents(
        db,
        userId,
        group.map((file) => file.id),
      );
      for (const file of group) {
        const content = contents.get(file.id);
        if (content === undefined) continue; // deleted since it was found
        const inFile = matcher
          ? matchLines(content, matcher, Math.min(MAX_MATCHES_PER_FILE, Math.max(0, budget)))
          : { matches: [], total: 0 };
        // A words hit the highlighter cannot place (the text parser split a word differently) still counts as a
        // file; with case sensitivity the highlighter is the only judge of case.
        if (inFile.total === 0 && (mode !== "words" || caseSensitive || hasPhrase)) continue;
        budget -= inFile.matches.length;
        if (inFile.matches.length < inFile.total) truncated = true;
        totalMatches += inFile.total;
        results.push(toResult(file, inFile.matches));
      }
    }
  }
  return { results, totalMatches, truncated, tookMs: Math.round((performance.now() - started) * 10) / 10 };
}

function toResult(file: FileRow, matches: SearchMatch[]): SearchResult {
  return { projectId: file.project_id, projectName: file.project_name, fileId: file.id, path: file.file_path, matches };
}
