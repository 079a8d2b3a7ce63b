"use client";

import { useMutation } from "@tanstack/react-query";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { ZRequestPasswordResetInput, ZResetPasswordInput } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";

/** Asks for a reset link. The answer is the same whether or not the address has an account. */
export function RequestResetForm({ mailboxOpen }: { mailboxOpen: boolean }) {
  const trpc = useTRPC();
  const request = useMutation(trpc.account.requestPasswordReset.mutationOptions());
  const [error, setError] = useState<string>();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ZRequestPasswordResetInput.safeParse({ email: new FormData(event.currentTarget).get("email") });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message);
    setError(undefined);
    request.mutate(parsed.data);
  }

  if (request.isSuccess) {
    return (
      <Alert tone="success">
        If an account uses that address, a link to choose a new password is on its way. It is valid for one hour.
        {/* The mailbox shows mail to signed-in users only: whoever forgot their password needs an administrator. */}
        {mailboxOpen && " This install sends no real mail yet: an administrator can read the link in its mailbox."}
      </Alert>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {request.isError && <Alert tone="error">{request.error.message}</Alert>}
      <TextField label="E-mail" name="email" type="email" autoComplete="email" required error={error} autoFocus />
      <Button type="submit" className="w-full" pending={request.isPending}>
        Send me a link
      </Button>
    </form>
  );
}

/** Chooses a new password with the token of a mailed link. */
export function ResetPasswordForm({ token }: { token: string }) {
  const trpc = useTRPC();
  const reset = useMutation(trpc.account.resetPassword.mutationOptions());
  const [error, setError] = useState<string>();

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ZResetPasswordInput.safeParse({
      token,
      password: new FormData(event.currentTarget).get("password"),
    });
    if (!parsed.success) return setError(parsed.error.issues[0]?.message);
    setError(undefined);
    reset.mutate(parsed.data);
  }

  if (reset.isSuccess) {
    return (
      <div className="space-y-4">
        <Alert tone="success">Your password is changed, and every other session is signed out.</Alert>
        <Button asChild className="w-full">
          <Link href="/sign-in">Sign in</Link>
        </Button>
      </div>
    );
  }
  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {reset.isError && <Alert tone="error">{reset.error.message}</Alert>}
      <TextField
        label="New password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={error}
        hint="8 to 128 characters, not a common password."
        autoFocus
      />
      <Button type="submit" className="w-full" pending={reset.isPending}>
        Set new password
      </Button>
    </form>
  );
}
