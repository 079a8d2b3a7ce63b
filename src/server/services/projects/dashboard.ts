import type { Database } from "~/server/db/client";
import { AppError } from "~/server/errors";
import { projectUsageByDay } from "~/server/services/usage/dashboard";

/** How many days of AI usage the dashboard charts. */
export const DASHBOARD_USAGE_DAYS = 30;

/**
 * Everything a project's dashboard shows in one read: the counters, files by type, the project's state and its
 * infrastructure rows as stored (nothing estimated), AI usage per day and model (from the daily rollup), and the types and people seen in its activity (the timeline's
 * filter choices).
 *
 * Files and size come from the live files themselves rather than `projects.total_files`/`total_size_bytes`: the
 * triggers keep those exact, and the reconciliation job reports drift, but the dashboard is where someone checks,
 * so it shows what the rows add up to and the stored counters beside them.
 */
export async function getProjectDashboard({ db, projectId }: { db: Database; projectId: string }) {
  const [project, counters, byType, versions, resources, activityTypes, actors, usage] = await Promise.all([
    db.project.findUnique({
      where: { id: projectId },
      select: {
        id: true,
        name: true,
        status: true,
        healthStatus: true,
        createdAt: true,
        updatedAt: true,
        lastActivityAt: true,
        archivedAt: true,
        storageLimitMb: true,
        totalFiles: true,
        totalSizeBytes: true,
        serviceUrl: true,
        allocatedPort: true,
      },
    }),
    db.$queryRaw<{ files: number; bytes: bigint; lines: bigint }[]>`
      SELECT count(*)::int AS files, COALESCE(sum(size_bytes), 0)::bigint AS bytes,
             COALESCE(sum(line_count), 0)::bigint AS lines
        FROM project_files WHERE project_id = ${projectId}::uuid`,
    db.$queryRaw<{ file_type: string | null; files: number; bytes: bigint; lines: bigint }[]>`
      SELECT file_type, count(*)::int AS files, COALESCE(sum(size_bytes), 0)::bigint AS bytes,
             COALESCE(sum(line_count), 0)::bigint AS lines
        FROM project_files WHERE project_id = ${projectId}::uuid
       GROUP BY file_type`,
    db.projectFileVersion.count({ where: { projectId } }),
    db.infrastructureResource.findMany({
      where: { projectId },
      orderBy: [{ resourceType: "asc" }, { resourceName: "asc" }],
      select: {
        id: true,
        resourceType: true,
        resourceName: true,
        status: true,
        healthStatus: true,
        healthCheckUrl: true,
        lastHealthCheck: true,
        cpuUsagePercent: true,
        memoryUsageMb: true,
        diskUsageMb: true,
        networkInBytes: true,
        networkOutBytes: true,
        lastMetricsAt: true,
        updatedAt: true,
      },
    }),
    db.$queryRaw<{ activity_type: string; entries: number }[]>`
      SELECT activity_type, count(*)::int AS entries FROM project_activity
       WHERE project_id = ${projectId}::uuid GROUP BY activity_type ORDER BY activity_type`,
    db.$queryRaw<{ id: string; full_name: string | null; username: string | null }[]>`
      SELECT u.id, u.full_name, u.username::text AS username
        FROM users u
       WHERE u.id IN (SELECT DISTINCT a.user_id FROM project_activity a
                       WHERE a.project_id = ${projectId}::uuid AND a.user_id IS NOT NULL)
       ORDER BY u.username`,
    projectUsageByDay({ db, projectId, days: DASHBOARD_USAGE_DAYS }),
  ]);
  if (!project) throw new AppError("NOT_FOUND", "Project not found.");
  const live = counters[0] ?? { files: 0, bytes: 0n, lines: 0n };
  const storageLimitBytes = project.storageLimitMb === null ? null : project.storageLimitMb * 1024 * 1024;
  return {
    project: {
      id: project.id,
      name: project.name,
      status: project.status,
      healthStatus: project.healthStatus,
      createdAt: project.createdAt,
      updatedAt: project.updatedAt,
      lastActivityAt: project.lastActivityAt,
      archivedAt: project.archivedAt,
      serviceUrl: project.serviceUrl,
      allocatedPort: project.allocatedPort,
    },
    counters: {
      files: live.files,
      sizeBytes: Number(live.bytes),
      lines: Number(live.lines),
      versions,
      storageLimitBytes,
      /** What the triggers keep on `projects`; equal to files/sizeBytes unless something drifted. */
      storedFiles: project.totalFiles,
      storedSizeBytes: Number(project.totalSizeBytes),
    },
    filesByType: byType.map((row) => ({
      fileType: row.file_type ?? "other",
      files: row.files,
      sizeBytes: Number(row.bytes),
      lines: Number(row.lines),
    })),
    resources: resources.map((resource) => ({
      ...resource,
      cpuUsagePercent: resource.cpuUsagePercent === null ? null : Number(resource.cpuUsagePercent),
      networkInBytes: resource.networkInBytes === null ? null : Number(resource.networkInBytes),
      networkOutBytes: resource.networkOutBytes === null ? null : Number(resource.networkOutBytes),
    })),
    activityTypes: activityTypes.map((row) => ({ type: row.activity_type, entries: row.entries })),
    usageByDay: usage,
    activityUsers: actors.map((row) => ({ id: row.id, name: row.full_name ?? "", username: row.username ?? "" })),
  };
}
