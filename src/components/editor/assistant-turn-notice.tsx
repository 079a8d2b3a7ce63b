"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, Sparkles, X } from "lucide-react";
import { useSearchParams } from "next/navigation";
import { useEffect, useRef, useState } from "react";
import { cn } from "~/lib/cn";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { useIdeActions } from "./ide-provider";

type Turn = RouterOutputs["assistant"]["messages"]["turns"][number];

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const SHOWN_PATHS = 4;

function parse<T>(event: Event): T | null {
  try {
    return JSON.parse((event as MessageEvent<string>).data) as T;
  } catch {
    return null;
  }
}

function outcome(turn: Turn): string {
  if (turn.status === "failed") return turn.errorMessage ?? "Claude's turn failed; no file was changed.";
  if (turn.status === "cancelled") return "Claude's turn was cancelled; no file was changed.";
  const created = turn.changedFiles.filter((file) => file.action === "created").map((file) => file.path);
  const others = turn.changedFiles.length - created.length;
  if (turn.changedFiles.length === 0) return "Claude answered without changing any file.";
  const paths = created.length > 0 ? created : turn.changedFiles.map((file) => file.path);
  const listed = paths.slice(0, SHOWN_PATHS).join(", ") + (paths.length > SHOWN_PATHS ? ", …" : "");
  if (created.length === 0) return `Claude changed ${others} file${others === 1 ? "" : "s"}: ${listed}.`;
  const more = others > 0 ? `, and changed ${others} more` : "";
  return `Claude created ${created.length} file${created.length === 1 ? "" : "s"} (${listed})${more}.`;
}

/**
 * The IDE opened on `?assistant=<conversationId>` (where the new-project dialog lands after "Describe it"):
 * follows the conversation's latest turn while it runs (its server-sent events), says what it did, and brings the
 * file tree and open tabs up to date when it ends, so the files Claude wrote appear without a reload.
 * The assistant panel is meant to open on the same parameter (docs/architecture.md); this notice is the short
 * account of the turn in the workbench itself.
 */
export function AssistantTurnNotice() {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId, refresh } = useIdeActions();
  const param = useSearchParams().get("assistant");
  const conversationId = param && UUID.test(param) ? param : null;
  const messages = useQuery({
    ...trpc.assistant.messages.queryOptions({ projectId, conversationId: conversationId ?? "" }),
    enabled: conversationId !== null,
    retry: false,
  });
  const latest = messages.data?.turns.at(-1) ?? null;
  const [ended, setEnded] = useState<Turn | null>(null);
  const [toolCalls, setToolCalls] = useState(0);
  const [dismissed, setDismissed] = useState(false);
  const turn = ended && ended.interactionId === latest?.interactionId ? ended : latest;
  const running = turn?.status === "running";
  const runningId = running ? turn.interactionId : null;

  useEffect(() => {
    if (!runningId) return;
    const source = new EventSource(`/api/assistant/turns/${encodeURIComponent(runningId)}/events`);
    source.addEventListener("snapshot", (event) => {
      const data = parse<{ turn: Turn }>(event);
      if (data) setToolCalls(data.turn.toolCalls.length);
    });
    source.addEventListener("tool", () => setToolCalls((count) => count + 1));
    source.addEventListener("done", (event) => {
      source.close();
      const data = parse<{ turn: Turn }>(event);
      if (data) setEnded(data.turn);
    });
    return () => source.close();
  }, [runningId]);

  // Once per ended turn that changed files: the tree and the open tabs catch up (the page may have loaded them
  // before the turn's files were saved).
  const refreshedFor = useRef<string | null>(null);
  useEffect(() => {
    if (!turn || turn.status === "running" || refreshedFor.current === turn.interactionId) return;
    refreshedFor.current = turn.interactionId;
    void queryClient.invalidateQueries({ queryKey: trpc.assistant.pathKey() });
    if (turn.changedFiles.length > 0) void refresh();
  }, [queryClient, refresh, trpc, turn]);

  if (!turn || dismissed) return null;
  const failed = turn.status === "failed" || turn.status === "cancelled";
  return (
    <div
      role="status"
      data-testid="assistant-turn-notice"
      className={cn(
        "flex shrink-0 items-center gap-2 border-b px-3 py-1.5 text-xs",
        failed
          ? "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950/50 dark:text-red-200"
          : "border-brand-100 bg-brand-50 text-brand-700 dark:border-brand-700/40 dark:bg-brand-700/15 dark:text-brand-100",
      )}
    >
      {running ? (
        <Loader2 className="size-3.5 shrink-0 animate-spin" aria-hidden />
      ) : (
        !failed && <Sparkles className="size-3.5 shrink-0" aria-hidden />
      )}
      <span className="min-w-0 truncate" title={running ? undefined : outcome(turn)}>
        {running
          ? `Claude is working on “${messages.data?.conversation.title ?? ""}”${toolCalls > 0 ? ` (${toolCalls} tool call${toolCalls === 1 ? "" : "s"} so far)` : ""}…`
          : outcome(turn)}
      </span>
      {!running && (
        <button
          type="button"
          onClick={() => setDismissed(true)}
          className="ml-auto rounded p-0.5 hover:bg-black/5 dark:hover:bg-white/10"
          aria-label="Dismiss"
        >
          <X className="size-3.5" aria-hidden />
        </button>
      )}
    </div>
  );
}
