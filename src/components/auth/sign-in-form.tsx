"use client";

import { LogIn } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { ZSignInInput } from "~/lib/schemas/account";

const ERRORS: Record<string, string> = {
  GithubEmailNotVerified:
    "Your GitHub account has no verified e-mail address we could use. Verify one on GitHub, then try again.",
  GithubAdminLink:
    "This address belongs to an administrator: sign in with your password, then link GitHub in Settings.",
  OAuthSignin: "GitHub sign-in could not start. Try again.",
  OAuthCallback: "GitHub sign-in did not complete. Try again.",
  AccessDenied: "Sign-in was refused.",
};

/** E-mail or username and password; GitHub when the install has it configured. */
export function SignInForm({
  callbackPath,
  github,
  initialError,
}: {
  callbackPath: string;
  github: boolean;
  initialError?: string;
}) {
  const router = useRouter();
  const [error, setError] = useState<string | undefined>(
    initialError ? (ERRORS[initialError] ?? "Sign-in failed. Try again.") : undefined,
  );
  const [pending, setPending] = useState(false);

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = ZSignInInput.safeParse({ email: form.get("email"), password: form.get("password") });
    if (!parsed.success) {
      setError(parsed.error.issues[0]?.message);
      return;
    }
    setPending(true);
    setError(undefined);
    const result = await signIn("credentials", { ...parsed.data, redirect: false });
    setPending(false);
    if (!result || result.error) {
      setError(
        result?.error && result.error !== "CredentialsSignin" ? result.error : "Wrong e-mail, username or password.",
      );
      return;
    }
    router.push(callbackPath);
    router.refresh();
  }

  return (
    <div className="space-y-5">
      {error && <Alert tone="error">{error}</Alert>}
      <form onSubmit={onSubmit} className="space-y-4" noValidate>
        <TextField label="E-mail or username" name="email" autoComplete="username" required autoFocus />
        <TextField label="Password" name="password" type="password" autoComplete="current-password" required />
        <div className="flex items-center justify-between">
          <Link href="/forgot-password" className="text-sm text-brand-600 hover:underline dark:text-brand-400">
            Forgot your password?
          </Link>
        </div>
        <Button type="submit" className="w-full" pending={pending}>
          Sign in
        </Button>
      </form>
      {github && (
        <Button
          variant="secondary"
          className="w-full"
          onClick={() => void signIn("github", { callbackUrl: callbackPath })}
        >
          <LogIn className="size-4" aria-hidden /> Continue with GitHub
        </Button>
      )}
    </div>
  );
}
