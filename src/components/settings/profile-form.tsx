"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { ResendVerification } from "~/components/auth/verify-email";
import { Alert } from "~/components/ui/alert";
import { Avatar } from "~/components/ui/avatar";
import { Button } from "~/components/ui/button";
import { TextAreaField, TextField } from "~/components/ui/field";
import { ZUpdateProfileInput, type TUpdateProfileInput } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";

export function ProfileForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: me } = useSuspenseQuery(trpc.account.me.queryOptions());
  const [errors, setErrors] = useState<FieldErrors<TUpdateProfileInput>>({});
  const [avatarPreview, setAvatarPreview] = useState(me.avatarUrl ?? "");
  const update = useMutation(
    trpc.account.updateProfile.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
        router.refresh();
      },
      onError: (error) => setErrors(serverFieldErrors(error)),
    }),
  );

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ZUpdateProfileInput.safeParse(Object.fromEntries(new FormData(event.currentTarget)));
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    update.mutate(parsed.data);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-4" noValidate aria-label="Profile">
      {!me.emailVerified && (
        <Alert tone="info">
          <p>Your e-mail address {me.email} is not confirmed yet: open the link we sent you.</p>
          <div className="mt-2">
            <ResendVerification />
          </div>
        </Alert>
      )}
      {update.isSuccess && <Alert tone="success">Profile saved.</Alert>}
      {update.isError && Object.keys(errors).length === 0 && <Alert tone="error">{update.error.message}</Alert>}
      <div className="flex items-center gap-4">
        <Avatar
          name={me.fullName}
          url={ZUpdateProfileInput.shape.avatarUrl.safeParse(avatarPreview).success ? avatarPreview || null : null}
          size={56}
        />
        <div className="text-sm text-zinc-600 dark:text-zinc-400">
          <p className="font-medium text-zinc-900 dark:text-zinc-100">@{me.username}</p>
          <p>{me.email}</p>
        </div>
      </div>
      <TextField
        label="Full name"
        name="fullName"
        defaultValue={me.fullName}
        required
        error={errors.fullName}
        autoComplete="name"
      />
      <TextField
        label="Avatar URL"
        name="avatarUrl"
        type="url"
        defaultValue={me.avatarUrl ?? ""}
        onChange={(event) => setAvatarPreview(event.target.value)}
        error={errors.avatarUrl}
        hint="A link to a picture (https://…). Leave empty to use your initials."
      />
      <TextAreaField label="Bio" name="bio" defaultValue={me.bio ?? ""} error={errors.bio} maxLength={1000} />
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField label="Location" name="location" defaultValue={me.location ?? ""} error={errors.location} />
        <TextField
          label="Website"
          name="websiteUrl"
          type="url"
          defaultValue={me.websiteUrl ?? ""}
          error={errors.websiteUrl}
        />
      </div>
      <TextField
        label="GitHub username"
        name="githubUsername"
        defaultValue={me.githubUsername ?? ""}
        error={errors.githubUsername}
      />
      <Button type="submit" pending={update.isPending}>
        Save profile
      </Button>
    </form>
  );
}
