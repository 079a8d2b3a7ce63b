"use client";

import { useQuery } from "@tanstack/react-query";
import { Alert } from "~/components/ui/alert";
import { Card, CardHeader } from "~/components/ui/card";
import { formatCount, formatCountOf, formatUsd, utcInstantLabel } from "~/lib/charts/format";
import type { TAuditAction } from "~/lib/schemas/usage";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";

type Entry = RouterOutputs["admin"]["auditLog"][number];

function text(value: unknown): string | null {
  return typeof value === "string" ? value : null;
}

function totals(value: unknown): { costUsd: string; unpriced: number } | null {
  const record = value as { costUsd?: unknown; unpriced?: unknown } | null;
  return record && typeof record.costUsd === "string" && typeof record.unpriced === "number"
    ? { costUsd: record.costUsd, unpriced: record.unpriced }
    : null;
}

/** One audit row in words (the rows' JSON is written by this codebase, but read defensively: it outlives it). */
export function describeAudit(entry: Pick<Entry, "action" | "target" | "details">): string {
  const { target, details } = entry;
  if (entry.action === "price.create") {
    const from = text(details.effectiveFrom)?.slice(0, 10) ?? "?";
    return `Added a price for ${text(target.model) ?? "a model"} from ${from}${text(details.note) ? ` (${text(details.note)})` : ""}.`;
  }
  if (entry.action === "usage.reprice") {
    const before = totals(details.before);
    const after = totals(details.after);
    const scope = `${text(target.model) ?? "all models"}, ${text(target.from)} to ${text(target.to)}`;
    const changed = typeof details.changed === "number" ? formatCountOf(details.changed, "turn") : "? turns";
    const money =
      before && after
        ? ` Cost ${formatUsd(before.costUsd)} → ${formatUsd(after.costUsd)}; unpriced turns ${formatCount(before.unpriced)} → ${formatCount(after.unpriced)}.`
        : "";
    return `Re-priced ${scope}: ${changed} changed.${money}`;
  }
  if (entry.action === "budget.defaults") return "Changed the default AI budgets.";
  return "Changed a user's AI budget.";
}

/** The newest audit rows of some actions: who did what, when. */
export function AuditLog({ title, actions, limit = 10 }: { title: string; actions: TAuditAction[]; limit?: number }) {
  const trpc = useTRPC();
  const log = useQuery(trpc.admin.auditLog.queryOptions({ limit, actions }));
  return (
    <Card>
      <CardHeader title={title} description={`The last ${limit} entries of the audit log, newest first.`} />
      {log.isError && <Alert tone="error">The audit log could not be loaded: {log.error.message}</Alert>}
      {log.data?.length === 0 && <p className="text-sm text-zinc-600 dark:text-zinc-400">Nothing recorded yet.</p>}
      {log.data && log.data.length > 0 && (
        <ol className="divide-y divide-zinc-200 dark:divide-zinc-800" aria-label={title}>
          {log.data.map((entry) => (
            <li key={entry.id} className="py-2.5 text-sm" data-testid="audit-entry">
              <p>{describeAudit(entry)}</p>
              <p className="mt-0.5 text-xs text-zinc-500 dark:text-zinc-400">
                <time dateTime={entry.createdAt.toISOString()}>{utcInstantLabel(entry.createdAt)}</time> ·{" "}
                {entry.admin ? `@${entry.admin.username}` : "a deleted account"}
              </p>
            </li>
          ))}
        </ol>
      )}
    </Card>
  );
}
