/**
 * Upgrading a project from a newer version of the template it was made from: whether one exists (with the
 * changelog), a preview of the three-way merge (base: the version the project records; theirs: the template's
 * newest; ours: the project's files now), and the apply, which recomputes the same merge in one transaction and
 * writes only when nothing changed since the preview and every collision has the user's resolution.
 */
import { Prisma } from "~/generated/prisma/client";
import type { TUpgradeApplyInput } from "~/lib/schemas/template";
import type { Database } from "~/server/db/client";
import { makeActor, withWrite, type Actor } from "~/server/db/write";
import { AppError } from "~/server/errors";
import { applyFileChanges, type AppliedChange } from "../files";
import { liveFiles, planMergeApply, previewFiles, withTreeClashes } from "../merge-review";
import { templateFiles } from "../project";
import { mergeFileSets, type FileSet } from "./merge";

type Queryable = Pick<Database, "$queryRaw">;

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

async function versionFileSet(q: Queryable, versionId: string): Promise<FileSet> {
  const rows = await q.$queryRaw<{ file_structure: unknown }[]>`
    SELECT file_structure FROM project_template_versions WHERE id = ${versionId}::uuid`;
  const files = templateFiles(rows[0]?.file_structure);
  return new Map(files.map((file) => [file.path, { content: file.content, isBinary: file.isBinary }]));
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
  const entries = await withTreeClashes(q, projectId, mergeFileSets(base, theirs, live, { theirsVersion: to.version }));
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
  return { ...describeStatus(state), ...previewFiles(entries, live) };
}

export type TemplateUpgradePreview = Awaited<ReturnType<typeof previewTemplateUpgrade>>;

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

      const { changes, conflictsResolved } = await planMergeApply(tx, projectId, entries, live, input, {
        action: "upgrade",
        verbing: "upgrading",
        theirs: "the template's",
      });
      const written: AppliedChange[] = await applyFileChanges(tx, projectId, actor, changes);

      await tx.project.update({ where: { id: projectId }, data: { templateVersionId: to.id } });
      const count = (action: AppliedChange["action"]) => written.filter((change) => change.action === action).length;
      const counts = {
        created: count("created"),
        modified: count("modified"),
        deleted: count("deleted"),
        conflictsResolved,
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
