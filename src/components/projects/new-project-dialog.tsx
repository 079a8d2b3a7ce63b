"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { FilePlus2, GitBranch, Plus, Sparkles } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useCallback, useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { GitOperationProgress, type GitOperation } from "~/components/git/git-operation-progress";
import { GitSourceFields } from "~/components/git/git-source-fields";
import { ChoiceCard } from "~/components/ui/choice-card";
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from "~/components/ui/dialog";
import { SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { ASSISTANT_MESSAGE_MAX_CHARS, ZAssistantCreateProjectInput } from "~/lib/schemas/assistant";
import { postImport } from "~/components/editor/use-file-mutations";
import { TechStackInput } from "~/components/projects/tech-stack-input";
import { projectNameFromUrl } from "~/lib/git/display";
import { ZGitImportInput } from "~/lib/git/schemas";
import { ARCHITECTURE_LABELS, ARCHITECTURE_TYPES, ZCreateProjectInput } from "~/lib/schemas/project";
import { useTRPC } from "~/trpc/react";

type Mode = "files" | "git" | "prompt";
type Errors = FieldErrors<{
  name: string;
  description: string;
  functionality: string;
  architectureType: string;
  techStack: string;
  templateId: string;
  prompt: string;
  model: string;
  archive: string;
  url: string;
  branch: string;
  username: string;
  token: string;
}>;

/** The IDE of a project from a prompt, with the assistant on the conversation where Claude writes its files. */
export function promptedProjectHref(projectId: string, conversationId: string): string {
  return `/projects/${projectId}?assistant=${encodeURIComponent(conversationId)}`;
}

/**
 * Creates a project, blank, from a template, imported from a Git remote (with its progress, cancellable), or
 * described to Claude (who writes its first files, then the IDE opens with the assistant on that conversation),
 * and opens it in the IDE.
 */
export function NewProjectDialog({ initialTemplateId }: { initialTemplateId?: string }) {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(Boolean(initialTemplateId));
  const [mode, setMode] = useState<Mode>("files");
  const [errors, setErrors] = useState<Errors>({});
  const [techStack, setTechStack] = useState<string[]>([]);
  const [archive, setArchive] = useState<File | null>(null);
  const remove = useMutation(trpc.project.delete.mutationOptions());
  const templates = useQuery({ ...trpc.template.listPublic.queryOptions(), enabled: open });
  const assistant = useQuery({ ...trpc.assistant.available.queryOptions(), enabled: open });
  const create = useMutation(trpc.project.create.mutationOptions());
  const createWithClaude = useMutation(trpc.assistant.createProject.mutationOptions());
  const importGit = useMutation(trpc.git.import.mutationOptions());
  // The name follows the repository's until the user types one of their own.
  const [name, setName] = useState("");
  const [nameTyped, setNameTyped] = useState(false);
  const [operationId, setOperationId] = useState<string | null>(null);
  const [importFailure, setImportFailure] = useState<string | null>(null);
  const configured = assistant.data?.configured === true;
  const models = assistant.data?.models ?? [];
  const prompting = mode === "prompt" && configured;
  const fromGit = mode === "git";
  const failed = prompting ? createWithClaude : fromGit ? importGit : create;
  const importing = operationId !== null;

  function selectMode(next: Mode) {
    setMode(next);
    setErrors({});
    setImportFailure(null);
    create.reset();
    createWithClaude.reset();
    importGit.reset();
  }

  const onImportFinished = useCallback(
    async (operation: GitOperation) => {
      if (operation.status === "succeeded" && operation.projectId) {
        // The progress stays (at 100%) until the IDE opens.
        await queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
        return router.push(`/projects/${operation.projectId}`);
      }
      setOperationId(null);
      if (operation.status === "cancelled") {
        setImportFailure("The import was cancelled. No project was created.");
      } else {
        setImportFailure(`${operation.error ?? "The import failed."} No project was created.`);
      }
    },
    [queryClient, router, trpc],
  );

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    setImportFailure(null);
    try {
      if (fromGit) {
        const parsed = ZGitImportInput.safeParse({
          url: form.url,
          branch: form.branch || undefined,
          username: form.username || undefined,
          token: form.token || undefined,
          name: form.name,
          description: form.description || undefined,
        });
        if (!parsed.success) return setErrors(fieldErrors(parsed.error));
        setErrors({});
        const { operationId: started } = await importGit.mutateAsync(parsed.data);
        setOperationId(started);
      } else if (prompting) {
        const parsed = ZAssistantCreateProjectInput.safeParse({ ...form, model: form.model || undefined });
        if (!parsed.success) return setErrors(fieldErrors(parsed.error));
        setErrors({});
        const { projectId, conversationId } = await createWithClaude.mutateAsync(parsed.data);
        await queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
        router.push(promptedProjectHref(projectId, conversationId));
      } else {
        const parsed = ZCreateProjectInput.safeParse({
          ...form,
          techStack,
          templateId: archive ? undefined : form.templateId || undefined,
        });
        if (!parsed.success) return setErrors(fieldErrors(parsed.error));
        setErrors({});
        const { id } = await create.mutateAsync(parsed.data);
        if (archive) {
          // From a zip, all or nothing: a failed import takes the new project away again.
          try {
            await postImport(
              id,
              archive,
              () => {},
              () => {},
            );
          } catch (importError) {
            await remove.mutateAsync({ projectId: id, confirmName: parsed.data.name }).catch(() => {});
            return setErrors({ archive: (importError as Error).message });
          }
        }
        await queryClient.invalidateQueries({ queryKey: trpc.project.list.queryKey() });
        router.push(`/projects/${id}`);
      }
    } catch (error) {
      setErrors(serverFieldErrors(error));
    }
  }

  return (
    // While an import runs the dialog stays open: its Cancel button is the way out.
    <Dialog
      open={open}
      onOpenChange={(next) => {
        if (importing) return;
        setOpen(next);
        // An import's failure belongs to that attempt.
        if (!next) setImportFailure(null);
      }}
    >
      <DialogTrigger asChild>
        <Button>
          <Plus className="size-4" aria-hidden /> New project
        </Button>
      </DialogTrigger>
      <DialogContent
        title="New project"
        description="Start blank, from a working template, from a Git repository, or describe the app to Claude."
        className="max-h-[calc(100dvh-2rem)] w-[min(40rem,calc(100vw-2rem))] overflow-y-auto"
      >
        <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
          {failed.isError && Object.keys(errors).length === 0 && <Alert tone="error">{failed.error.message}</Alert>}
          <TextField
            label="Name"
            name="name"
            required
            autoFocus
            value={name}
            readOnly={importing}
            onChange={(event) => {
              setName(event.target.value);
              setNameTyped(event.target.value !== "");
            }}
            error={errors.name}
            hint={fromGit && !nameTyped ? "The repository's name, unless you type another." : undefined}
          />
          <TextAreaField
            label="Description"
            name="description"
            readOnly={importing}
            error={errors.description}
            className="min-h-16"
          />
          {!prompting && !fromGit && (
            <>
              <TextAreaField
                label="Functionality"
                name="functionality"
                error={errors.functionality}
                hint="What it does (optional)."
                className="min-h-12"
              />
              <SelectField
                label="Architecture"
                name="architectureType"
                defaultValue="monolithic"
                error={errors.architectureType}
              >
                {ARCHITECTURE_TYPES.map((type) => (
                  <option key={type} value={type}>
                    {ARCHITECTURE_LABELS[type]}
                  </option>
                ))}
              </SelectField>
              <TechStackInput value={techStack} onChange={setTechStack} error={errors.techStack} />
            </>
          )}
          <fieldset className="space-y-1.5">
            <legend className="mb-1.5 block text-sm font-medium text-zinc-800 dark:text-zinc-200">How to start</legend>
            <div className="grid gap-2 sm:grid-cols-3">
              <ChoiceCard
                name="mode"
                value="files"
                checked={!prompting && !fromGit}
                disabled={importing}
                onSelect={selectMode}
                icon={<FilePlus2 className="size-3.5" />}
                title="Blank or template"
                detail="A README, a template or a zip."
              />
              <ChoiceCard
                name="mode"
                value="git"
                checked={fromGit}
                disabled={importing}
                onSelect={selectMode}
                icon={<GitBranch className="size-3.5" />}
                title="From Git"
                detail="Import a repository."
              />
              <ChoiceCard
                name="mode"
                value="prompt"
                checked={prompting}
                disabled={!configured || importing}
                onSelect={selectMode}
                icon={<Sparkles className="size-3.5" />}
                title="Describe it"
                detail="Claude writes the first files."
              />
            </div>
            {assistant.data && !configured && (
              <p className="text-xs text-zinc-500 dark:text-zinc-400" data-testid="describe-unavailable">
                Describing an app needs Claude, which is not configured on this server: set{" "}
                <code className="font-mono">ANTHROPIC_API_KEY</code> in its environment and restart it.
              </p>
            )}
          </fieldset>
          {fromGit ? (
            <GitSourceFields
              errors={errors}
              disabled={importing}
              onUrlChange={(url) => {
                if (!nameTyped) setName(projectNameFromUrl(url));
              }}
            />
          ) : prompting ? (
            <>
              <TextAreaField
                label="Describe the app"
                name="prompt"
                required
                maxLength={ASSISTANT_MESSAGE_MAX_CHARS}
                placeholder="A to-do list with due dates and tags, as a small React app built with Vite."
                hint="What it does, who it is for, the stack you want. You can ask for more later."
                error={errors.prompt}
                className="min-h-24"
              />
              {models.length > 1 && (
                <SelectField
                  label="Model"
                  name="model"
                  defaultValue={assistant.data?.defaultModel ?? undefined}
                  error={errors.model}
                >
                  {models.map((model) => (
                    <option key={model.id} value={model.id}>
                      {model.label}
                    </option>
                  ))}
                </SelectField>
              )}
            </>
          ) : (
            <SelectField
              label="Start from"
              name="templateId"
              defaultValue={initialTemplateId ?? ""}
              error={errors.templateId}
              hint={
                <>
                  Compare them, with ratings and reviews, in the{" "}
                  <Link href="/templates" className="font-medium text-brand-700 underline dark:text-brand-100">
                    template gallery
                  </Link>
                  .
                </>
              }
            >
              <option value="">A blank project</option>
              {templates.data?.map((template) => (
                <option key={template.id} value={template.id}>
                  {template.name} ({template.category})
                </option>
              ))}
            </SelectField>
          )}
          {!prompting && !fromGit && (
            <div className="space-y-1.5">
              <label className="block text-sm font-medium text-zinc-800 dark:text-zinc-200">
                Or from a zip
                <input
                  type="file"
                  name="archive"
                  accept=".zip,application/zip"
                  data-testid="new-project-zip"
                  onChange={(event) => setArchive(event.target.files?.[0] ?? null)}
                  className="mt-1 block w-full text-sm"
                />
              </label>
              {errors.archive ? (
                <p className="text-xs font-medium text-red-600 dark:text-red-400">{errors.archive}</p>
              ) : (
                <p className="text-xs text-zinc-500 dark:text-zinc-400">
                  Its files are imported into the new project; if the import fails, the project is not created.
                </p>
              )}
            </div>
          )}
          {importFailure && (
            <Alert tone="error">
              <span data-testid="git-import-error">{importFailure}</span>
            </Alert>
          )}
          {operationId ? (
            <GitOperationProgress
              operationId={operationId}
              label="Import progress"
              onFinished={(operation) => void onImportFinished(operation)}
            />
          ) : (
            <DialogFormActions
              submitLabel={prompting ? "Create with Claude" : fromGit ? "Import repository" : "Create project"}
              pending={create.isPending || createWithClaude.isPending || importGit.isPending || remove.isPending}
            />
          )}
        </form>
      </DialogContent>
    </Dialog>
  );
}
