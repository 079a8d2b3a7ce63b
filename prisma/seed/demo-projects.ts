/** A demo project: its files, resources and events, and the edits that make its history. */
import { createHash } from "node:crypto";
import type pg from "pg";
import type { DemoProjectSpec, EditSpec } from "./demo-content";
import { DAY_MS, seedUuid, createRandom, setActor, at, describeFile } from "./helpers";
import type { DemoContext, ProjectState } from "./demo";
import { buildInteraction, insertInteraction } from "./interactions";

/**
 * The file triggers stamp activity and versions with now(): move the rows this transaction wrote since the
 * last call (still stamped now()) to the moment the change is meant to have happened.
 */
async function backdate(client: pg.PoolClient, projectId: string, when: Date) {
  await client.query("UPDATE project_activity SET created_at = $2 WHERE project_id = $1 AND created_at = now()", [
    projectId,
    when,
  ]);
  await client.query("UPDATE project_file_versions SET created_at = $2 WHERE project_id = $1 AND created_at = now()", [
    projectId,
    when,
  ]);
}

export async function createProject(
  client: pg.PoolClient,
  ctx: DemoContext,
  spec: DemoProjectSpec,
  nextInteractionId: () => string,
  random: ReturnType<typeof createRandom>,
): Promise<ProjectState> {
  const template = spec.templateSlug ? ctx.templates.find((t) => t.slug === spec.templateSlug) : undefined;
  if (spec.templateSlug && !template) throw new Error(`Demo project ${spec.name} needs template ${spec.templateSlug}`);
  const files = template?.files ?? spec.files ?? [];
  const ownerId = ctx.users[spec.owner];
  const id = seedUuid(`project:${spec.key}`);
  const createdAt = at(ctx.now, spec.createdDaysAgo, spec.events[0]?.time ?? "09:00");
  const running = spec.status === "running";

  await client.query(
    `INSERT INTO projects (id, user_id, template_id, name, description, functionality, architecture_type, tech_stack,
                           status, health_status, container_id, service_url, internal_ip, allocated_port,
                           memory_limit_mb, cpu_limit_percent, storage_limit_mb, deployment_count, deployed_at,
                           created_at, updated_at)
     VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $17, $18, $19, $20, $20)`,
    [
      id,
      ownerId,
      template?.id ?? null,
      spec.name,
      spec.description,
      spec.functionality,
      spec.architectureType,
      JSON.stringify(template?.manifest.tech_stack ?? spec.techStack ?? {}),
      spec.status,
      spec.healthStatus,
      spec.status === "stopped" ? null : `vf-${spec.key.toLowerCase()}-${id.slice(0, 8)}`,
      running && spec.port ? `http://localhost:${spec.port}` : null,
      spec.internalIp ?? null,
      spec.port ?? null,
      spec.limits.memoryMb,
      spec.limits.cpuPercent,
      spec.limits.storageMb,
      spec.events.filter((e) => e.type === "deployed").length,
      lastEventAt(ctx.now, spec, "deployed"),
      createdAt,
    ],
  );

  let interactionId: string | null = null;
  if (spec.createdByClaude) {
    interactionId = nextInteractionId();
    await insertInteraction(
      client,
      buildInteraction(random, {
        id: interactionId,
        project: { id, ownerId },
        type: "project_creation",
        model: "claude-sonnet-4-5",
        userMessage: spec.createdByClaude.prompt,
        response: spec.createdByClaude.response,
        files: files.map((f) => f.path),
        createdAt: new Date(createdAt.getTime() - 60_000),
        conversationId: seedUuid(`conversation:create:${spec.key}`),
        turn: 0,
        forceSuccess: true,
      }),
    );
  }

  await setActor(client, ownerId, spec.createdByClaude ? "claude" : "user", interactionId);
  const state: ProjectState = { spec, id, ownerId, createdAt, files: new Map() };
  for (const file of files) {
    const fileId = seedUuid(`file:${spec.key}:${file.path}`);
    const meta = describeFile(file.path, file.content);
    await client.query(
      `INSERT INTO project_files (id, project_id, file_path, file_name, file_type, mime_type, content, content_hash,
                                  encoding, size_bytes, line_count, is_binary, is_generated, version,
                                  created_at, updated_at, created_by, updated_by)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, 'utf-8', $9, $10, false, $11, 1, $12, $12, $13, $13)`,
      [
        fileId,
        id,
        file.path,
        meta.fileName,
        meta.fileType,
        meta.mimeType,
        file.content,
        meta.contentHash,
        meta.sizeBytes,
        meta.lineCount,
        Boolean(spec.createdByClaude),
        createdAt,
        ownerId,
      ],
    );
    state.files.set(file.path, { id: fileId, content: file.content });
  }
  await backdate(client, id, createdAt);

  for (const resource of spec.resources) {
    const active = resource.status === "active";
    await client.query(
      `INSERT INTO infrastructure_resources (id, project_id, resource_type, resource_name, resource_id, configuration,
                                             status, health_check_url, last_health_check, health_status,
                                             cpu_usage_percent, memory_usage_mb, disk_usage_mb, network_in_bytes,
                                             network_out_bytes, created_at, updated_at, last_metrics_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15, $16, $16, $17)`,
      [
        seedUuid(`resource:${spec.key}:${resource.type}:${resource.name}`),
        id,
        resource.type,
        resource.name,
        createHash("sha256")
          .update(`${spec.key}/${resource.name}`)
          .digest("hex")
          .slice(0, resource.type === "container" ? 12 : 24),
        JSON.stringify(resource.configuration),
        resource.status,
        resource.type === "container" && spec.port ? `http://${spec.internalIp ?? "127.0.0.1"}:${spec.port}/` : null,
        resource.type === "container" ? new Date(ctx.now.getTime() - (active ? 45_000 : 6 * DAY_MS)) : null,
        resource.healthStatus,
        resource.cpuPercent ?? null,
        resource.memoryMb ?? null,
        resource.diskMb ?? null,
        resource.networkIn ?? 0,
        resource.networkOut ?? 0,
        createdAt,
        resource.type === "container" || resource.type === "volume" ? new Date(ctx.now.getTime() - 60_000) : null,
      ],
    );
  }
  return state;
}

