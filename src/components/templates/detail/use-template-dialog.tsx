"use client";

import { useMutation, useQueryClient } from "@tanstack/react-query";
import { Rocket } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from "~/components/ui/dialog";
import { TextAreaField, TextField } from "~/components/ui/field";
import { projectNameFrom } from "~/lib/schemas/project";
import { ZUseTemplateInput } from "~/lib/schemas/template";
import { useTRPC } from "~/trpc/react";
import type { TemplateDetail } from "./template-page";
import { signInHref, useRefreshTemplate } from "./use-template-cache";

type Errors = FieldErrors<{ name: string; description: string }>;

/** "Use this template": asks for the new project's name and description, creates it, and opens it in the IDE. */
export function UseTemplateButton({ template, signedIn }: { template: TemplateDetail; signedIn: boolean }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const refresh = useRefreshTemplate(template.id);
  const [open, setOpen] = useState(false);
  const [errors, setErrors] = useState<Errors>({});
  const use = useMutation(trpc.template.use.mutationOptions());

  if (!signedIn) {
    return (
      <Button asChild size="lg">
        <Link href={signInHref(`/templates/${template.id}`)} data-testid="use-template">
          <Rocket className="size-4" aria-hidden /> Use this template
        </Link>
      </Button>
    );
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const parsed = ZUseTemplateInput.safeParse({ templateId: template.id, ...form });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      const { id } = await use.mutateAsync(parsed.data);
      await Promise.all([queryClient.invalidateQueries(trpc.project.list.pathFilter()), refresh()]);
      router.push(`/projects/${id}`);
    } catch (error) {
      setErrors(serverFieldErrors(error));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (!next) {
          setErrors({});
          use.reset();
        }
      }}
    >
      <DialogTrigger asChild>
        <Button size="lg" data-testid="use-template">
          <Rocket className="size-4" aria-hidden /> Use this template
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Use this template"
        description={`A new project with the files of ${template.name} ${template.version}. It opens in the editor.`}
      >
        <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
          {use.isError && Object.keys(errors).length === 0 && <Alert tone="error">{use.error.message}</Alert>}
          <TextField
            label="Project name"
            name="name"
            required
            autoFocus
            defaultValue={projectNameFrom(template.name)}
            error={errors.name}
          />
          <TextAreaField
            label="Description"
            name="description"
            defaultValue=""
            placeholder="What you will build (optional)"
            error={errors.description}
            className="min-h-16"
          />
          <DialogFormActions submitLabel="Create project" pending={use.isPending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
