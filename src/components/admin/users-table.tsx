"use client";

import { keepPreviousData, useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Search, Users } from "lucide-react";
import { useDeferredValue, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Avatar } from "~/components/ui/avatar";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { PromptDialog } from "~/components/ui/prompt-dialog";
import { formatUsd } from "~/lib/charts/format";
import { ZBudgetUsd } from "~/lib/schemas/usage";
import { inputClasses } from "~/components/ui/field";
import { Switch } from "~/components/ui/switch";
import { timeAgo } from "~/lib/format";
import { USER_ROLES, type TAdminListUsersInput, type TUserRole } from "~/lib/schemas/account";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";

const PAGE_SIZE = 20;

/** One filter of the list: its options are its values ("" = no filter) with their labels. */
function FilterSelect<T extends string>({
  label,
  value,
  options,
  onChange,
}: {
  label: string;
  value: T;
  options: Record<T, string>;
  onChange(value: T): void;
}) {
  return (
    <select
      aria-label={label}
      className={cn(inputClasses, "w-auto")}
      value={value}
      onChange={(event) => onChange(event.target.value as T)}
    >
      {(Object.entries(options) as [T, string][]).map(([option, text]) => (
        <option key={option} value={option}>
          {text}
        </option>
      ))}
    </select>
  );
}

