"use client";

import { useSuspenseQuery } from "@tanstack/react-query";
import { Inbox } from "lucide-react";
import { Fragment, useState } from "react";
import { Button } from "~/components/ui/button";
import { timeAgo } from "~/lib/format";
import { useTRPC } from "~/trpc/react";

const URL_PATTERN = /(https?:\/\/[^\s<>"]+)/g;

/** Plain-text mail with its links made clickable (text only: nothing in a message is rendered as HTML). */
function MessageBody({ text }: { text: string }) {
  return (
    <p className="mt-3 whitespace-pre-wrap break-words text-sm text-zinc-700 dark:text-zinc-300">
      {text.split(URL_PATTERN).map((part, index) =>
        index % 2 === 1 ? (
          <a key={index} href={part} className="font-medium text-brand-600 underline dark:text-brand-400">
            {part}
          </a>
        ) : (
          <Fragment key={index}>{part}</Fragment>
        ),
      )}
    </p>
  );
}

/** The mail the signed-in user may read, newest first: an admin's view of the outbox, or the user's own mail. */
export function MailboxList() {
  const trpc = useTRPC();
  const [page, setPage] = useState(1);
  const { data } = useSuspenseQuery(trpc.mailbox.list.queryOptions({ page }));
  const pages = Math.max(1, Math.ceil(data.total / data.pageSize));

  if (data.total === 0) {
    return (
      <div className="flex flex-col items-center rounded-xl border border-dashed border-zinc-300 p-10 text-center dark:border-zinc-700">
        <Inbox className="size-8 text-zinc-400" aria-hidden />
        <p className="mt-3 font-medium">No mail yet</p>
        <p className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">
          Sign-up confirmations and password resets will appear here.
        </p>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      <ul className="space-y-3">
        {data.items.map((message) => (
          <li key={message.id}>
            <article
              aria-labelledby={`mail-${message.id}`}
              className="rounded-xl border border-zinc-200 p-5 dark:border-zinc-800"
            >
              <header className="flex flex-wrap items-baseline justify-between gap-2">
                <h2 id={`mail-${message.id}`} className="font-medium">
                  {message.subject}
                </h2>
                <time
                  dateTime={message.createdAt.toISOString()}
                  className="text-xs text-zinc-500"
                  suppressHydrationWarning
                >
                  {timeAgo(message.createdAt)}
                </time>
              </header>
              <p className="mt-1 text-xs text-zinc-500 dark:text-zinc-400">
                To {message.toAddress}
                {message.sentAt ? " · delivered by SMTP" : message.error ? ` · not delivered: ${message.error}` : ""}
              </p>
              <MessageBody text={message.textBody} />
            </article>
          </li>
        ))}
      </ul>
      {pages > 1 && (
        <nav aria-label="Mailbox pages" className="flex items-center justify-between">
          <Button variant="secondary" size="sm" disabled={page <= 1} onClick={() => setPage(page - 1)}>
            Newer
          </Button>
          <span className="text-sm text-zinc-600 dark:text-zinc-400">
            Page {page} of {pages}
          </span>
          <Button variant="secondary" size="sm" disabled={page >= pages} onClick={() => setPage(page + 1)}>
            Older
          </Button>
        </nav>
      )}
    </div>
  );
}
