import Link from "next/link";
import { redirect } from "next/navigation";
import { SignUpForm } from "~/components/auth/sign-up-form";
import { Card, CardHeader } from "~/components/ui/card";
import { getSession } from "~/server/auth/session";

export const metadata = { title: "Create an account" };

export default async function SignUpPage() {
  if (await getSession()) redirect("/");
  return (
    <Card>
      <CardHeader
        level={1}
        title="Create your account"
        description="Start from a template or a blank project in a minute."
      />
      <SignUpForm />
      <p className="mt-6 text-center text-sm text-zinc-600 dark:text-zinc-400">
        Already have an account?{" "}
        <Link href="/sign-in" className="font-medium text-brand-600 hover:underline dark:text-brand-400">
          Sign in
        </Link>
      </p>
    </Card>
  );
}
