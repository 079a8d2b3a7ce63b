/**
 * Starting and stopping a project's live preview. The procedures run in the Next process; the listeners live in
 * the parent process of `npm start` (host.ts), which learns of every change from a NOTIFY sent on commit (and
 * re-reads the table every few seconds, should a notification be lost). The database is the only shared state, so
 * several instances agree on who has which port, and a restart re-opens what was running.
 */
import net from "node:net";
import { env } from "~/env";
import type { Prisma } from "~/generated/prisma/client";
import type { Database } from "~/server/db/client";
import { ZPreviewPrepare } from "~/lib/schemas/preview";
import { AppError } from "~/server/errors";
import { classifySite, type SiteVerdict } from "./site";

/** The NOTIFY channel the preview host listens on; the payload is a project id. */
export const PREVIEW_CHANNEL = "vaporform_preview";
/** The health endpoint every preview listener answers (shadows a project file of that name). */
export const HEALTH_PATH = "/__vaporform/health";
/** infrastructure_resources names of a preview: the service (listener) and the volume (its stored files). */
export const SERVICE_RESOURCE = { type: "service", name: "preview" } as const;
export const VOLUME_RESOURCE = { type: "volume", name: "preview-files" } as const;

/** First key of the advisory lock that serialises port allocation ("vfpv"), apart from the app's other locks. */
const PORT_LOCK_CLASS = 0x76667076;

export interface PreviewSettings {
  range: { first: number; last: number };
  host: string;
  bind: string | undefined;
}

export function previewSettings(): PreviewSettings {
  return { range: env.PREVIEW_PORT_RANGE, host: env.PREVIEW_HOST, bind: env.PREVIEW_BIND };
}

export function previewUrl(host: string, port: number): string {
  return `http://${host}:${port}/`;
}

/** The preview's state as the IDE shows it. */
export async function getPreview({ db, projectId }: { db: Database; projectId: string }) {
  const [project, site, service] = await Promise.all([
    db.project.findUniqueOrThrow({
      where: { id: projectId },
      select: { status: true, healthStatus: true, serviceUrl: true, allocatedPort: true },
    }),
    readSite(db, projectId),
    db.infrastructureResource.findUnique({
      where: {
        projectId_resourceType_resourceName: {
          projectId,
          resourceType: SERVICE_RESOURCE.type,
          resourceName: SERVICE_RESOURCE.name,
        },
      },
      select: { status: true, healthStatus: true, lastHealthCheck: true, configuration: true },
    }),
  ]);
  // Only a preview this install started is live; any other status/port on the row is not ours to show as one.
  const live = service !== null && service.status !== "stopped";
  const configuration = (service?.configuration ?? {}) as { error?: string; prepare?: unknown };
  const prepare = live ? ZPreviewPrepare.safeParse(configuration.prepare) : null;
  return {
    status: live ? project.status : "stopped",
    healthStatus: live ? project.healthStatus : "unknown",
    serviceUrl: live ? project.serviceUrl : null,
    port: live ? project.allocatedPort : null,
    lastHealthCheck: service?.lastHealthCheck ?? null,
    error: project.status === "error" ? (configuration.error ?? null) : null,
    /** Installing and bundling, as the host serving the port recorded it; null for a site served as it is. */
    prepare: prepare?.success ? prepare.data : null,
    site,
  };
}

async function readSite(db: Pick<Database, "projectFile">, projectId: string): Promise<SiteVerdict> {
  const files = await db.projectFile.findMany({
    where: { projectId, filePath: { in: ["index.html", "package.json"] }, isBinary: false },
    select: { filePath: true, content: true },
  });
  const text = (path: string) => files.find((file) => file.filePath === path)?.content ?? null;
  return classifySite({ indexHtml: text("index.html"), packageJson: text("package.json") });
}

/**
 * Starts the project's preview: allocates the lowest free port of the range (under an advisory lock, so two
 * instances never hand out one port twice), records the service and volume resources and the `creating` status
 * with its activity, and waits (at most `waitMs`) for the preview host to report it running. Starting a preview
 * that is already up answers it as it is. A project that needs a server process, or has nothing to serve, is
 * refused with the reason; an exhausted range is refused; either way nothing changes.
 */
