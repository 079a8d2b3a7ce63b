"use client";

import { Check, Copy } from "lucide-react";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import {
  WEBHOOK_SIGNATURE_HEADER,
  WEBHOOK_TIMESTAMP_HEADER,
  WEBHOOK_EVENT_HEADER,
  WEBHOOK_TOLERANCE_SECONDS,
} from "~/lib/schemas/integration";

/** The integration's inbound URL (this page's origin + its path). */
export function webhookUrl(path: string): string {
  return typeof window === "undefined" ? path : new URL(path, window.location.origin).toString();
}

/** A value with a copy button. */
export function CopyValue({ value, label }: { value: string; label: string }) {
  const [copied, setCopied] = useState(false);
  return (
    <div className="flex items-center gap-2">
      <code className="min-w-0 flex-1 truncate rounded bg-zinc-100 px-2 py-1 text-xs dark:bg-zinc-800" title={value}>
        {value}
      </code>
      <Button
        type="button"
        variant="ghost"
        size="sm"
        aria-label={`Copy ${label}`}
        onClick={() =>
          void navigator.clipboard?.writeText(value).then(() => {
            setCopied(true);
            setTimeout(() => setCopied(false), 1500);
          })
        }
      >
        {copied ? <Check className="size-4" aria-hidden /> : <Copy className="size-4" aria-hidden />}
      </Button>
    </div>
  );
}

/** How a sender signs a delivery to this integration (the same text as README, "Webhooks"). */
export function WebhookInstructions({ path }: { path: string }) {
  const url = webhookUrl(path);
  const example = [
    `BODY='{"event":"deploy.finished"}'`,
    `TS=$(date +%s)`,
    `SIG=$(printf '%s' "$TS.$BODY" | openssl dgst -sha256 -hmac "$WEBHOOK_SECRET" -hex | sed 's/^.* //')`,
    `curl -X POST '${url}' \\`,
    `  -H "${WEBHOOK_TIMESTAMP_HEADER}: $TS" \\`,
    `  -H "${WEBHOOK_SIGNATURE_HEADER}: sha256=$SIG" \\`,
    `  -H 'Content-Type: application/json' --data "$BODY"`,
  ].join("\n");
  return (
    <div className="space-y-2 text-sm" data-testid="webhook-instructions">
      <CopyValue value={url} label="webhook URL" />
      <p className="text-zinc-600 dark:text-zinc-400">
        POST to this URL. Send <code>{WEBHOOK_TIMESTAMP_HEADER}</code> (Unix seconds) and{" "}
        <code>{WEBHOOK_SIGNATURE_HEADER}: sha256=&lt;hex&gt;</code>, the HMAC-SHA256 of{" "}
        <code>&lt;timestamp&gt;.&lt;body&gt;</code> with the webhook secret. Deliveries more than{" "}
        {WEBHOOK_TOLERANCE_SECONDS / 60} minutes old, or sent twice, are refused; bodies are limited to 1 MiB. An
        optional <code>{WEBHOOK_EVENT_HEADER}</code> names the event in the activity log.
      </p>
      <pre className="overflow-x-auto rounded bg-zinc-100 p-2 text-xs dark:bg-zinc-800">{example}</pre>
    </div>
  );
}
