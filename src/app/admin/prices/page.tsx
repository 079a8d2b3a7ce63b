import { PriceList } from "~/components/admin/price-list";
import { requireAdmin } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Prices" };

export default async function AdminPricesPage() {
  await requireAdmin("/admin/prices");
  const queryClient = getQueryClient();
  await Promise.all([
    queryClient.prefetchQuery(trpc.admin.prices.list.queryOptions()),
    queryClient.prefetchQuery(
      trpc.admin.auditLog.queryOptions({ limit: 10, actions: ["price.create", "usage.reprice"] }),
    ),
  ]);
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Prices</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            What each model costs, in USD per million tokens, as dated rows that never overlap. A turn&apos;s cost is
            stored with the row in effect when it ran; re-pricing a range changes it on purpose, and is audited.
          </p>
        </div>
        <PriceList />
      </div>
    </HydrateClient>
  );
}
