/**
 * A demo project: created and edited through the app's services as the system (on its owner's behalf), and
 * backdated to when the demo says each change happened. It starts as the app leaves a project nobody has started
 * (`stopped`, health `unknown`, no port, no infrastructure rows): starting its preview makes those real.
 */
import type { Prisma } from "~/generated/prisma/client";
import { makeActor, withWrite, type WriteTx } from "~/server/db/write";
import { prepareText, saveFile, writeFiles } from "~/server/services/files";
import { createProject } from "~/server/services/project";
import type { DemoProjectSpec, EditSpec } from "./demo-content";
import { seedUuid, createRandom, at } from "./helpers";
import type { DemoContext, ProjectState } from "./demo";
import { buildInteraction, insertInteractions } from "./interactions";

/**
 * The triggers stamp activity and versions with now(), the start of the demo's one transaction, and Prisma stamps
 * the rows it creates (createProject's `template_used`) with the clock, later still: move the rows written since the
 * last call (stamped now() or after; the earlier ones are already in the past) to the moment the change is meant to
 * have happened.
 */
async function backdate(tx: WriteTx, projectId: string, when: Date) {
  await tx.$executeRaw`
    UPDATE project_activity SET created_at = ${when}::timestamptz
     WHERE project_id = ${projectId}::uuid AND created_at >= now()`;
  await tx.$executeRaw`
    UPDATE project_file_versions SET created_at = ${when}::timestamptz
     WHERE project_id = ${projectId}::uuid AND created_at >= now()`;
}

/**
 * Creates the project with createProject (a template's files, or a blank project's README), writes the spec's
 * own files over it (as Claude, with its `project_creation` interaction, when Claude generated it), and gives
 * it the demo's metadata and limits.
 */
export async function createDemoProject(
  ctx: DemoContext,
  spec: DemoProjectSpec,
  nextInteractionId: () => string,
  random: ReturnType<typeof createRandom>,
): Promise<ProjectState> {
  const template = spec.templateSlug ? ctx.templates.find((t) => t.slug === spec.templateSlug) : undefined;
  if (spec.templateSlug && !template) throw new Error(`Demo project ${spec.name} needs template ${spec.templateSlug}`);
  const sourceFiles = template?.files ?? spec.files ?? [];
  const ownerId = ctx.users[spec.owner];
  const id = seedUuid(`project:${spec.key}`);
  const createdAt = at(ctx.now, spec.createdDaysAgo, spec.createdTime);
  const system = makeActor({ userId: ownerId, source: "system" });

  await createProject({
    db: ctx.db,
    actor: system,
    userId: ownerId,
    name: spec.name,
    description: spec.description,
    templateId: template?.id,
    id,
  });

  if (!template && spec.files) {
    let actor = system;
    if (spec.createdByClaude) {
      const interaction = buildInteraction(random, {
        id: nextInteractionId(),
        project: { id, ownerId },
        type: "project_creation",
        model: "claude-sonnet-4-5",
        userMessage: spec.createdByClaude.prompt,
        response: spec.createdByClaude.response,
        files: spec.files.map((f) => f.path),
        createdAt: new Date(createdAt.getTime() - 60_000),
        conversationId: seedUuid(`conversation:create:${spec.key}`),
        turn: 0,
        forceSuccess: true,
      });
      await insertInteractions(ctx.tx, [interaction]);
      actor = makeActor({ userId: ownerId, source: "claude", interactionId: interaction.id });
    }
    const files = spec.files.map((file) => prepareText(file.path, file.content));
    await withWrite(ctx.db, actor, (tx) => writeFiles(tx, id, actor, files, true), { lockPathsOf: id });
  }

  await ctx.tx.project.update({
    where: { id },
    data: {
      functionality: spec.functionality,
      architectureType: spec.architectureType,
      ...(template ? {} : { techStack: (spec.techStack ?? {}) as Prisma.InputJsonObject }),
      memoryLimitMb: spec.limits.memoryMb,
      cpuLimitPercent: spec.limits.cpuPercent,
      storageLimitMb: spec.limits.storageMb,
      createdAt,
    },
  });
  await backdate(ctx.tx, id, createdAt);

  const written = new Map(
    (
      await ctx.tx.projectFile.findMany({
        where: { projectId: id },
        select: { id: true, filePath: true, version: true, content: true },
      })
    ).map((file) => [file.filePath, { id: file.id, version: file.version, content: file.content }]),
  );
  const state: ProjectState = { spec, id, ownerId, createdAt, files: new Map() };
  for (const path of [...sourceFiles.map((file) => file.path), ...written.keys()]) {
    const file = written.get(path);
    if (!file) throw new Error(`Demo project ${spec.name}: ${path} was not written`);
    state.files.set(path, file);
  }

  return state;
}

/**
 * One edit of the history, saved file by file with saveFile: as Claude with its `file_modification` interaction
 * (inserted first, so the versions can name it), otherwise as the system on the owner's behalf. Answers whether
 * it made an interaction.
 */
export async function applyEdit(
  ctx: DemoContext,
  project: ProjectState,
  edit: EditSpec,
  random: ReturnType<typeof createRandom>,
  nextInteractionId: () => string,
): Promise<boolean> {
  const when = at(ctx.now, edit.daysAgo, edit.time);
  let actor = makeActor({ userId: project.ownerId, source: "system" });
  if (edit.by === "claude") {
    const row = buildInteraction(random, {
      id: nextInteractionId(),
      project,
      type: "file_modification",
      model: edit.model ?? "claude-sonnet-4-5",
      userMessage: edit.prompt ?? "Make the change.",
      response: edit.summary ?? "Done.",
      files: edit.changes.map((c) => c.path),
      createdAt: when,
      conversationId: seedUuid(`conversation:edit:${edit.project}:${edit.daysAgo}:${edit.time}`),
      turn: 0,
      forceSuccess: true,
    });
    await insertInteractions(ctx.tx, [row]);
    actor = makeActor({ userId: project.ownerId, source: "claude", interactionId: row.id });
  }

  for (const change of edit.changes) {
    const file = project.files.get(change.path);
    if (!file) throw new Error(`Demo edit of ${project.spec.name}: no file ${change.path}`);
    let content = file.content;
    for (const [find, replacement] of change.replace ?? []) {
      if (!content.includes(find)) {
        throw new Error(`Demo edit of ${project.spec.name}/${change.path}: text not found: ${find.slice(0, 60)}`);
      }
      content = content.replace(find, replacement);
    }
    if (change.append) content += change.append;
    const saved = await saveFile({
      db: ctx.db,
      projectId: project.id,
      actor,
      path: change.path,
      content,
      fileId: file.id,
      baseVersion: file.version,
    });
    if (!saved.changed) throw new Error(`Demo edit of ${project.spec.name}/${change.path} changes nothing`);
    file.content = content;
    file.version = saved.version;
  }
  await backdate(ctx.tx, project.id, new Date(when.getTime() + (actor.source === "claude" ? 90_000 : 0)));
  return actor.source === "claude";
}
