import { MyUsage } from "~/components/usage/my-usage";
import { requireSession } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "My usage" };

export default async function MyUsagePage() {
  await requireSession("/usage");
  await getQueryClient().prefetchQuery(trpc.usage.mine.queryOptions({ months: 12 }));
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">My usage</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            What your assistant turns used and cost, by project and month (UTC), and your monthly budget.
          </p>
        </div>
        <MyUsage />
      </div>
    </HydrateClient>
  );
}
