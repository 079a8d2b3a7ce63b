"use client";

import { useQuery } from "@tanstack/react-query";
import { ChevronLeft, Loader2, MessagesSquare, Plus, X } from "lucide-react";
import { useState } from "react";
import { useAssistantUi, useIdeActions } from "~/components/editor/ide-provider";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { formatCostSum } from "~/lib/assistant-format";
import { timeAgo } from "~/lib/format";
import { cn } from "~/lib/cn";
import { useTRPC } from "~/trpc/react";
import { ConversationView } from "./conversation-view";
import type { Budget, ConversationSummary } from "./types";

/** A conversation's cost as the list shows it: priced turns summed, unpriced ones named (never "$0"). */
export function conversationCost(conversation: ConversationSummary): string {
  const finished = conversation.turns - (conversation.running ? 1 : 0);
  return formatCostSum(conversation.costUsd, finished - conversation.unpricedTurns, conversation.unpricedTurns);
}

/** What the server needs to offer Claude, for whoever runs it; nothing else in the IDE depends on it. */
function NoKey() {
  return (
    <div className="space-y-3 p-4 text-sm text-zinc-700 dark:text-zinc-300" data-testid="assistant-no-key">
      <p className="font-medium text-zinc-900 dark:text-zinc-100">Claude is not set up on this server yet.</p>
      <p>
        Whoever runs Vaporform gives it an Anthropic API key in the server&apos;s environment (or its{" "}
        <code className="font-mono">.env</code> file) and restarts it:
      </p>
      <pre className="overflow-x-auto rounded-md bg-zinc-100 p-3 font-mono text-xs dark:bg-zinc-900">
        {
          "ANTHROPIC_API_KEY=sk-ant-…\n# optional: the models offered, the first is the default\nANTHROPIC_MODELS=claude-sonnet-5-5,claude-haiku-5-5"
        }
      </pre>
      <p className="text-zinc-500">Everything else in the IDE works without it.</p>
    </div>
  );
}

function BudgetNotice({ budget }: { budget: Budget }) {
  if (budget.level === "ok" || !budget.message) return null;
  return (
    <div className="border-b border-zinc-200 p-2 dark:border-zinc-800" data-testid="assistant-budget">
      <Alert tone={budget.level === "exceeded" ? "error" : "warning"}>{budget.message}</Alert>
    </div>
  );
}

function ConversationList({
  conversations,
  current,
  onOpen,
  onNew,
}: {
  conversations: ConversationSummary[];
  current: string | null;
  onOpen(id: string): void;
  onNew(): void;
}) {
  if (conversations.length === 0) {
    return (
      <div className="flex flex-col items-center gap-3 p-8 text-center text-sm text-zinc-500">
        <MessagesSquare className="size-8 text-zinc-400" aria-hidden />
        <p>No conversations in this project yet.</p>
        <Button size="sm" onClick={onNew}>
          <Plus className="size-4" aria-hidden /> New conversation
        </Button>
      </div>
    );
  }
  return (
    <ul aria-label="Conversations" className="min-h-0 flex-1 overflow-auto py-1" data-testid="conversation-list">
      {conversations.map((conversation) => (
        <li key={conversation.id}>
          <button
            type="button"
            onClick={() => onOpen(conversation.id)}
            aria-current={conversation.id === current ? "true" : undefined}
            className={cn(
              "flex w-full flex-col gap-0.5 px-3 py-2 text-left hover:bg-zinc-100 focus-visible:bg-zinc-100 focus-visible:outline-none dark:hover:bg-zinc-800/60 dark:focus-visible:bg-zinc-800/60",
              conversation.id === current && "bg-brand-50 dark:bg-brand-700/15",
            )}
          >
            <span className="flex items-center gap-2 text-sm">
              <span className="min-w-0 flex-1 truncate font-medium" title={conversation.title}>
                {conversation.title}
              </span>
              {conversation.running && (
                <Loader2 className="size-3.5 shrink-0 animate-spin text-brand-600" aria-label="running" />
              )}
            </span>
            <span className="text-xs text-zinc-500" data-testid="conversation-meta">
              {timeAgo(new Date(conversation.updatedAt))} · {conversation.turns} turn
              {conversation.turns === 1 ? "" : "s"} · {conversationCost(conversation)}
            </span>
          </button>
        </li>
      ))}
    </ul>
  );
}

