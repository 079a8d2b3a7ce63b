import { RequestResetForm } from "~/components/auth/password-reset-forms";
import { Card, CardHeader } from "~/components/ui/card";
import { devMailboxOpen } from "~/env";

export const metadata = { title: "Forgot your password" };

export default function ForgotPasswordPage() {
  return (
    <Card>
      <CardHeader
        level={1}
        title="Forgot your password?"
        description="We will e-mail you a link to choose a new one."
      />
      <RequestResetForm mailboxOpen={devMailboxOpen} />
    </Card>
  );
}
