import { Suspense } from "react";
import { MailboxList } from "~/components/mailbox/mailbox-list";
import { Alert } from "~/components/ui/alert";
import { devMailboxOpen } from "~/env";
import { headers } from "next/headers";
import { requireAdmin, requireSession } from "~/server/auth/guards";
import { clientIpFrom, isLoopback } from "~/server/client-ip";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Mailbox" };

/**
 * Without SMTP_URL, mail is kept in the outbox and shown here to anyone (unless DEV_MAILBOX=off), so sign-up and
 * password reset work on a fresh install. Otherwise only administrators may read the outbox.
 */
export default async function MailboxPage() {
  const open = devMailboxOpen;
  if (!open) await requireAdmin("/mailbox");
  // From elsewhere than the server itself, the open mailbox shows a signed-in user their own mail only.
  if (open && !isLoopback(clientIpFrom(await headers()))) await requireSession("/mailbox");
  await getQueryClient().prefetchQuery(
    open ? trpc.mailbox.list.queryOptions({ page: 1 }) : trpc.admin.mail.list.queryOptions({ page: 1 }),
  );
  return (
    <HydrateClient>
      <div className="mx-auto max-w-3xl space-y-6 px-4 py-10">
        <h1 className="text-2xl font-semibold tracking-tight">Mailbox</h1>
        {open ? (
          <Alert tone="info">
            This install sends no real mail: messages land here. On the server itself you see them all; elsewhere, the
            ones sent to your account. Set <code>SMTP_URL</code> to deliver mail (or <code>DEV_MAILBOX=off</code>); the
            outbox is then for administrators only.
          </Alert>
        ) : (
          <Alert tone="info">Every message the app sent, as delivered by SMTP.</Alert>
        )}
        <Suspense>
          <MailboxList source={open ? "mailbox" : "admin"} />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
