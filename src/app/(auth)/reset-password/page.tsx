import Link from "next/link";
import { ResetPasswordForm } from "~/components/auth/password-reset-forms";
import { Alert } from "~/components/ui/alert";
import { Card, CardHeader } from "~/components/ui/card";

export const metadata = { title: "Choose a new password" };

export default async function ResetPasswordPage({
  searchParams,
}: {
  searchParams: Promise<{ token?: string | string[] }>;
}) {
  const { token } = await searchParams;
  return (
    <Card>
      <CardHeader level={1} title="Choose a new password" />
      {typeof token === "string" ? (
        <ResetPasswordForm token={token} />
      ) : (
        <Alert tone="error">
          This link is incomplete. Open the link from the e-mail again, or{" "}
          <Link href="/forgot-password" className="font-medium underline">
            ask for a new one
          </Link>
          .
        </Alert>
      )}
    </Card>
  );
}
