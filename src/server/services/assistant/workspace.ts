/**
 * A turn's view of the project: the files as they are in the database, with the turn's own writes staged over
 * them in memory. Later tool calls read, list and search the staged state; nothing reaches the database until the
 * turn commits (commit.ts). The first time the turn touches a path, the file there (its id and version, or none)
 * is remembered as the base of any change to it, so a change made since by someone else is a conflict.
 */
import { Prisma } from "~/generated/prisma/client";
import { SEARCH_MODES } from "~/lib/schemas/search";
import type { Database } from "~/server/db/client";
import { listFiles, type FileBase, type FileChange } from "~/server/services/files";
import { searchCode } from "~/server/services/search";
import { MAX_MATCHES_PER_FILE, matchLines, type SearchMatch } from "~/server/services/search/lines";
import { exactMatcher, toPostgresRegex, wordsMatcher } from "~/server/services/search/patterns";

interface BaseFile {
  fileId: string;
  version: number;
  content: string;
  isBinary: boolean;
  sizeBytes: number;
}

type Staged = { content: string } | { deleted: true };

export type SearchMode = (typeof SEARCH_MODES)[number];

export class Workspace {
  private readonly bases = new Map<string, BaseFile | null>();
  private readonly staged = new Map<string, Staged>();

  constructor(
    private readonly db: Database,
    private readonly projectId: string,
    private readonly userId: string,
  ) {}

  /** The database's file at `path` when the turn first touched it. */
  private async base(path: string): Promise<BaseFile | null> {
    if (this.bases.has(path)) return this.bases.get(path)!;
    const rows = await this.db.$queryRaw<
      { id: string; version: number; content: string; is_binary: boolean; size_bytes: number }[]
    >`SELECT id, version, content, is_binary, size_bytes FROM project_files
       WHERE project_id = ${this.projectId}::uuid AND file_path = ${path}`;
    const row = rows[0];
    const base = row
      ? {
          fileId: row.id,
          version: row.version,
          content: row.content,
          isBinary: row.is_binary,
          sizeBytes: row.size_bytes,
        }
      : null;
    this.bases.set(path, base);
    return base;
  }

  /** The file at `path` as the turn sees it (staged writes included), or null. */
  async read(path: string): Promise<{ content: string; isBinary: boolean; sizeBytes: number } | null> {
    const base = await this.base(path);
    const staged = this.staged.get(path);
    if (staged) {
      if ("deleted" in staged) return null;
      return { content: staged.content, isBinary: false, sizeBytes: Buffer.byteLength(staged.content, "utf8") };
    }
    return base && { content: base.content, isBinary: base.isBinary, sizeBytes: base.sizeBytes };
  }

  async write(path: string, content: string): Promise<"created" | "modified"> {
    const existed = (await this.read(path)) !== null;
    this.staged.set(path, { content });
    return existed ? "modified" : "created";
  }

  /**
   * Why a new file cannot go at `path` as the turn sees the project (a file where one of its folders would be, or
   * files under `path` as a folder), or null; the commit would refuse it the same way.
   */
  async clash(path: string): Promise<string | null> {
    const paths = (await this.list()).map((file) => file.path);
    const parts = path.split("/");
    for (let depth = 1; depth < parts.length; depth++) {
      const folder = parts.slice(0, depth).join("/");
      if (paths.includes(folder)) return `${folder} is a file, so it cannot contain other files.`;
    }
    if (paths.some((other) => other.startsWith(`${path}/`))) {
      return `${path} is a folder (it holds other files), so a file cannot have its path.`;
    }
    return null;
  }

  /** Stages the deletion of the file at `path`; false when there is none. */
  async delete(path: string): Promise<boolean> {
    if ((await this.read(path)) === null) return false;
    this.staged.set(path, { deleted: true });
    return true;
  }

  /** Every live path with its size, staged writes and deletions applied, sorted. */
  async list(): Promise<{ path: string; sizeBytes: number; isBinary: boolean }[]> {
    const files = new Map(
      (await listFiles({ db: this.db, projectId: this.projectId })).map((file) => [
        file.path,
        { path: file.path, sizeBytes: file.sizeBytes, isBinary: file.isBinary },
      ]),
    );
    for (const [path, staged] of this.staged) {
      if ("deleted" in staged) files.delete(path);
      else files.set(path, { path, sizeBytes: Buffer.byteLength(staged.content, "utf8"), isBinary: false });
    }
    return [...files.values()].sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Code search over the staged state: the database's search (src/server/services/search) for the files the turn
   * did not change, and the same matchers over the staged text of the files it wrote (regular expressions run in
   * PostgreSQL there too, never in the app's event loop). Deleted files are not found.
   */
  async search(query: string, mode: SearchMode): Promise<{ path: string; matches: SearchMatch[] }[]> {
    const found = await searchCode({
      db: this.db,
      userId: this.userId,
      projectId: this.projectId,
      query,
      mode,
      caseSensitive: false,
      wholeWord: false,
      limit: 50,
    });
    const results: { path: string; matches: SearchMatch[] }[] = found.results
      .filter((result) => !this.staged.has(result.path))
      .map((result) => ({ path: result.path, matches: result.matches }));
    for (const [path, staged] of this.staged) {
      if ("deleted" in staged) continue;
      const matches =
        mode === "regex"
          ? await this.regexLines(staged.content, query)
          : (() => {
              const matcher = mode === "words" ? wordsMatcher(query, false) : exactMatcher(query, false, false);
              return matcher ? matchLines(staged.content, matcher, MAX_MATCHES_PER_FILE).matches : [];
            })();
      if (matches.length > 0) results.push({ path, matches });
    }
    return results.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  private async regexLines(content: string, query: string): Promise<SearchMatch[]> {
    const regex = toPostgresRegex(query, false);
    const rows = await this.db.$queryRaw<{ line: number; text: string }[]>(Prisma.sql`
      SELECT n::int AS line, left(t, 300) AS text
        FROM regexp_split_to_table(${content}, E'\\n') WITH ORDINALITY AS l(t, n)
       WHERE t ~* ${regex}
       ORDER BY n LIMIT ${MAX_MATCHES_PER_FILE}`);
    return rows.map((row) => ({ line: row.line, column: 1, length: 0, preview: row.text, previewColumn: 1 }));
  }

  /** The turn's changes against their bases; a write of the base's own content, or a file created and deleted
   * again within the turn, is no change. */
  async changes(): Promise<FileChange[]> {
    const changes: FileChange[] = [];
    for (const [path, staged] of [...this.staged].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
      const base = await this.base(path);
      const baseRef: FileBase = base && { fileId: base.fileId, version: base.version };
      if ("deleted" in staged) {
        if (base) changes.push({ path, content: null, base: baseRef });
      } else if (!base || base.isBinary || base.content !== staged.content) {
        changes.push({ path, content: staged.content, base: baseRef });
      }
    }
    return changes;
  }
}