/**
 * The assistant panel: the project's conversations with Claude, one open at a time. Loaded lazily (see lazy.tsx);
 * reads only the stable actions and its own small context, so typing and saving elsewhere never re-render it.
 */
export default function AssistantPanel() {
  const trpc = useTRPC();
  const { projectId, toggleAssistant, selectConversation } = useIdeActions();
  const { conversationId, focusRequest } = useAssistantUi();
  const [view, setView] = useState<"chat" | "list">("chat");
  const models = useQuery(trpc.assistant.models.queryOptions({ projectId }));
  const conversations = useQuery(trpc.assistant.conversations.queryOptions({ projectId }));
  const list = conversations.data?.conversations ?? [];
  const current = list.find((conversation) => conversation.id === conversationId);

  const openConversation = (id: string | null) => {
    selectConversation(id);
    setView("chat");
  };

  const title =
    view === "list" ? "Conversations" : conversationId ? (current?.title ?? "Conversation") : "New conversation";
  return (
    <div className="flex h-full flex-col bg-white dark:bg-zinc-950" data-testid="assistant-panel">
      <div className="flex h-10 shrink-0 items-center gap-1 border-b border-zinc-200 px-2 dark:border-zinc-800">
        {view === "chat" ? (
          <Button
            variant="ghost"
            size="sm"
            className="px-2"
            onClick={() => setView("list")}
            aria-label="All conversations"
            title="All conversations"
          >
            <ChevronLeft className="size-4" aria-hidden />
          </Button>
        ) : null}
        <h2 className="min-w-0 flex-1 truncate text-sm font-semibold" title={title}>
          {title}
        </h2>
        {view === "chat" && current && (
          <span
            className="shrink-0 text-xs text-zinc-500"
            data-testid="conversation-cost"
            title="Cost of this conversation"
          >
            {conversationCost(current)}
          </span>
        )}
        <Button
          variant="ghost"
          size="sm"
          className="px-2"
          onClick={() => openConversation(null)}
          title="New conversation"
        >
          <Plus className="size-4" aria-hidden /> New
        </Button>
        <Button
          variant="ghost"
          size="sm"
          className="px-2"
          onClick={toggleAssistant}
          aria-label="Close the assistant"
          title="Close (Ctrl/⌘+I)"
        >
          <X className="size-4" aria-hidden />
        </Button>
      </div>
      {conversations.data && <BudgetNotice budget={conversations.data.budget} />}
      {models.isError || conversations.isError ? (
        <div className="p-3">
          <Alert tone="error">
            The assistant could not be reached: {(models.error ?? conversations.error)?.message}. Try again in a moment.
          </Alert>
        </div>
      ) : !models.data || !conversations.data ? (
        <p className="flex items-center gap-2 p-4 text-sm text-zinc-500" role="status">
          <Loader2 className="size-4 animate-spin" aria-hidden /> Loading…
        </p>
      ) : view === "list" ? (
        <ConversationList
          conversations={list}
          current={conversationId}
          onOpen={openConversation}
          onNew={() => openConversation(null)}
        />
      ) : (
        <ConversationView
          key={conversationId ?? "new"}
          conversationId={conversationId}
          models={models.data}
          budget={conversations.data.budget}
          recent={list}
          focusRequest={focusRequest}
          onOpen={openConversation}
          notConfigured={models.data.configured ? null : <NoKey />}
        />
      )}
    </div>
  );
}
