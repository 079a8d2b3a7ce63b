import Link from "next/link";
import { ConfirmEmail, ResendVerification } from "~/components/auth/verify-email";
import { Alert } from "~/components/ui/alert";
import { Card, CardHeader } from "~/components/ui/card";
import { devMailboxOpen } from "~/env";
import { getSession } from "~/server/auth/session";
import { getMe } from "~/server/services/account";
import { db } from "~/server/db/client";

export const metadata = { title: "Confirm your e-mail" };

export default async function VerifyEmailPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  if (typeof token === "string") {
    return (
      <Card>
        <CardHeader
          level={1}
          title="Confirm your e-mail address"
          description="One click and your address is confirmed."
        />
        <ConfirmEmail token={token} />
      </Card>
    );
  }
  const session = await getSession();
  const me = session ? await getMe({ db, userId: session.user.id }) : null;
  return (
    <Card>
      <CardHeader level={1} title="Check your inbox" />
      {me?.emailVerified ? (
        <Alert tone="success">Your e-mail address {me.email} is confirmed.</Alert>
      ) : (
        <div className="space-y-4 text-sm text-zinc-700 dark:text-zinc-300">
          <p>
            {me ? (
              <>
                We sent a link to <strong>{me.email}</strong>.
              </>
            ) : (
              "We sent you a link."
            )}{" "}
            Open it to confirm your address; it is valid for 24 hours.
          </p>
          {devMailboxOpen && (
            <Alert tone="info">
              This install sends no real mail yet: messages wait in the{" "}
              <Link href="/mailbox" className="font-medium underline">
                development mailbox
              </Link>
              .
            </Alert>
          )}
          {me && <ResendVerification />}
        </div>
      )}
    </Card>
  );
}
