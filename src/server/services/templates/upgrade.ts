/**
 * Upgrading a project from a newer version of the template it was made from: whether one exists (with the
 * changelog), a preview of the three-way merge (base: the version the project records; theirs: the template's
 * newest; ours: the project's files now), and the apply, which recomputes the same merge in one transaction and
 * writes only when nothing changed since the preview and every collision has the user's resolution.
 */
import { Prisma } from "~/generated/prisma/client";
import { ancestorPaths } from "~/lib/paths";
import type { TUpgradeApplyInput, TUpgradeResolution } from "~/lib/schemas/template";
import type { Database } from "~/server/db/client";
import { makeActor, withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { applyFileChanges, findChangeConflicts, type AppliedChange, type FileBase, type FileChange } from "../files";
import { quote } from "../files/common";
import { templateFiles } from "../project";
import { mergeFileSets, type FileSet, type MergeEntry, type MergeFile } from "./merge";

type Queryable = Pick<Database, "$queryRaw">;

/** One side's text in a preview is left out past this size (the apply still merges it in full). */
const PREVIEW_FILE_TEXT_MAX_BYTES = 1024 * 1024;
/** And every text is left out once a preview has carried this much, so one answer stays a sane size. */
const PREVIEW_TOTAL_TEXT_MAX_BYTES = 24 * 1024 * 1024;
/** How many paths the activity row names (the counts cover the rest). */
const ACTIVITY_MAX_PATHS = 100;
/**
 * How many newer versions the status carries with their changelogs (the newest ones): an author may publish any
 * number of versions, and the status is read on every page of every project made from the template.
 */
export const UPGRADE_CHANGELOG_MAX_VERSIONS = 20;

interface ProjectTemplateRow {
  template_id: string | null;
  template_version_id: string | null;
  template_name: string | null;
  from_version: string | null;
}

interface VersionRow {
  id: string;
  version: string;
  changelog: string;
  created_at: Date;
  /** How many versions are above the project's in all (the rows are the newest of them only). */
  newer_count: bigint;
}

interface UpgradeState {
  templateId: string;
  templateName: string;
  fromVersionId: string;
  fromVersion: string;
  /** The newest versions above the project's, newest first, at most UPGRADE_CHANGELOG_MAX_VERSIONS (empty: it is at the newest). */
  newer: VersionRow[];
}

/**
 * Where the project stands with its template; `null` when it has nothing to upgrade from (no template, a template
 * no longer visible to the owner, or no recorded version). With `lock`, the project row stays locked until the
 * transaction ends, so two upgrades of one project run one after the other.
 */
async function loadState(
  q: Queryable,
  projectId: string,
  userId: string,
  lock: boolean,
): Promise<{ state: UpgradeState | null; reason: string }> {
  const rows = await q.$queryRaw<ProjectTemplateRow[]>(Prisma.sql`
    SELECT p.template_id, p.template_version_id, t.name AS template_name, v.version AS from_version
      FROM projects p
      LEFT JOIN project_templates t
        ON t.id = p.template_id AND (t.is_public OR t.created_by = ${userId}::uuid)
      LEFT JOIN project_template_versions v
        ON v.id = p.template_version_id AND v.template_id = p.template_id
     WHERE p.id = ${projectId}::uuid AND p.user_id = ${userId}::uuid
     ${lock ? Prisma.sql`FOR UPDATE OF p` : Prisma.empty}`);
  const row = rows[0];
  if (!row) throw new AppError("NOT_FOUND", "Project not found.");
  if (row.template_id === null) {
    return { state: null, reason: "This project was not made from a template, so there is nothing to upgrade." };
  }
  if (row.template_name === null) {
    return { state: null, reason: "The template this project was made from is no longer available." };
  }
  if (row.template_version_id === null || row.from_version === null) {
    return {
      state: null,
      reason: "This project does not record which version of its template it was made from, so it cannot be upgraded.",
    };
  }
  const newer = await q.$queryRaw<VersionRow[]>`
    SELECT id, version, changelog, created_at, count(*) OVER () AS newer_count FROM project_template_versions
     WHERE template_id = ${row.template_id}::uuid
       AND version_key > (SELECT version_key FROM project_template_versions WHERE id = ${row.template_version_id}::uuid)
     ORDER BY version_key DESC
     LIMIT ${UPGRADE_CHANGELOG_MAX_VERSIONS}`;
  return {
    state: {
      templateId: row.template_id,
      templateName: row.template_name,
      fromVersionId: row.template_version_id,
      fromVersion: row.from_version,
      newer,
    },
    reason: `This project is already at the newest version of template ${row.template_name} (${row.from_version}).`,
  };
}

function describeStatus(state: UpgradeState) {
  const to = state.newer[0]!;
  return {
    templateId: state.templateId,
    templateName: state.templateName,
    fromVersion: state.fromVersion,
    toVersion: to.version,
    toVersionId: to.id,
    changelog: state.newer.map((version) => ({
      version: version.version,
      changelog: version.changelog,
      createdAt: version.created_at,
    })),
    /** Older versions above the project's whose changelogs are left out. */
    changelogOmitted: Number(to.newer_count) - state.newer.length,
  };
}

export type TemplateUpgradeStatus = ReturnType<typeof describeStatus>;

/** Whether a newer version of the project's template exists, with the changelogs of the newest versions above its own. */
export async function templateUpgradeStatus(options: {
  db: Database;
  projectId: string;
  userId: string;
}): Promise<TemplateUpgradeStatus | null> {
  const { state } = await loadState(options.db, options.projectId, options.userId, false);
  return state && state.newer.length > 0 ? describeStatus(state) : null;
}

/** The state of a project that has a newer template version to take; otherwise a BAD_REQUEST saying why not. */
async function upgradableState(q: Queryable, projectId: string, userId: string, lock: boolean) {
  const { state, reason } = await loadState(q, projectId, userId, lock);
  if (!state || state.newer.length === 0) throw new AppError("BAD_REQUEST", reason);
  return state;
}

interface LiveFile extends MergeFile {
  fileId: string;
  version: number;
}

async function versionFileSet(q: Queryable, versionId: string): Promise<FileSet> {
  const rows = await q.$queryRaw<{ file_structure: unknown }[]>`
    SELECT file_structure FROM project_template_versions WHERE id = ${versionId}::uuid`;
  const files = templateFiles(rows[0]?.file_structure);
  return new Map(files.map((file) => [file.path, { content: file.content, isBinary: file.isBinary }]));
}

/** The project's files at `paths` (locked with `lock`, until the transaction ends). */
async function liveFiles(q: Queryable, projectId: string, paths: string[], lock: boolean) {
  const rows = await q.$queryRaw<
    { id: string; file_path: string; version: number; content: string | null; is_binary: boolean }[]
  >(Prisma.sql`
    SELECT id, file_path, version, content, is_binary FROM project_files
     WHERE project_id = ${projectId}::uuid AND file_path = ANY(${paths}::text[])
     ORDER BY file_path
     ${lock ? Prisma.sql`FOR UPDATE` : Prisma.empty}`);
  return new Map<string, LiveFile>(
    rows.map((row) => [
      row.file_path,
      { fileId: row.id, version: row.version, content: row.content ?? "", isBinary: row.is_binary },
    ]),
  );
}

/**
 * The files the upgrade would create where the project's tree has no room for them, each with the path in the
 * way: a file of the user's where the new file needs a folder (`lib` for `lib/x.ts`), or files of theirs under
 * the new file's path. Files the upgrade deletes cleanly (`leaving`) make way, as they are deleted first.
 */
async function treeClashes(q: Queryable, projectId: string, creates: string[], leaving: string[]) {
  if (creates.length === 0) return new Map<string, string>();
  const pairs = creates.flatMap((path) => ancestorPaths(path).map((ancestor) => [path, ancestor] as const));
  const rows = await q.$queryRaw<{ path: string; in_the_way: string }[]>`
    SELECT a.path, f.file_path AS in_the_way
      FROM unnest(${pairs.map(([path]) => path)}::text[], ${pairs.map(([, ancestor]) => ancestor)}::text[])
           AS a(path, ancestor)
      JOIN project_files f ON f.project_id = ${projectId}::uuid AND f.file_path = a.ancestor
     WHERE NOT f.file_path = ANY(${leaving}::text[])
     UNION ALL
    SELECT c.path, f.file_path
      FROM unnest(${creates}::text[]) AS c(path)
     CROSS JOIN LATERAL (
           SELECT file_path FROM project_files
            WHERE project_id = ${projectId}::uuid AND starts_with(file_path, c.path || '/')
              AND NOT file_path = ANY(${leaving}::text[])
            LIMIT 1) f`;
  return new Map(rows.map((row) => [row.path, row.in_the_way]));
}

/**
 * The merge of the template's changes from the project's version to `to` into the project's files now. A file
 * the template adds where the project's tree has no room for it is a collision (`clash`: the path in the way), not a
 * clean change the apply could only refuse.
 */
async function computeMerge(q: Queryable, projectId: string, state: UpgradeState, to: VersionRow, lock: boolean) {
  const base = await versionFileSet(q, state.fromVersionId);
  const theirs = await versionFileSet(q, to.id);
  const paths = [...new Set([...base.keys(), ...theirs.keys()])];
  const live = await liveFiles(q, projectId, paths, lock);
  const merged = mergeFileSets(base, theirs, live, { theirsVersion: to.version });
  const clashes = await treeClashes(
    q,
    projectId,
    merged.filter((entry) => entry.merged !== null && entry.ours === null).map((entry) => entry.path),
    merged.filter((entry) => entry.status === "clean" && entry.merged === null).map((entry) => entry.path),
  );
  const entries: (MergeEntry & { clash: string | null })[] = merged.map((entry) => {
    const clash = clashes.get(entry.path) ?? null;
    return clash === null ? { ...entry, clash } : { ...entry, status: "conflict", clash };
  });
  return { entries, live };
}

/**
 * What upgrading the project to its template's newest version would change, file by file: each clean change with
 * its result, each collision with a proposal to start from (conflict markers around both sides), and the project
 * file each was computed from (its id and version, to send back with the apply). Texts of binary files, and of
 * files past the preview's size limits, are left out (`isBinary`, `tooLarge`): those are resolved by taking one
 * side whole.
 */
export async function previewTemplateUpgrade(options: { db: Database; projectId: string; userId: string }) {
  const { db, projectId, userId } = options;
  const state = await upgradableState(db, projectId, userId, false);
  const { entries, live } = await computeMerge(db, projectId, state, state.newer[0]!, false);
  let budget = PREVIEW_TOTAL_TEXT_MAX_BYTES;
  const files = entries.map((entry) => {
    const sides = [entry.base, entry.theirs, entry.ours, entry.merged];
    const isBinary = sides.some((side) => side?.isBinary === true);
    const bytes = sides.map((side) => (side ? Buffer.byteLength(side.content, "utf8") : 0));
    const tooLarge =
      !isBinary &&
      (bytes.some((size) => size > PREVIEW_FILE_TEXT_MAX_BYTES) || bytes.reduce((a, b) => a + b, 0) > budget);
    const shown = !isBinary && !tooLarge;
    if (shown) budget -= bytes.reduce((a, b) => a + b, 0);
    const text = (side: MergeFile | null) => (shown && side ? side.content : null);
    const ours = live.get(entry.path);
    return {
      path: entry.path,
      change: entry.change,
      status: entry.status,
      isBinary,
      tooLarge,
      base: text(entry.base),
      theirs: text(entry.theirs),
      ours: text(entry.ours),
      merged: text(entry.merged),
      /** A file of the project in the way of the file the template adds here (a collision), or null. */
      clash: entry.clash,
      /** The project's file the merge was computed from (null: none at this path). */
      fileId: ours?.fileId ?? null,
      version: ours?.version ?? null,
    };
  });
  return {
    ...describeStatus(state),
    files,
    cleanCount: files.filter((file) => file.status === "clean").length,
    conflictCount: files.filter((file) => file.status === "conflict").length,
  };
}

export type TemplateUpgradePreview = Awaited<ReturnType<typeof previewTemplateUpgrade>>;

function listPaths(paths: string[]): string {
  const shown = paths.slice(0, 5).map(quote).join(", ");
  return paths.length > 5 ? `${shown} and ${paths.length - 5} more` : shown;
}

/** The file a conflict's resolution leaves (null: no file). */
function resolvedFile(entry: MergeEntry, resolution: TUpgradeResolution): MergeFile | null {
  if ("content" in resolution) return { content: resolution.content, isBinary: false };
  if ("delete" in resolution) return null;
  return resolution.take === "ours" ? entry.ours : entry.theirs;
}

function sameFile(a: MergeFile | null, b: MergeFile | null): boolean {
  if (a === null || b === null) return a === b;
  return a.content === b.content && a.isBinary === b.isBinary;
}

/**
 * Upgrades the project to its template's newest version, as the preview showed: in ONE transaction under the
 * project's path lock, the merge is computed again from the same three sides, and nothing is written unless the
 * version is still the one reviewed (`toVersionId`), every file the preview showed is still the one it was made
 * from (`expected`), and every collision has a resolution. The files are written as the system acting for the
 * user (their activity and versions say source `system`); the project then records the new version, and one
 * `template_upgraded` activity row says what was done.
 */
export async function applyTemplateUpgrade(options: {
  db: Database;
  actor: Actor;
  projectId: string;
  userId: string;
  input: TUpgradeApplyInput;
}) {
  const { db, projectId, userId, input } = options;
  const actor = makeActor({ userId: options.actor.userId, source: "system" });
  return withWrite(
    db,
    actor,
    async (tx) => {
      const { state: current } = await loadState(tx, projectId, userId, true);
      if (current?.fromVersionId === input.toVersionId) {
        throw new AppError(
          "CONFLICT",
          `This project was already upgraded to template ${current.templateName} ${current.fromVersion}.`,
        );
      }
      const state = await upgradableState(tx, projectId, userId, false);
      const to = state.newer[0]!;
      if (to.id !== input.toVersionId) {
        throw new AppError(
          "CONFLICT",
          `Template ${state.templateName} has changed since you reviewed this upgrade (its newest version is now ${to.version}). Review the upgrade again.`,
        );
      }
      const { entries, live } = await computeMerge(tx, projectId, state, to, true);

      const expected = new Map(input.expected.map((item) => [item.path, item]));
      const unseen = entries.filter((entry) => !expected.has(entry.path)).map((entry) => entry.path);
      const stale = await findChangeConflicts(
        tx,
        projectId,
        input.expected.map((item) => ({
          path: item.path,
          content: null,
          base: item.fileId !== null && item.version !== null ? { fileId: item.fileId, version: item.version } : null,
        })),
      );
      const changed = [...new Set([...stale, ...unseen])].sort();
      if (changed.length > 0) {
        throw new AppError(
          "CONFLICT",
          `The project changed since you reviewed this upgrade (${listPaths(changed)}). Review the upgrade again.`,
          { paths: changed },
        );
      }

      const conflicts = new Map(entries.filter((entry) => entry.status === "conflict").map((e) => [e.path, e]));
      const resolutions = new Map<string, TUpgradeResolution>();
      for (const resolution of input.resolutions) {
        if (!conflicts.has(resolution.path)) {
          throw new AppError("BAD_REQUEST", `${quote(resolution.path)} has no conflict to resolve in this upgrade.`);
        }
        if (resolutions.has(resolution.path)) {
          throw new AppError("BAD_REQUEST", `${quote(resolution.path)} is resolved more than once.`);
        }
        // A binary file cannot hold text edited by hand (the preview offers no editor for it): a side, or delete.
        const entry = conflicts.get(resolution.path)!;
        if ("content" in resolution && [entry.base, entry.theirs, entry.ours].some((side) => side?.isBinary)) {
          throw new AppError(
            "BAD_REQUEST",
            `${quote(resolution.path)} is a binary file: keep yours, take the template's, or delete it.`,
          );
        }
        resolutions.set(resolution.path, resolution);
      }
      const unresolved = [...conflicts.keys()].filter((path) => !resolutions.has(path));
      if (unresolved.length > 0) {
        throw new AppError("CONFLICT", `Resolve every conflict before upgrading: ${listPaths(unresolved)}.`, {
          paths: unresolved,
        });
      }

      const changes: FileChange[] = [];
      for (const entry of entries) {
        const resolution = resolutions.get(entry.path);
        const result = resolution ? resolvedFile(entry, resolution) : entry.merged;
        if (sameFile(result, entry.ours)) continue;
        const ours = live.get(entry.path);
        const base: FileBase = ours ? { fileId: ours.fileId, version: ours.version } : null;
        changes.push({ path: entry.path, content: result?.content ?? null, isBinary: result?.isBinary, base });
      }
      const written: AppliedChange[] = await applyFileChanges(tx, projectId, actor, changes);

      await tx.project.update({ where: { id: projectId }, data: { templateVersionId: to.id } });
      const count = (action: AppliedChange["action"]) => written.filter((change) => change.action === action).length;
      const counts = {
        created: count("created"),
        modified: count("modified"),
        deleted: count("deleted"),
        conflictsResolved: conflicts.size,
      };
      await tx.projectActivity.create({
        data: {
          projectId,
          userId: actor.userId,
          activityType: "template_upgraded",
          description: `Upgraded from template ${state.templateName} ${state.fromVersion} to ${to.version}`,
          metadata: {
            template_id: state.templateId,
            from_version_id: state.fromVersionId,
            from_version: state.fromVersion,
            to_version_id: to.id,
            to_version: to.version,
            created: counts.created,
            modified: counts.modified,
            deleted: counts.deleted,
            conflicts_resolved: counts.conflictsResolved,
          },
          affectedResources: written.slice(0, ACTIVITY_MAX_PATHS).map((change) => change.path),
          sourceType: actor.source,
        },
      });
      return {
        templateName: state.templateName,
        fromVersion: state.fromVersion,
        toVersion: to.version,
        toVersionId: to.id,
        written,
        ...counts,
      };
    },
    { lockPathsOf: projectId, timeout: 30_000 },
  );
}
