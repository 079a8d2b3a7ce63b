"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Pencil, Plug, Plus, Trash2, Zap } from "lucide-react";
import { useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { cn } from "~/lib/cn";
import { timeAgo } from "~/lib/format";
import { INTEGRATION_TYPE_LABELS } from "~/lib/schemas/integration";
import { useTRPC } from "~/trpc/react";
import { IntegrationDialog, type Integration } from "./integration-dialog";
import { WebhookInstructions } from "./webhook-instructions";

function Badge({ tone, children }: { tone: "ok" | "bad" | "muted"; children: string }) {
  return (
    <span
      className={cn(
        "rounded-full px-2 py-0.5 text-xs font-medium",
        tone === "ok" && "bg-emerald-100 text-emerald-800 dark:bg-emerald-900/40 dark:text-emerald-200",
        tone === "bad" && "bg-red-100 text-red-800 dark:bg-red-900/40 dark:text-red-200",
        tone === "muted" && "bg-zinc-200 text-zinc-700 dark:bg-zinc-800 dark:text-zinc-300",
      )}
    >
      {children}
    </span>
  );
}

/**
 * A project's integrations: status, the last test's result, request and error counts, and the actions (test, edit,
 * delete, add). Self-contained (its own queries), so the project dashboard can embed it as it is; `compact` leaves
 * out the webhook signing instructions.
 */
export function IntegrationList({ projectId, compact = false }: { projectId: string; compact?: boolean }) {
  const trpc = useTRPC();
  const list = useQuery(trpc.integration.list.queryOptions({ projectId }));
  return (
    <section aria-label="Integrations" className="space-y-4" data-testid="integration-list">
      <div className="flex items-center justify-between gap-2">
        <h2 className="flex items-center gap-2 text-base font-semibold">
          <Plug className="size-4" aria-hidden /> Integrations
        </h2>
        <IntegrationDialog
          projectId={projectId}
          trigger={
            <Button size="sm">
              <Plus className="size-4" aria-hidden /> Add integration
            </Button>
          }
        />
      </div>
      {list.error && <Alert tone="error">{list.error.message}</Alert>}
      {list.data?.length === 0 && (
        <p className="rounded-xl border border-dashed border-zinc-300 p-6 text-center text-sm text-zinc-600 dark:border-zinc-700 dark:text-zinc-400">
          No integrations yet. Add a webhook, Slack, GitHub or custom HTTP endpoint.
        </p>
      )}
      <ul className="space-y-3">
        {list.data?.map((integration) => (
          <IntegrationRow key={integration.id} projectId={projectId} integration={integration} compact={compact} />
        ))}
      </ul>
    </section>
  );
}

function IntegrationRow({
  projectId,
  integration,
  compact,
}: {
  projectId: string;
  integration: Integration;
  compact: boolean;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const invalidate = () => queryClient.invalidateQueries({ queryKey: trpc.integration.list.queryKey({ projectId }) });
  const test = useMutation(trpc.integration.test.mutationOptions({ onSettled: invalidate }));
  const remove = useMutation(trpc.integration.delete.mutationOptions({ onSuccess: invalidate }));
  const [confirming, setConfirming] = useState(false);
  const last = integration.lastTestResult;
  const error = test.error?.message ?? remove.error?.message;
  return (
    <li
      className="rounded-xl border border-zinc-200 p-4 dark:border-zinc-800"
      data-testid="integration-row"
      data-integration-id={integration.id}
    >
      <div className="flex flex-wrap items-center gap-2">
        <h3 className="font-medium">{integration.serviceName}</h3>
        <span className="text-xs text-zinc-500">
          {INTEGRATION_TYPE_LABELS[integration.serviceType] ?? integration.serviceType}
        </span>
        <Badge tone={integration.isActive ? "ok" : "muted"}>{integration.isActive ? "Enabled" : "Disabled"}</Badge>
        {!integration.isConfigured && <Badge tone="muted">Not configured</Badge>}
        <div className="ml-auto flex gap-1">
          <Button
            variant="ghost"
            size="sm"
            pending={test.isPending}
            disabled={!integration.configuration.endpointUrl}
            title={integration.configuration.endpointUrl ? "Call the endpoint once" : "Set an endpoint URL first"}
            onClick={() => test.mutate({ projectId, integrationId: integration.id })}
          >
            <Zap className="size-4" aria-hidden /> Test
          </Button>
          <IntegrationDialog
            projectId={projectId}
            integration={integration}
            trigger={
              <Button variant="ghost" size="sm">
                <Pencil className="size-4" aria-hidden /> Edit
              </Button>
            }
          />
          <Button variant="ghost" size="sm" onClick={() => setConfirming(true)}>
            <Trash2 className="size-4" aria-hidden /> Delete
          </Button>
        </div>
      </div>
      <dl
        className="mt-2 grid grid-cols-2 gap-x-4 gap-y-1 text-xs text-zinc-600 sm:grid-cols-4 dark:text-zinc-400"
        suppressHydrationWarning
      >
        <div>
          <dt className="inline">API key: </dt>
          <dd className="inline font-mono" data-testid="api-key-mask">
            {integration.apiKey ?? "not set"}
          </dd>
        </div>
        <div>
          <dt className="inline">Webhook secret: </dt>
          <dd className="inline font-mono">{integration.webhookSecret ?? "not set"}</dd>
        </div>
        <div>
          <dt className="inline">Requests: </dt>
          <dd className="inline" data-testid="request-count">
            {integration.requestCount}
            {integration.lastRequestAt && ` (last ${timeAgo(new Date(integration.lastRequestAt))})`}
          </dd>
        </div>
        <div>
          <dt className="inline">Errors: </dt>
          <dd className="inline">
            {integration.errorCount}
            {integration.lastErrorAt && ` (last ${timeAgo(new Date(integration.lastErrorAt))})`}
          </dd>
        </div>
      </dl>
      {integration.configuration.endpointUrl && (
        <p className="mt-1 truncate text-xs text-zinc-500">
          {integration.configuration.method} {integration.configuration.endpointUrl}
        </p>
      )}
      <p className="mt-2 text-sm" data-testid="last-test" suppressHydrationWarning>
        {last && integration.lastTestedAt ? (
          <>
            <Badge tone={last.ok ? "ok" : "bad"}>{last.ok ? "Test passed" : "Test failed"}</Badge>{" "}
            <span className="text-zinc-600 dark:text-zinc-400">
              {last.status !== null && `HTTP ${last.status} · `}
              {last.durationMs} ms · {timeAgo(new Date(integration.lastTestedAt))}
              {/* With a status, the status says it; without one (refused, timed out), the error does. */}
              {last.status === null && last.error && ` · ${last.error}`}
            </span>
          </>
        ) : (
          <span className="text-zinc-500">Never tested.</span>
        )}
      </p>
      {error && (
        <Alert tone="error" className="mt-2">
          {error}
        </Alert>
      )}
      {!compact && integration.webhookSecret && (
        <details className="mt-3">
          <summary className="cursor-pointer text-sm text-brand-700 dark:text-brand-100">
            Incoming webhook URL and signing
          </summary>
          <div className="mt-2">
            <WebhookInstructions path={integration.webhookPath} />
          </div>
        </details>
      )}
      <ConfirmDialog
        open={confirming}
        onOpenChange={setConfirming}
        title={`Delete ${integration.serviceName}?`}
        description="Its key and secret are deleted, and its webhook URL stops accepting deliveries. Activity already logged stays."
        confirmLabel="Delete integration"
        onConfirm={() => remove.mutate({ projectId, integrationId: integration.id })}
      />
    </li>
  );
}
