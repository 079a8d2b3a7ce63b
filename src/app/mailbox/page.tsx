import { notFound } from "next/navigation";
import { Suspense } from "react";
import { MailboxList } from "~/components/mailbox/mailbox-list";
import { Alert } from "~/components/ui/alert";
import { devMailboxOpen } from "~/env";
import { requireSession } from "~/server/auth/guards";
import { getQueryClient, HydrateClient, trpc } from "~/trpc/server";

export const metadata = { title: "Mailbox" };

/**
 * Admins read every message the app sent. Without SMTP_URL (unless DEV_MAILBOX=off) mail is kept here instead of
 * delivered, and each signed-in user reads the mail sent to their own address, so sign-up works on a fresh install.
 */
export default async function MailboxPage() {
  const session = await requireSession("/mailbox");
  const admin = session.user.role === "admin";
  if (!admin && !devMailboxOpen) notFound();
  await getQueryClient().prefetchQuery(trpc.mailbox.list.queryOptions({ page: 1 }));
  return (
    <HydrateClient>
      <div className="mx-auto max-w-3xl space-y-6 px-4 py-10">
        <h1 className="text-2xl font-semibold tracking-tight">Mailbox</h1>
        {devMailboxOpen ? (
          <Alert tone="info">
            This install sends no real mail: messages land here.{" "}
            {admin ? "As an administrator you see all of them." : "You see the ones sent to your address."} Set{" "}
            <code>SMTP_URL</code> to deliver mail (or <code>DEV_MAILBOX=off</code>); the outbox is then for
            administrators only.
          </Alert>
        ) : (
          <Alert tone="info">Every message the app sent, as delivered by SMTP.</Alert>
        )}
        <Suspense>
          <MailboxList />
        </Suspense>
      </div>
    </HydrateClient>
  );
}