/** Every account of the install: search, filter, page; activate, premium, role. */
export function UsersTable({ currentUserId }: { currentUserId: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [query, setQuery] = useState("");
  const [role, setRole] = useState<TUserRole | "">("");
  const [status, setStatus] = useState<"active" | "inactive" | "">("");
  const [premium, setPremium] = useState<"yes" | "no" | "">("");
  const [page, setPage] = useState(1);
  const deferredQuery = useDeferredValue(query);

  const input: TAdminListUsersInput = {
    query: deferredQuery || undefined,
    role: role || undefined,
    status: status || undefined,
    premium: premium === "" ? undefined : premium === "yes",
    page,
    pageSize: PAGE_SIZE,
  };
  const list = useQuery({ ...trpc.admin.users.list.queryOptions(input), placeholderData: keepPreviousData });
  const update = useMutation(
    trpc.admin.users.update.mutationOptions({
      onSettled: () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() }),
    }),
  );

  const setBudget = useMutation(
    trpc.admin.budgets.setUser.mutationOptions({
      onSuccess: () => queryClient.invalidateQueries({ queryKey: trpc.admin.users.list.queryKey() }),
    }),
  );
  const [budgetOf, setBudgetOf] = useState<{ id: string; username: string; budget: string | null } | null>(null);

  const total = list.data?.total ?? 0;
  const pages = Math.max(1, Math.ceil(total / PAGE_SIZE));
  const first = total === 0 ? 0 : (page - 1) * PAGE_SIZE + 1;
  const last = Math.min(total, page * PAGE_SIZE);

  return (
    <div className="space-y-4">
      <div className="flex flex-wrap items-end gap-3">
        <div className="relative min-w-64 flex-1">
          <Search
            className="pointer-events-none absolute left-3 top-1/2 size-4 -translate-y-1/2 text-zinc-400"
            aria-hidden
          />
          <input
            type="search"
            aria-label="Search users"
            placeholder="Search by name, username or e-mail"
            className={cn(inputClasses, "pl-9")}
            value={query}
            onChange={(event) => {
              setQuery(event.target.value);
              setPage(1);
            }}
          />
        </div>
        <FilterSelect
          label="Role"
          value={role}
          options={{ "": "All roles", user: "Users", admin: "Admins" }}
          onChange={(value) => (setRole(value), setPage(1))}
        />
        <FilterSelect
          label="Status"
          value={status}
          options={{ "": "Any status", active: "Active", inactive: "Inactive" }}
          onChange={(value) => (setStatus(value), setPage(1))}
        />
        <FilterSelect
          label="Plan"
          value={premium}
          options={{ "": "Any plan", yes: "Premium", no: "Free" }}
          onChange={(value) => (setPremium(value), setPage(1))}
        />
      </div>

      {update.isError && <Alert tone="error">{update.error.message}</Alert>}
      {list.isError && <Alert tone="error">The users could not be loaded: {list.error.message}</Alert>}

      <div className="overflow-x-auto rounded-xl border border-zinc-200 dark:border-zinc-800">
        <table className="w-full text-left text-sm">
          <caption className="sr-only">Users</caption>
          <thead className="bg-zinc-50 text-xs uppercase tracking-wide text-zinc-500 dark:bg-zinc-900 dark:text-zinc-400">
            <tr>
              <th scope="col" className="px-4 py-3 font-medium">
                User
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Role
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Premium
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                AI budget
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Status
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                Last sign-in
              </th>
              <th scope="col" className="px-4 py-3 font-medium">
                <span className="sr-only">Actions</span>
              </th>
            </tr>
          </thead>
          <tbody className="divide-y divide-zinc-200 dark:divide-zinc-800">
            {list.data?.items.map((user) => {
              const self = user.id === currentUserId;
              return (
                <tr key={user.id} className={cn(!user.isActive && "bg-zinc-50/60 text-zinc-500 dark:bg-zinc-900/40")}>
                  <td className="px-4 py-3">
                    <div className="flex items-center gap-3">
                      <Avatar name={user.fullName} url={user.avatarUrl} size={32} />
                      <div className="min-w-0">
                        <p className="font-medium text-zinc-900 dark:text-zinc-100">
                          {user.fullName} {self && <span className="text-xs font-normal text-zinc-500">(you)</span>}
                        </p>
                        <p className="truncate text-xs text-zinc-500 dark:text-zinc-400">
                          @{user.username} · {user.email}
                          {!user.emailVerified && " · unverified"}
                        </p>
                      </div>
                    </div>
                  </td>
                  <td className="px-4 py-3">
                    <select
                      aria-label={`Role of ${user.username}`}
                      className={cn(inputClasses, "w-auto py-1")}
                      value={user.role}
                      disabled={self || update.isPending}
                      onChange={(event) => update.mutate({ userId: user.id, role: event.target.value as TUserRole })}
                    >
                      {USER_ROLES.map((value) => (
                        <option key={value} value={value}>
                          {value === "admin" ? "Admin" : "User"}
                        </option>
                      ))}
                    </select>
                  </td>
                  <td className="px-4 py-3">
                    <Switch
                      aria-label={`Premium for ${user.username}`}
                      checked={user.isPremium}
                      disabled={update.isPending}
                      onCheckedChange={(checked) => update.mutate({ userId: user.id, isPremium: checked })}
                    />
                  </td>
                  <td className="px-4 py-3">
                    <Button
                      variant="ghost"
                      size="sm"
                      aria-label={`AI budget of ${user.username}: ${user.aiBudgetUsd === null ? "default" : formatUsd(user.aiBudgetUsd)}. Change`}
                      onClick={() => setBudgetOf({ id: user.id, username: user.username, budget: user.aiBudgetUsd })}
                    >
                      {user.aiBudgetUsd === null ? "Default" : `${formatUsd(user.aiBudgetUsd)}/mo`}
                    </Button>
                  </td>
                  <td className="px-4 py-3">
                    <span
                      className={cn(
                        "inline-flex rounded-full px-2 py-0.5 text-xs font-medium",
                        user.isActive
                          ? "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200"
                          : "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
                      )}
                    >
                      {user.isActive ? "Active" : "Inactive"}
                    </span>
                  </td>
                  <td className="px-4 py-3 text-zinc-600 dark:text-zinc-400" suppressHydrationWarning>
                    {user.lastLoginAt ? timeAgo(user.lastLoginAt) : "never"}
                  </td>
                  <td className="px-4 py-3 text-right">
                    {user.isActive ? (
                      <ConfirmDialog
                        title={`Deactivate ${user.fullName}?`}
                        description="They are signed out everywhere at once and cannot sign in until an admin activates the account again. Nothing of theirs is deleted."
                        confirmLabel="Deactivate"
                        onConfirm={() => update.mutate({ userId: user.id, isActive: false })}
                        trigger={
                          <Button variant="secondary" size="sm" disabled={self}>
                            Deactivate
                          </Button>
                        }
                      />
                    ) : (
                      <Button
                        variant="secondary"
                        size="sm"
                        onClick={() => update.mutate({ userId: user.id, isActive: true })}
                      >
                        Activate
                      </Button>
                    )}
                  </td>
                </tr>
              );
            })}
          </tbody>
        </table>
        {list.data && list.data.items.length === 0 && (
          <div className="flex flex-col items-center p-10 text-center">
            <Users className="size-8 text-zinc-400" aria-hidden />
            <p className="mt-3 font-medium">No users match</p>
            <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">Try another search or clear the filters.</p>
          </div>
        )}
      </div>

      {budgetOf && (
        <PromptDialog
          open
          onOpenChange={(open) => !open && setBudgetOf(null)}
          title={`AI budget of @${budgetOf.username}`}
          description="USD per calendar month (UTC). Leave it empty for the install default (normal or premium)."
          label="Monthly budget, USD"
          initialValue={budgetOf.budget ?? ""}
          confirmLabel="Save budget"
          onSubmit={async (value) => {
            const text = value.trim();
            const amount = text === "" ? null : Number(text);
            const parsed = ZBudgetUsd.nullable().safeParse(amount);
            if (!parsed.success) throw new Error(parsed.error.issues[0]?.message ?? "Enter an amount in dollars.");
            await setBudget.mutateAsync({ userId: budgetOf.id, budgetUsd: parsed.data });
            setBudgetOf(null);
          }}
        />
      )}

      <nav
        aria-label="User pages"
        className="flex items-center justify-between text-sm text-zinc-600 dark:text-zinc-400"
      >
        <span aria-live="polite">{total === 0 ? "No users" : `Showing ${first}–${last} of ${total}`}</span>
        <div className="flex gap-2">
          <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Previous
          </Button>
          <Button variant="secondary" size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Next
          </Button>
        </div>
      </nav>
    </div>
  );
}
