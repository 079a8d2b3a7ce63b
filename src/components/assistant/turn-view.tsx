"use client";

import { Check, Loader2, X } from "lucide-react";
import { lazy, Suspense } from "react";
import { Alert } from "~/components/ui/alert";
import { foldToolCalls, formatDuration, formatTokens, formatUsd } from "~/lib/assistant-format";
import { TurnFiles } from "./turn-files";
import type { Turn } from "./types";

// The renderer (remark, micromark, GFM) is its own chunk: the panel shows plain text until it has arrived.
const Markdown = lazy(() => import("./markdown"));

function PlainText({ text }: { text: string }) {
  return <p className="text-sm leading-relaxed break-words whitespace-pre-wrap">{text}</p>;
}

function TurnMeta({ turn }: { turn: Turn }) {
  const { tokens } = turn;
  const breakdown = [
    `input ${tokens.input.toLocaleString("en-US")}`,
    `output ${tokens.output.toLocaleString("en-US")}`,
    `cache read ${tokens.cacheRead.toLocaleString("en-US")}`,
    `cache write 5 min ${tokens.cacheWrite5m.toLocaleString("en-US")}`,
    `cache write 1 h ${tokens.cacheWrite1h.toLocaleString("en-US")}`,
  ].join(", ");
  return (
    <p className="flex flex-wrap gap-x-2 text-xs text-zinc-500" data-testid="turn-meta">
      <span>{turn.model}</span>
      <span aria-hidden>·</span>
      <span title={breakdown}>
        {formatTokens(tokens.total)} tokens<span className="sr-only"> ({breakdown})</span>
      </span>
      <span aria-hidden>·</span>
      <span data-testid="turn-cost" title={turn.costUsd === null ? "This model has no price yet" : "Cost of this turn"}>
        {formatUsd(turn.costUsd)}
      </span>
      {turn.executionTimeMs !== null && (
        <>
          <span aria-hidden>·</span>
          <span>{formatDuration(turn.executionTimeMs)}</span>
        </>
      )}
    </p>
  );
}

/** One turn: the user's prompt, what Claude did (tools as they happen), its answer, the files it changed, its cost. */
export function TurnView({ turn, onFilesChanged }: { turn: Turn; onFilesChanged(): Promise<void> }) {
  const running = turn.status === "running";
  const calls = foldToolCalls(turn.toolCalls);
  return (
    <article
      className="space-y-2"
      data-testid="assistant-turn"
      data-status={turn.status}
      aria-label={`Turn: ${turn.userMessage.slice(0, 80)}`}
      aria-busy={running || undefined}
    >
      <div className="ml-6 rounded-lg bg-brand-50 px-3 py-2 text-sm break-words whitespace-pre-wrap text-zinc-900 dark:bg-brand-700/20 dark:text-zinc-100">
        <span className="sr-only">You: </span>
        {turn.userMessage}
      </div>
      {calls.length > 0 && (
        <ul aria-label="What Claude did" className="space-y-0.5 text-xs" data-testid="tool-calls">
          {calls.map((call, index) => (
            <li
              key={index}
              className="flex items-center gap-1.5 font-mono text-zinc-600 dark:text-zinc-400"
              data-testid="tool-call"
            >
              {call.ok ? (
                <Check className="size-3.5 shrink-0 text-emerald-600 dark:text-emerald-400" aria-label="done" />
              ) : (
                <X className="size-3.5 shrink-0 text-red-600 dark:text-red-400" aria-label="failed" />
              )}
              <span className="min-w-0 truncate" title={call.summary}>
                {call.summary}
              </span>
              {call.times > 1 && <span className="text-zinc-400">×{call.times}</span>}
            </li>
          ))}
        </ul>
      )}
      {turn.response ? (
        <div className="text-zinc-900 dark:text-zinc-100" data-testid="turn-response">
          <Suspense fallback={<PlainText text={turn.response} />}>
            <Markdown text={turn.response} />
          </Suspense>
        </div>
      ) : null}
      {running && (
        <p className="flex items-center gap-2 text-xs text-zinc-500">
          <Loader2 className="size-3.5 animate-spin" aria-hidden />
          {turn.toolCalls.length > 0 ? "Working…" : "Thinking…"}
        </p>
      )}
      {turn.status === "failed" && (
        <Alert tone="error">
          {turn.errorMessage ?? "The turn failed."} Nothing it was doing was written to your files.
        </Alert>
      )}
      {turn.status === "cancelled" && (
        <p className="text-xs text-zinc-500">Cancelled. Nothing it was doing was written to your files.</p>
      )}
      {turn.capHit && (
        <Alert tone="warning">
          Claude stopped after the most model calls one turn may make. Its work so far is above; send another message to
          let it go on.
        </Alert>
      )}
      {(turn.changedFiles.length > 0 || turn.pending.length > 0) && !running && (
        <TurnFiles turn={turn} onFilesChanged={onFilesChanged} />
      )}
      {!running && <TurnMeta turn={turn} />}
    </article>
  );
}
