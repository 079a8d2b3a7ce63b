"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Loader2, Send, Sparkles, Square } from "lucide-react";
import { useCallback, useEffect, useLayoutEffect, useRef, useState, type ReactNode } from "react";
import { useIdeActions } from "~/components/editor/ide-provider";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { changeSummary } from "~/lib/assistant-format";
import { timeAgo } from "~/lib/format";
import type { RouterOutputs } from "~/server/api/root";
import { useTRPC } from "~/trpc/react";
import { TurnView } from "./turn-view";
import type { Budget, ConversationSummary, Messages, Turn } from "./types";
import { useTurnStream } from "./use-turn-stream";

type Models = RouterOutputs["assistant"]["models"];

/** The longest prompt `assistant.send` takes. */
const MAX_PROMPT = 20_000;

const EXAMPLES = [
  "Explain what this project does, file by file.",
  "Add a dark mode toggle to the home page.",
  "Find and fix the bug that makes the tests fail.",
];

/** A turn as the panel shows it between "sent" and the stream's first snapshot. */
function sentTurn(interactionId: string, message: string, model: string): Turn {
  return {
    interactionId,
    userMessage: message,
    response: "",
    status: "running",
    errorMessage: null,
    stopReason: null,
    model,
    createdAt: new Date().toISOString(),
    completedAt: null,
    executionTimeMs: null,
    tokens: { input: 0, output: 0, cacheRead: 0, cacheWrite5m: 0, cacheWrite1h: 0, total: 0 },
    costUsd: null,
    toolCalls: [],
    changedFiles: [],
    reviewState: null,
    pending: [],
    undoneAt: null,
    capHit: false,
  };
}

/** What a screen reader hears as a turn goes: its steps, not every word of the answer. */
function streamStatus(turn: Turn | undefined): string {
  if (!turn) return "";
  if (turn.status === "running") {
    const last = turn.toolCalls.at(-1);
    return last ? `Claude is working: ${last.summary}` : "Claude is answering…";
  }
  if (turn.status === "failed") return `The turn failed: ${turn.errorMessage ?? "no reason given"}`;
  if (turn.status === "cancelled") return "The turn was cancelled.";
  const summary = changeSummary(turn.changedFiles);
  return `Claude answered${summary ? `, ${summary}` : ""}.`;
}

/**
 * One conversation: its turns (the running one followed live), and the prompt to send the next. With no
 * conversation yet (`conversationId` null) the first prompt starts one.
 */
