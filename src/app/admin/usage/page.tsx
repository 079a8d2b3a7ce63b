import { AdminUsageDashboard } from "~/components/usage/admin-usage-dashboard";
import { defaultRange } from "~/lib/charts/series";
import { requireAdmin } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Usage" };

export default async function AdminUsagePage() {
  await requireAdmin("/admin/usage");
  const initial = { ...defaultRange(30), granularity: "day" as const };
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.usage.dashboard.queryOptions({ ...initial, top: 10 })),
    queryClient.prefetchQuery(trpc.admin.budgets.defaults.queryOptions()),
  ]);
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Usage</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Assistant tokens and cost across the install, from the daily rollup. Cost is what each turn was charged when
            it ran; turns of models without a price are shown as unpriced, never as $0.
          </p>
        </div>
        <AdminUsageDashboard initial={initial} />
      </div>
    </HydrateClient>
  );
}
