import { JobList } from "~/components/admin/job-list";
import { requireAdmin } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Background jobs" };

export default async function AdminJobsPage() {
  await requireAdmin("/admin/jobs");
  const queryClient = getQueryClient();
  await queryClient.prefetchQuery(trpc.admin.jobs.list.queryOptions());
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Background jobs</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Maintenance and reconciliation run from a queue in PostgreSQL, shared by every instance of the app: each
            scheduled run happens once, on whichever instance takes it. Schedules are in UTC.
          </p>
        </div>
        <JobList />
      </div>
    </HydrateClient>
  );
}
