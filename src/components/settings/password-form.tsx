"use client";

import { useMutation, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { ZChangePasswordInput, type TChangePasswordInput } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";

export function PasswordForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const { data: me } = useSuspenseQuery(trpc.account.me.queryOptions());
  const change = useMutation(trpc.account.changePassword.mutationOptions());
  const [errors, setErrors] = useState<FieldErrors<TChangePasswordInput>>({});

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = event.currentTarget;
    const parsed = ZChangePasswordInput.safeParse(Object.fromEntries(new FormData(form)));
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    change.mutate(parsed.data, {
      // The change ends every session, this one too: sign this browser in again with the new password.
      onSuccess: async () => {
        form.reset();
        const result = await signIn("credentials", {
          email: me.email,
          password: parsed.data.newPassword,
          redirect: false,
        });
        if (!result || result.error) router.push("/sign-in?callbackUrl=%2Fsettings");
      },
      onError: (error) => setErrors(serverFieldErrors(error)),
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Change password">
      {change.isSuccess && <Alert tone="success">Password changed. Your other sessions are signed out.</Alert>}
      {change.isError && Object.keys(errors).length === 0 && <Alert tone="error">{change.error.message}</Alert>}
      <TextField
        label="Current password"
        name="currentPassword"
        type="password"
        autoComplete="current-password"
        error={errors.currentPassword}
      />
      <TextField
        label="New password"
        name="newPassword"
        type="password"
        autoComplete="new-password"
        error={errors.newPassword}
        hint="8 to 128 characters, not a common password."
      />
      <Button type="submit" pending={change.isPending}>
        Change password
      </Button>
    </form>
  );
}
