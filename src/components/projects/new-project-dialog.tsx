"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { Plus } from "lucide-react";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from "~/components/ui/dialog";
import { SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { ZCreateProjectInput, type TCreateProjectInput } from "~/lib/schemas/project";
import { useTRPC } from "~/trpc/react";

/** Creates a project, blank or from a template, and opens it in the IDE. */
export function NewProjectDialog({ initialTemplateId }: { initialTemplateId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(Boolean(initialTemplateId));
  const [errors, setErrors] = useState<FieldErrors<TCreateProjectInput>>({});
  const templates = useQuery({ ...trpc.template.listPublic.queryOptions(), enabled: open });
  const create = useMutation(trpc.project.create.mutationOptions());

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const parsed = ZCreateProjectInput.safeParse({ ...form, templateId: form.templateId || undefined });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      const { id } = await create.mutateAsync(parsed.data);
      await queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
      router.push(`/projects/${id}`);
    } catch (error) {
      setErrors(serverFieldErrors(error));
    }
  }

  return (
    <Dialog open={open} onOpenChange={setOpen}>
      <DialogTrigger asChild>
        <Button>
          <Plus className="size-4" aria-hidden /> New project
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New project"
        description="Start blank, or from a working template."
        className="w-[min(34rem,calc(100vw-2rem))]"
      >
        <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
          {create.isError && Object.keys(errors).length === 0 && <Alert tone="error">{create.error.message}</Alert>}
          <TextField label="Name" name="name" required autoFocus error={errors.name} />
          <TextAreaField label="Description" name="description" error={errors.description} className="min-h-16" />
          <SelectField
            label="Start from"
            name="templateId"
            defaultValue={initialTemplateId ?? ""}
            error={errors.templateId}
          >
            <option value="">A blank project</option>
            {templates.data?.map((template) => (
              <option key={template.id} value={template.id}>
                {template.name} ({template.category})
              </option>
            ))}
          </SelectField>
          <DialogFormActions submitLabel="Create project" pending={create.isPending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
