"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { TextField } from "~/components/ui/field";
import { ZRegisterInput, type TRegisterInput } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "./form-errors";

/** Creates the account, signs in, and sends the user to confirm their e-mail address. */
export function SignUpForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const register = useMutation(trpc.account.register.mutationOptions());
  const [errors, setErrors] = useState<FieldErrors<TRegisterInput>>({});
  const [formError, setFormError] = useState<string>();

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const parsed = ZRegisterInput.safeParse(Object.fromEntries(form));
    if (!parsed.success) {
      setErrors(fieldErrors(parsed.error));
      return;
    }
    setErrors({});
    setFormError(undefined);
    try {
      await register.mutateAsync(parsed.data);
    } catch (error) {
      const fields = serverFieldErrors<TRegisterInput>(error);
      setErrors(fields);
      if (Object.keys(fields).length === 0) setFormError((error as Error).message);
      return;
    }
    const result = await signIn("credentials", {
      email: parsed.data.email,
      password: parsed.data.password,
      redirect: false,
    });
    router.push(result?.error ? "/sign-in" : "/verify-email");
    router.refresh();
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate>
      {formError && <Alert tone="error">{formError}</Alert>}
      <TextField label="Full name" name="fullName" autoComplete="name" required error={errors.fullName} autoFocus />
      <TextField label="E-mail" name="email" type="email" autoComplete="email" required error={errors.email} />
      <TextField
        label="Username"
        name="username"
        autoComplete="username"
        required
        error={errors.username}
        hint="3 to 30 characters: a–z, digits, “_” and “-”."
      />
      <TextField
        label="Password"
        name="password"
        type="password"
        autoComplete="new-password"
        required
        error={errors.password}
        hint="8 to 128 characters, not a common password."
      />
      <Button type="submit" className="w-full" pending={register.isPending}>
        Create account
      </Button>
    </form>
  );
}