export async function startPreview(options: {
  db: Database;
  projectId: string;
  userId: string;
  settings?: PreviewSettings;
  waitMs?: number;
}) {
  const { db, projectId, userId, settings = previewSettings(), waitMs = 5_000 } = options;
  const { first, last } = settings.range;
  await db.$transaction(
    async (tx) => {
      await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${PORT_LOCK_CLASS}::int, 0)`;
      const [project] = await tx.$queryRaw<
        { status: string; allocated_port: number | null; total_size_bytes: bigint; service_status: string | null }[]
      >`
        SELECT p.status, p.allocated_port, p.total_size_bytes, r.status AS service_status
          FROM projects p
          LEFT JOIN infrastructure_resources r
            ON r.project_id = p.id AND r.resource_type = ${SERVICE_RESOURCE.type} AND r.resource_name = ${SERVICE_RESOURCE.name}
         WHERE p.id = ${projectId}::uuid
           FOR UPDATE OF p`;
      if (!project) throw new AppError("NOT_FOUND", "Project not found.");
      const alreadyUp =
        project.service_status !== null &&
        project.service_status !== "stopped" &&
        (project.status === "creating" || project.status === "running") &&
        project.allocated_port !== null &&
        project.allocated_port >= first &&
        project.allocated_port <= last;
      if (alreadyUp) return;

      const site = await readSite(tx, projectId);
      if (site.kind === "needs-server" || site.kind === "empty") {
        throw new AppError("PRECONDITION_FAILED", site.message ?? "This project cannot be previewed.", {
          site: site.kind,
        });
      }
      const taken = await tx.$queryRaw<{ port: number }[]>`
        SELECT allocated_port AS port FROM projects
         WHERE allocated_port BETWEEN ${first} AND ${last} AND id <> ${projectId}::uuid`;
      const port = await firstBindablePort(first, last, new Set(taken.map((row) => row.port)), settings.bind);
      if (port === null) {
        throw new AppError(
          "SERVICE_UNAVAILABLE",
          `Every preview port (${first}-${last}) is in use. Stop another project's preview, or ask the ` +
            "administrator to widen PREVIEW_PORT_RANGE.",
          { reason: "ports_exhausted" },
        );
      }
      const url = previewUrl(settings.host, port);
      const configuration = { kind: site.kind, port, url, servedFrom: "postgresql" } satisfies Prisma.InputJsonObject;
      await tx.project.update({
        where: { id: projectId },
        data: { status: "creating", healthStatus: "unknown", allocatedPort: port, serviceUrl: url },
      });
      const service = {
        resourceId: `port:${port}`,
        configuration,
        status: "creating",
        healthStatus: "unknown",
        healthCheckUrl: `${url.slice(0, -1)}${HEALTH_PATH}`,
      };
      await tx.infrastructureResource.upsert({
        where: {
          projectId_resourceType_resourceName: {
            projectId,
            resourceType: SERVICE_RESOURCE.type,
            resourceName: SERVICE_RESOURCE.name,
          },
        },
        create: { projectId, resourceType: SERVICE_RESOURCE.type, resourceName: SERVICE_RESOURCE.name, ...service },
        update: service,
      });
      const volume = {
        resourceId: `project_files:${projectId}`,
        configuration: { storage: "postgresql", table: "project_files", buildCache: null },
        status: "active",
        diskUsageMb: Math.ceil(Number(project.total_size_bytes) / (1024 * 1024)),
        lastMetricsAt: new Date(),
      };
      await tx.infrastructureResource.upsert({
        where: {
          projectId_resourceType_resourceName: {
            projectId,
            resourceType: VOLUME_RESOURCE.type,
            resourceName: VOLUME_RESOURCE.name,
          },
        },
        create: { projectId, resourceType: VOLUME_RESOURCE.type, resourceName: VOLUME_RESOURCE.name, ...volume },
        update: volume,
      });
      await tx.projectActivity.create({
        data: {
          projectId,
          userId,
          activityType: "preview_starting",
          description: `Preview starting on port ${port}`,
          sourceType: "system",
          beforeState: { status: project.status },
          afterState: { status: "creating", port, service_url: url },
          metadata: { port, url, site: site.kind },
        },
      });
      await tx.$executeRaw`SELECT pg_notify(${PREVIEW_CHANNEL}, ${projectId})`;
    },
    { timeout: 15_000 },
  );
  const deadline = Date.now() + waitMs;
  for (;;) {
    const preview = await getPreview({ db, projectId });
    if (preview.status !== "creating" || Date.now() >= deadline) return preview;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

/** Stops the preview: frees its port, marks the service stopped, logs the transition. Stopping a stopped one is a no-op. */
export async function stopPreview(options: { db: Database; projectId: string; userId: string }) {
  const { db, projectId, userId } = options;
  await db.$transaction(async (tx) => {
    await tx.$queryRaw`SELECT 1 AS locked FROM pg_advisory_xact_lock(${PORT_LOCK_CLASS}::int, 0)`;
    const project = await tx.project.findUniqueOrThrow({
      where: { id: projectId },
      select: { status: true, allocatedPort: true },
    });
    const service = await tx.infrastructureResource.findUnique({
      where: {
        projectId_resourceType_resourceName: {
          projectId,
          resourceType: SERVICE_RESOURCE.type,
          resourceName: SERVICE_RESOURCE.name,
        },
      },
      select: { status: true },
    });
    if (!service || (service.status === "stopped" && project.status === "stopped")) return;
    await tx.project.update({
      where: { id: projectId },
      data: { status: "stopped", healthStatus: "unknown", allocatedPort: null, serviceUrl: null },
    });
    await tx.infrastructureResource.updateMany({
      where: { projectId, resourceType: SERVICE_RESOURCE.type, resourceName: SERVICE_RESOURCE.name },
      data: { status: "stopped", healthStatus: "unknown" },
    });
    await tx.projectActivity.create({
      data: {
        projectId,
        userId,
        activityType: "preview_stopped",
        description: project.allocatedPort
          ? `Preview stopped (port ${project.allocatedPort} freed)`
          : "Preview stopped",
        sourceType: "system",
        beforeState: { status: project.status, port: project.allocatedPort },
        afterState: { status: "stopped" },
        metadata: { port: project.allocatedPort },
      },
    });
    await tx.$executeRaw`SELECT pg_notify(${PREVIEW_CHANNEL}, ${projectId})`;
  });
  return getPreview({ db, projectId });
}

/**
 * The lowest port of the range that no project holds and that this machine can bind (a port another program
 * listens on would only fail later, in the host).
 */
async function firstBindablePort(
  first: number,
  last: number,
  taken: Set<number>,
  bind: string | undefined,
): Promise<number | null> {
  // A port no project holds may still be bound for a moment by the listener of a preview just stopped (the host
  // closes it when it hears of the stop): look again for up to 2 s before calling the range exhausted.
  for (let pass = 0; pass < 10; pass += 1) {
    let unallocated = false;
    for (let port = first; port <= last; port += 1) {
      if (taken.has(port)) continue;
      unallocated = true;
      if (await canBind(port, bind)) return port;
    }
    if (!unallocated) return null;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
  return null;
}

function canBind(port: number, host: string | undefined): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = net.createServer();
    probe.once("error", () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => probe.close(() => resolve(true)));
  });
}
