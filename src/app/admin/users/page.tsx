import { UsersTable } from "~/components/admin/users-table";
import { requireAdmin } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Users" };

export default async function AdminUsersPage() {
  const session = await requireAdmin("/admin/users");
  await getQueryClient().prefetchQuery(trpc.admin.users.list.queryOptions({ page: 1, pageSize: 20 }));
  return (
    <HydrateClient>
      <div className="mx-auto max-w-6xl space-y-6 px-4 py-10">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">Users</h1>
          <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
            Everyone with an account on this install. Deactivating someone signs them out at once.
          </p>
        </div>
        <UsersTable currentUserId={session.user.id} />
      </div>
    </HydrateClient>
  );
}
