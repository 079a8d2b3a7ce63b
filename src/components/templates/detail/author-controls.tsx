"use client";

import { useMutation } from "@tanstack/react-query";
import { Pencil, Trash2 } from "lucide-react";
import { useRouter } from "next/navigation";
import { useId, useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { CategoryField } from "~/components/templates/category-field";
import { TagsInput } from "~/components/templates/tags-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from "~/components/ui/dialog";
import { TextAreaField, TextField } from "~/components/ui/field";
import { Switch } from "~/components/ui/switch";
import { ZUpdateTemplateInput } from "~/lib/schemas/template";
import { useTRPC } from "~/trpc/react";
import type { TemplateDetail } from "./template-page";
import { useRefreshTemplate } from "./use-template-cache";

type Errors = FieldErrors<{ name: string; description: string; category: string; tags: string; isPublic: string }>;

/** A labelled switch on one line (the label names the switch for screen readers). */
export function SwitchRow({
  label,
  hint,
  checked,
  onCheckedChange,
  disabled,
}: {
  label: string;
  hint?: string;
  checked: boolean;
  onCheckedChange(checked: boolean): void;
  disabled?: boolean;
}) {
  const id = useId();
  return (
    <div className="flex items-center justify-between gap-4">
      <div>
        <label htmlFor={id} className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
          {label}
        </label>
        {hint && (
          <p id={`${id}-hint`} className="text-xs text-zinc-500 dark:text-zinc-400">
            {hint}
          </p>
        )}
      </div>
      <Switch
        id={id}
        checked={checked}
        onCheckedChange={onCheckedChange}
        disabled={disabled}
        aria-describedby={hint ? `${id}-hint` : undefined}
      />
    </div>
  );
}

function EditDetailsDialog({ template }: { template: TemplateDetail }) {
  const trpc = useTRPC();
  const refresh = useRefreshTemplate(template.id);
  const [open, setOpen] = useState(false);
  const [tags, setTags] = useState(template.tags);
  const [isPublic, setIsPublic] = useState(template.isPublic);
  const [errors, setErrors] = useState<Errors>({});
  const update = useMutation(trpc.template.update.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const parsed = ZUpdateTemplateInput.safeParse({ templateId: template.id, ...form, tags, isPublic });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      await update.mutateAsync(parsed.data);
      await refresh();
      setOpen(false);
    } catch (error) {
      setErrors(serverFieldErrors(error));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) {
          setTags(template.tags);
          setIsPublic(template.isPublic);
          setErrors({});
          update.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button variant="secondary">
          <Pencil className="size-4" aria-hidden /> Edit details
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Edit template details"
        description="The files change only when you publish a new version from your project."
        className="max-h-[calc(100dvh-2rem)] w-[min(36rem,calc(100vw-2rem))] overflow-y-auto"
      >
        <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
          {update.isError && Object.keys(errors).length === 0 && <Alert tone="error">{update.error.message}</Alert>}
          <TextField label="Name" name="name" required defaultValue={template.name} error={errors.name} />
          <TextAreaField
            label="Description"
            name="description"
            required
            defaultValue={template.description}
            error={errors.description}
          />
          <CategoryField defaultValue={template.category ?? "other"} error={errors.category} />
          <TagsInput label="Tags" value={tags} onChange={setTags} error={errors.tags} />
          <SwitchRow
            label="Public"
            hint="Public templates are in the gallery, where anyone can use and rate them."
            checked={isPublic}
            onCheckedChange={setIsPublic}
          />
          <DialogFormActions submitLabel="Save details" pending={update.isPending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}

function DeleteTemplateButton({ template }: { template: TemplateDetail }) {
  const trpc = useTRPC();
  const router = useRouter();
  const refresh = useRefreshTemplate(template.id);
  const remove = useMutation(trpc.template.delete.mutationOptions());
  return (
    <>
      <ConfirmDialog
        trigger={
          <Button variant="secondary" pending={remove.isPending} className="text-red-700 dark:text-red-400">
            <Trash2 className="size-4" aria-hidden /> Delete
          </Button>
        }
        title={`Delete ${template.name}?`}
        description="The template, all its versions, ratings and reviews are deleted. Projects made from it keep their files."
        confirmLabel="Delete template"
        onConfirm={() =>
          remove.mutate(
            { templateId: template.id },
            {
              onSuccess: () => {
                router.push("/templates");
                void refresh();
              },
            },
          )
        }
      />
      {remove.isError && (
        <Alert tone="error" className="basis-full">
          {remove.error.message}
        </Alert>
      )}
    </>
  );
}

/** The author's buttons (an admin's too): edit the details, delete the template. */
export function AuthorControls({ template }: { template: TemplateDetail }) {
  return (
    <>
      <EditDetailsDialog template={template} />
      <DeleteTemplateButton template={template} />
    </>
  );
}

/** Admins: the featured and official badges, each saved as soon as it is switched. */
export function AdminControls({ template }: { template: TemplateDetail }) {
  const trpc = useTRPC();
  const refresh = useRefreshTemplate(template.id);
  const flags = useMutation(trpc.template.setFlags.mutationOptions({ onSettled: () => refresh() }));
  return (
    <section
      aria-label="Admin controls"
      className="flex w-full flex-wrap items-center gap-x-6 gap-y-3 rounded-lg border border-dashed border-zinc-300 px-4 py-3 md:w-auto dark:border-zinc-700"
    >
      <span className="text-xs font-semibold tracking-wide text-zinc-500 uppercase dark:text-zinc-400">Admin</span>
      <SwitchRow
        label="Featured"
        checked={template.isFeatured}
        disabled={flags.isPending}
        onCheckedChange={(isFeatured) => flags.mutate({ templateId: template.id, isFeatured })}
      />
      <SwitchRow
        label="Official"
        checked={template.isOfficial}
        disabled={flags.isPending}
        onCheckedChange={(isOfficial) => flags.mutate({ templateId: template.id, isOfficial })}
      />
      {flags.isError && (
        <Alert tone="error" className="basis-full">
          {flags.error.message}
        </Alert>
      )}
    </section>
  );
}