function lastEventAt(now: Date, spec: DemoProjectSpec, type: string): Date | null {
  const events = spec.events.filter((e) => e.type === type);
  const last = events.sort((a, b) => at(now, a.daysAgo, a.time).getTime() - at(now, b.daysAgo, b.time).getTime()).pop();
  return last ? at(now, last.daysAgo, last.time) : null;
}

export async function applyEdit(
  client: pg.PoolClient,
  ctx: DemoContext,
  project: ProjectState,
  edit: EditSpec,
  random: ReturnType<typeof createRandom>,
  nextInteractionId: () => string,
): Promise<boolean> {
  const when = at(ctx.now, edit.daysAgo, edit.time);
  let interactionId: string | null = null;
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
    await insertInteraction(client, row);
    interactionId = row.id;
  }

  await setActor(client, project.ownerId, edit.by === "claude" ? "claude" : "user", interactionId);
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
    const meta = describeFile(change.path, content);
    await client.query(
      `UPDATE project_files
          SET content = $2, content_hash = $3, size_bytes = $4, line_count = $5, updated_by = $6
        WHERE id = $1`,
      [file.id, content, meta.contentHash, meta.sizeBytes, meta.lineCount, project.ownerId],
    );
    file.content = content;
  }
  await backdate(client, project.id, new Date(when.getTime() + (interactionId ? 90_000 : 0)));
  return interactionId !== null;
}

export async function insertEvents(client: pg.PoolClient, ctx: DemoContext, project: ProjectState): Promise<number> {
  for (const [index, event] of project.spec.events.entries()) {
    await client.query(
      `INSERT INTO project_activity (id, project_id, user_id, activity_type, description, metadata, source_type, created_at)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8)`,
      [
        seedUuid(`activity:${project.spec.key}:${index}`),
        project.id,
        event.source === "user" ? project.ownerId : null,
        event.type,
        event.description,
        JSON.stringify(event.metadata ?? {}),
        event.source,
        at(ctx.now, event.daysAgo, event.time),
      ],
    );
  }
  return project.spec.events.length;
}
