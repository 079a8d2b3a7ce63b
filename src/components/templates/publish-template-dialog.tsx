"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { CopyPlus, PackagePlus, Upload } from "lucide-react";
import Link from "next/link";
import { useState, type FormEvent } from "react";
import { fieldErrors, serverFieldErrors, type FieldErrors } from "~/components/auth/form-errors";
import { CategoryField } from "~/components/templates/category-field";
import { SwitchRow } from "~/components/templates/detail/author-controls";
import { TagsInput } from "~/components/templates/tags-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { ChoiceCard } from "~/components/ui/choice-card";
import { Dialog, DialogContent, DialogFormActions, DialogTrigger } from "~/components/ui/dialog";
import { SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { CHANGELOG_MAX_CHARS, nextMinorVersion, ZPublishTemplateInput } from "~/lib/schemas/template";
import { useTRPC } from "~/trpc/react";

type Mode = "new" | "version";
type Errors = FieldErrors<{
  name: string;
  description: string;
  category: string;
  tags: string;
  isPublic: string;
  templateId: string;
  version: string;
  changelog: string;
}>;

/**
 * "Publish as template" in the IDE: the project's files (as saved) as a new template, or as a new version of one
 * of the user's templates (the one published from this project is proposed). Ends with a link to the template.
 */
export function PublishTemplateDialog({ projectId, projectName }: { projectId: string; projectName: string }) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [open, setOpen] = useState(false);
  const [mode, setMode] = useState<Mode | null>(null);
  const [templateId, setTemplateId] = useState<string | null>(null);
  const [version, setVersion] = useState<string | null>(null);
  const [tags, setTags] = useState<string[]>([]);
  const [isPublic, setIsPublic] = useState(true);
  const [errors, setErrors] = useState<Errors>({});
  const [published, setPublished] = useState<{ templateId: string; version: string; name: string } | null>(null);
  const mine = useQuery({ ...trpc.template.list.queryOptions({ mine: true, sort: "newest" }), enabled: open });
  const publish = useMutation(trpc.template.publish.mutationOptions());

  const own = mine.data?.templates ?? [];
  const fromHere = own.find((template) => template.sourceProjectId === projectId);
  // Until the user chooses, a project already published proposes a new version of its template.
  const currentMode: Mode = mode ?? (fromHere ? "version" : "new");
  const target = own.find((template) => template.id === templateId) ?? fromHere ?? own[0];
  const proposedVersion = version ?? (target ? nextMinorVersion(target.version) : "");

  function reset() {
    setMode(null);
    setTemplateId(null);
    setVersion(null);
    setTags([]);
    setIsPublic(true);
    setErrors({});
    setPublished(null);
    publish.reset();
  }

  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
    const parsed = ZPublishTemplateInput.safeParse(
      currentMode === "new"
        ? {
            mode: "new",
            projectId,
            name: form.name,
            description: form.description,
            category: form.category,
            tags,
            isPublic,
            version: form.version,
            changelog: form.changelog,
          }
        : { mode: "version", projectId, templateId: target?.id, version: form.version, changelog: form.changelog },
    );
    if (!parsed.success) return setErrors(fieldErrors(parsed.error));
    setErrors({});
    try {
      const result = await publish.mutateAsync(parsed.data);
      setPublished({
        ...result,
        name: parsed.data.mode === "new" ? parsed.data.name : (target?.name ?? "your template"),
      });
      await Promise.all([
        queryClient.invalidateQueries(trpc.template.list.pathFilter()),
        queryClient.invalidateQueries(trpc.template.byId.pathFilter()),
        queryClient.invalidateQueries(trpc.template.files.pathFilter()),
      ]);
    } catch (error) {
      setErrors(serverFieldErrors(error));
    }
  }

  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        if (next) reset();
      }}
    >
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          title="Publish this project's files as a template"
          aria-label="Publish as template"
        >
          <Upload className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Publish as template</span>
        </Button>
      </DialogTrigger>
      <DialogContent
        title="Publish as template"
        description="Publishes the saved files of this project. Save your changes first."
        className="max-h-[calc(100dvh-2rem)] w-[min(38rem,calc(100vw-2rem))] overflow-y-auto"
      >
        {!mine.data && !mine.isError ? (
          <p role="status" aria-busy="true" className="mt-4 text-sm text-zinc-500 dark:text-zinc-400">
            Loading your templates…
          </p>
        ) : published ? (
          <div className="mt-4 space-y-4">
            <Alert tone="success">
              <span data-testid="publish-success">
                Published {published.name} {published.version}.
              </span>
            </Alert>
            <div className="flex justify-end gap-2">
              <Button variant="secondary" onClick={() => setOpen(false)}>
                Close
              </Button>
              <Button asChild>
                <Link href={`/templates/${published.templateId}`}>View template</Link>
              </Button>
            </div>
          </div>
        ) : (
          <form onSubmit={onSubmit} className="mt-4 space-y-4" noValidate>
            {publish.isError && Object.keys(errors).length === 0 && <Alert tone="error">{publish.error.message}</Alert>}
            <fieldset>
              <legend className="mb-1.5 block text-sm font-medium text-zinc-800 dark:text-zinc-200">Publish as</legend>
              <div className="grid gap-2 sm:grid-cols-2">
                <ChoiceCard
                  name="mode"
                  value="new"
                  checked={currentMode === "new"}
                  onSelect={(next) => (setMode(next), setErrors({}), publish.reset())}
                  icon={<PackagePlus className="size-3.5" />}
                  title="New template"
                  detail="Its first version, in the gallery if public."
                />
                <ChoiceCard
                  name="mode"
                  value="version"
                  checked={currentMode === "version"}
                  disabled={own.length === 0}
                  onSelect={(next) => (setMode(next), setErrors({}), publish.reset())}
                  icon={<CopyPlus className="size-3.5" />}
                  title={target ? `New version of ${target.name}` : "New version"}
                  detail={own.length === 0 ? "You have no templates yet." : "Of one of your templates."}
                />
              </div>
            </fieldset>

            {currentMode === "new" ? (
              <>
                <TextField label="Name" name="name" required defaultValue={projectName} error={errors.name} />
                <TextAreaField
                  label="Description"
                  name="description"
                  required
                  placeholder="What it is, what it includes, who it is for."
                  error={errors.description}
                  className="min-h-20"
                />
                <CategoryField defaultValue="web-app" error={errors.category} />
                <TagsInput label="Tags" value={tags} onChange={setTags} error={errors.tags} />
                <SwitchRow
                  label="Public"
                  hint="In the gallery, where anyone can use and rate it. Private: only you can use it."
                  checked={isPublic}
                  onCheckedChange={setIsPublic}
                />
                <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
                  <TextField label="Version" name="version" defaultValue="1.0.0" error={errors.version} />
                  <TextAreaField
                    label="Changelog"
                    name="changelog"
                    defaultValue="First release."
                    maxLength={CHANGELOG_MAX_CHARS}
                    error={errors.changelog}
                    className="min-h-16"
                  />
                </div>
              </>
            ) : (
              <>
                <SelectField
                  label="Template"
                  name="templateId"
                  value={target?.id ?? ""}
                  onChange={(event) => {
                    setTemplateId(event.target.value);
                    setVersion(null);
                  }}
                  error={errors.templateId}
                >
                  {own.map((template) => (
                    <option key={template.id} value={template.id}>
                      {template.name} ({template.version}){template.isPublic ? "" : " · private"}
                    </option>
                  ))}
                </SelectField>
                <div className="grid gap-4 sm:grid-cols-[10rem_minmax(0,1fr)]">
                  <TextField
                    label="Version"
                    name="version"
                    value={proposedVersion}
                    onChange={(event) => setVersion(event.target.value)}
                    hint={target ? `Above ${target.version}` : undefined}
                    error={errors.version}
                  />
                  <TextAreaField
                    label="Changelog"
                    name="changelog"
                    required
                    maxLength={CHANGELOG_MAX_CHARS}
                    placeholder="What changed in this version."
                    error={errors.changelog}
                    className="min-h-16"
                  />
                </div>
              </>
            )}
            <DialogFormActions
              submitLabel={currentMode === "new" ? "Publish template" : "Publish version"}
              pending={publish.isPending}
            />
          </form>
        )}
      </DialogContent>
    </Dialog>
  );
}