export function ConversationView({
  conversationId,
  models,
  budget,
  recent,
  focusRequest,
  onOpen,
  notConfigured,
}: {
  conversationId: string | null;
  models: Models;
  budget: Budget;
  recent: ConversationSummary[];
  focusRequest: number;
  onOpen(id: string | null): void;
  /** Shown instead of the prompt when the server has no key. */
  notConfigured: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const { projectId, refresh } = useIdeActions();
  const [message, setMessage] = useState("");
  const [chosenModel, setChosenModel] = useState<string | null>(null);
  const textareaRef = useRef<HTMLTextAreaElement>(null);
  const scrollRef = useRef<HTMLDivElement>(null);
  const stickToBottom = useRef(true);

  const messagesKey = (id: string) => trpc.assistant.messages.queryKey({ projectId, conversationId: id });
  const messages = useQuery({
    ...trpc.assistant.messages.queryOptions({ projectId, conversationId: conversationId ?? "" }),
    enabled: Boolean(conversationId),
  });
  const turns = messages.data?.turns ?? [];
  const running = turns.findLast((turn) => turn.status === "running");

  /** The IDE catches up with files a turn (its review, its undo) changed, as after any other file mutation. */
  const afterFilesChanged = useCallback(async () => {
    await Promise.all([refresh(), queryClient.invalidateQueries({ queryKey: trpc.assistant.pathKey() })]);
  }, [queryClient, refresh, trpc]);

  // A turn that ended before this view could follow it (the IDE opened on `?assistant=` while Claude was still
  // writing a new project's files, or a reload at the wrong moment) may have changed files the tree loaded before:
  // the first time the view sees the conversation, a latest turn that changed files brings the IDE up to date.
  const caughtUp = useRef<string | null>(null);
  const latestLoaded = messages.data?.turns.at(-1);
  useEffect(() => {
    if (!conversationId || !messages.data || caughtUp.current === conversationId) return;
    caughtUp.current = conversationId;
    if (latestLoaded && latestLoaded.status !== "running" && latestLoaded.changedFiles.length > 0) void refresh();
  }, [conversationId, latestLoaded, messages.data, refresh]);

  const stream = useTurnStream(running?.interactionId ?? null, (done) => {
    if (conversationId) {
      queryClient.setQueryData<Messages>(messagesKey(conversationId), (data) =>
        data
          ? { ...data, turns: data.turns.map((turn) => (turn.interactionId === done.interactionId ? done : turn)) }
          : data,
      );
    }
    if (done.changedFiles.length > 0) void afterFilesChanged();
    else void queryClient.invalidateQueries({ queryKey: trpc.assistant.pathKey() });
  });
  const shown = turns.map((turn) =>
    stream.turn && turn.interactionId === stream.turn.interactionId ? stream.turn : turn,
  );
  const latest = shown.at(-1);

  const send = useMutation(trpc.assistant.send.mutationOptions());
  const cancel = useMutation(trpc.assistant.cancel.mutationOptions());

  const modelIds = models.models.map((model) => model.id);
  const conversationModel = messages.data?.conversation.model;
  const model =
    chosenModel ??
    (conversationModel && modelIds.includes(conversationModel) ? conversationModel : models.defaultModel) ??
    modelIds[0] ??
    "";
  const refused = budget.level === "exceeded";
  const canSend = models.configured && !refused && !running && !send.isPending && message.trim().length > 0;

  async function submit() {
    if (!canSend) return;
    const text = message.trim();
    const result = await send.mutateAsync({
      projectId,
      conversationId: conversationId ?? undefined,
      message: text,
      model,
    });
    queryClient.setQueryData<Messages>(messagesKey(result.conversationId), (data) => ({
      conversation: data?.conversation ?? { id: result.conversationId, title: text.slice(0, 80), model },
      turns: [...(data?.turns ?? []), sentTurn(result.interactionId, text, model)],
    }));
    setMessage("");
    stickToBottom.current = true;
    void queryClient.invalidateQueries({ queryKey: trpc.assistant.conversations.queryKey({ projectId }) });
    if (result.conversationId !== conversationId) onOpen(result.conversationId);
  }

  // The prompt takes the focus when the user opens the panel (not when a reload brings it back).
  useEffect(() => {
    if (focusRequest > 0) textareaRef.current?.focus();
  }, [focusRequest]);

  // Follow the answer as it grows, unless the user scrolled up to read something.
  const growth = `${shown.length}:${latest?.response.length ?? 0}:${latest?.toolCalls.length ?? 0}:${latest?.status}`;
  useLayoutEffect(() => {
    const element = scrollRef.current;
    if (element && stickToBottom.current) element.scrollTop = element.scrollHeight;
  }, [growth]);

  return (
    <div className="flex min-h-0 flex-1 flex-col">
      <div
        ref={scrollRef}
        className="min-h-0 flex-1 overflow-auto px-3 py-3"
        onScroll={(event) => {
          const element = event.currentTarget;
          stickToBottom.current = element.scrollHeight - element.scrollTop - element.clientHeight < 40;
        }}
      >
        {conversationId && messages.isError ? (
          <Alert tone="error">This conversation could not be loaded: {messages.error.message}</Alert>
        ) : conversationId && !messages.data ? (
          <p className="flex items-center gap-2 text-sm text-zinc-500" role="status">
            <Loader2 className="size-4 animate-spin" aria-hidden /> Loading the conversation…
          </p>
        ) : shown.length === 0 ? (
          (notConfigured ?? (
            <div className="space-y-4 text-sm text-zinc-600 dark:text-zinc-400">
              <div className="flex items-start gap-2">
                <Sparkles className="mt-0.5 size-4 shrink-0 text-brand-600" aria-hidden />
                <p>
                  Ask Claude to explain or change this project. It reads and edits the files; every change it makes is
                  listed with its diff, and you can undo a whole turn.
                </p>
              </div>
              <ul className="space-y-1" aria-label="Examples">
                {EXAMPLES.map((example) => (
                  <li key={example}>
                    <button
                      type="button"
                      className="w-full rounded-md border border-zinc-200 px-3 py-1.5 text-left hover:bg-zinc-50 dark:border-zinc-800 dark:hover:bg-zinc-900"
                      onClick={() => {
                        setMessage(example);
                        textareaRef.current?.focus();
                      }}
                    >
                      {example}
                    </button>
                  </li>
                ))}
              </ul>
              {recent.length > 0 && (
                <div>
                  <h3 className="mb-1 text-xs font-semibold uppercase tracking-wide text-zinc-500">Recent</h3>
                  <ul>
                    {recent.slice(0, 3).map((conversation) => (
                      <li key={conversation.id}>
                        <button
                          type="button"
                          className="w-full truncate py-1 text-left text-brand-700 hover:underline dark:text-brand-300"
                          onClick={() => onOpen(conversation.id)}
                        >
                          {conversation.title}{" "}
                          <span className="text-xs text-zinc-500">{timeAgo(new Date(conversation.updatedAt))}</span>
                        </button>
                      </li>
                    ))}
                  </ul>
                </div>
              )}
            </div>
          ))
        ) : (
          <div className="space-y-5" data-testid="assistant-turns">
            {shown.map((turn) => (
              <TurnView key={turn.interactionId} turn={turn} onFilesChanged={afterFilesChanged} />
            ))}
            {stream.error && <Alert tone="error">{stream.error}</Alert>}
          </div>
        )}
      </div>
      <p className="sr-only" aria-live="polite" data-testid="assistant-status">
        {streamStatus(latest)}
      </p>
      {notConfigured && shown.length > 0 ? (
        <div className="border-t border-zinc-200 dark:border-zinc-800">{notConfigured}</div>
      ) : notConfigured ? null : (
        <form
          className="shrink-0 space-y-2 border-t border-zinc-200 p-2 dark:border-zinc-800"
          aria-label="Ask Claude"
          onSubmit={(event) => {
            event.preventDefault();
            void submit().catch(() => {});
          }}
        >
          {send.isError && <Alert tone="error">{send.error.message}</Alert>}
          {cancel.isError && <Alert tone="error">Could not cancel: {cancel.error.message}</Alert>}
          <label htmlFor="assistant-prompt" className="sr-only">
            Message to Claude
          </label>
          <textarea
            id="assistant-prompt"
            ref={textareaRef}
            value={message}
            maxLength={MAX_PROMPT}
            rows={3}
            disabled={refused}
            placeholder={
              refused
                ? "The AI budget is used up for this month."
                : "Ask Claude… (Enter to send, Shift+Enter for a new line)"
            }
            onChange={(event) => setMessage(event.target.value)}
            onKeyDown={(event) => {
              if (event.key === "Enter" && !event.shiftKey && !event.nativeEvent.isComposing) {
                event.preventDefault();
                void submit().catch(() => {});
              }
            }}
            className="block max-h-60 min-h-16 w-full resize-y rounded-md border border-zinc-300 bg-white px-2 py-1.5 text-sm outline-none focus:border-brand-500 focus:ring-1 focus:ring-brand-500 disabled:opacity-60 dark:border-zinc-700 dark:bg-zinc-900"
          />
          <div className="flex items-center gap-2">
            <label htmlFor="assistant-model" className="sr-only">
              Model
            </label>
            <select
              id="assistant-model"
              value={model}
              onChange={(event) => setChosenModel(event.target.value)}
              className="h-8 min-w-0 flex-1 truncate rounded-md border border-zinc-300 bg-white px-2 text-xs dark:border-zinc-700 dark:bg-zinc-900"
            >
              {models.models.map((option) => (
                <option key={option.id} value={option.id}>
                  {option.label}
                </option>
              ))}
            </select>
            {message.length > MAX_PROMPT - 2000 && (
              <span className="shrink-0 text-xs text-zinc-500">
                {message.length}/{MAX_PROMPT}
              </span>
            )}
            {running ? (
              <Button
                type="button"
                size="sm"
                variant="secondary"
                pending={cancel.isPending}
                onClick={() => cancel.mutate({ projectId, interactionId: running.interactionId })}
              >
                <Square className="size-3.5" aria-hidden /> Cancel
              </Button>
            ) : (
              <Button type="submit" size="sm" disabled={!canSend} pending={send.isPending}>
                <Send className="size-3.5" aria-hidden /> Send
              </Button>
            )}
          </div>
        </form>
      )}
    </div>
  );
}
