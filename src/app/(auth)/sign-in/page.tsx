import Link from "next/link";
import { redirect } from "next/navigation";
import { SignInForm } from "~/components/auth/sign-in-form";
import { Card, CardHeader } from "~/components/ui/card";
import { safeCallbackPath } from "~/lib/safe-redirect";
import { githubEnabled } from "~/server/auth/config";
import { getSession } from "~/server/auth/session";

export const metadata = { title: "Sign in" };

export default async function SignInPage({
  searchParams,
}: {
  searchParams: Promise<Record<string, string | string[] | undefined>>;
}) {
  const params = await searchParams;
  const callbackPath = safeCallbackPath(params.callbackUrl);
  if (await getSession()) redirect(callbackPath);
  const error = typeof params.error === "string" ? params.error : undefined;
  return (
    <Card>
      <CardHeader
        level={1}
        title="Sign in to Vaporform"
        description="Welcome back. Your projects are where you left them."
      />
      <SignInForm callbackPath={callbackPath} github={githubEnabled} initialError={error} />
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        New here?{" "}
        <Link href="/sign-up" className="font-medium text-brand-600 hover:underline dark:text-brand-400">
          Create an account
        </Link>
      </p>
    </Card>
  );
}
