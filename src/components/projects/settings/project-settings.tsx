"use client";

import { useQuery } from "@tanstack/react-query";
import { GitBranch } from "lucide-react";
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useState, type FormEvent, type ReactNode } from "react";
import { fieldErrors, serverFieldErrors } from "~/components/auth/form-errors";
import { gitPanelHref } from "~/components/git/links";
import { TechStackInput } from "~/components/projects/tech-stack-input";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Card, CardHeader } from "~/components/ui/card";
import { SelectField, TextAreaField, TextField } from "~/components/ui/field";
import { timeAgo } from "~/lib/format";
import { shortCommit } from "~/lib/git/display";
import {
  ARCHITECTURE_LABELS,
  ARCHITECTURE_TYPES,
  PROJECT_LIMITS,
  REPOSITORY_LABELS,
  REPOSITORY_TYPES,
  ZSetEnvVarInput,
  ZUpdateProjectInput,
} from "~/lib/schemas/project";
import { useTRPC } from "~/trpc/react";
import { useProjectSettings } from "./use-project-settings";

type Errors = Record<string, string | undefined>;

/** Submits one section's fields through project.update, with zod's messages under the fields first. */
function useSection(projectId: string) {
  const { update } = useProjectSettings(projectId);
  const [errors, setErrors] = useState<Errors>({});
  const [saved, setSaved] = useState(false);
  async function submit(fields: Record<string, unknown>) {
    setSaved(false);
    const parsed = ZUpdateProjectInput.safeParse({ projectId, ...fields });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error) as Errors);
    setErrors({});
    try {
      await update.mutateAsync(parsed.data);
      setSaved(true);
    } catch (error) {
      setErrors(serverFieldErrors(error) as Errors);
    }
  }
  const status: ReactNode =
    update.isError && Object.keys(errors).length === 0 ? (
      <Alert tone="error">{update.error.message}</Alert>
    ) : saved ? (
      <Alert tone="success">Saved.</Alert>
    ) : null;
  return { submit, errors, status, pending: update.isPending };
}

function formValues(event: FormEvent<HTMLFormElement>) {
  event.preventDefault();
  return Object.fromEntries(new FormData(event.currentTarget)) as Record<string, string>;
}

function numberOrText(value: string | undefined): number | string | undefined {
  if (value === undefined || value.trim() === "") return undefined;
  const number = Number(value);
  return Number.isFinite(number) ? number : value;
}

function Metadata({ projectId }: { projectId: string }) {
  const { settings } = useProjectSettings(projectId);
  const { submit, errors, status, pending } = useSection(projectId);
  const [techStack, setTechStack] = useState(settings.techStack);
  return (
    <Card>
      <CardHeader title="Project" description="What it is and what it is built with." />
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          const form = formValues(event);
          void submit({
            name: form.name,
            description: form.description,
            functionality: form.functionality,
            architectureType: form.architectureType,
            techStack,
          });
        }}
      >
        {status}
        <TextField label="Name" name="name" defaultValue={settings.name} error={errors.name} />
        <TextAreaField
          label="Description"
          name="description"
          defaultValue={settings.description}
          error={errors.description}
          className="min-h-16"
        />
        <TextAreaField
          label="Functionality"
          name="functionality"
          defaultValue={settings.functionality ?? ""}
          error={errors.functionality}
          hint="What the app does, for you and for Claude."
          className="min-h-16"
        />
        <SelectField
          label="Architecture"
          name="architectureType"
          defaultValue={settings.architectureType}
          error={errors.architectureType}
        >
          {ARCHITECTURE_TYPES.map((type) => (
            <option key={type} value={type}>
              {ARCHITECTURE_LABELS[type]}
            </option>
          ))}
        </SelectField>
        <TechStackInput value={techStack} onChange={setTechStack} error={errors.techStack} />
        <Button type="submit" pending={pending}>
          Save project details
        </Button>
      </form>
    </Card>
  );
}

function Limits({ projectId }: { projectId: string }) {
  const { settings } = useProjectSettings(projectId);
  const { submit, errors, status, pending } = useSection(projectId);
  const keys = Object.keys(PROJECT_LIMITS) as (keyof typeof PROJECT_LIMITS)[];
  return (
    <Card>
      <CardHeader title="Resource limits" description="The most this project's preview may use." />
      <form
        noValidate
        className="space-y-4"
        data-testid="limits-form"
        onSubmit={(event) => {
          const form = formValues(event);
          void submit(Object.fromEntries(keys.map((key) => [key, numberOrText(form[key])])));
        }}
      >
        {status}
        <div className="grid gap-4 sm:grid-cols-3">
          {keys.map((key) => {
            const { min, max, label } = PROJECT_LIMITS[key];
            return (
              <TextField
                key={key}
                label={label}
                name={key}
                type="number"
                min={min}
                max={max}
                step={1}
                defaultValue={settings[key] ?? ""}
                error={errors[key]}
                hint={`${min.toLocaleString("en-US")} to ${max.toLocaleString("en-US")}`}
              />
            );
          })}
        </div>
        <Button type="submit" pending={pending}>
          Save limits
        </Button>
      </form>
    </Card>
  );
}

/** The last sync with the remote (Git status), and the way to the IDE's Git panel. */
function SyncState({ projectId }: { projectId: string }) {
  const trpc = useTRPC();
  const git = useQuery(trpc.git.status.queryOptions({ projectId }));
  if (!git.data?.url) return null;
  const { lastSyncAt, syncedCommit, changes } = git.data;
  return (
    <div
      data-testid="repository-sync"
      className="mb-4 flex flex-wrap items-center gap-x-4 gap-y-2 rounded-lg border border-zinc-200 bg-zinc-50 px-3 py-2 text-sm dark:border-zinc-800 dark:bg-zinc-900"
    >
      <span>
        Last sync:{" "}
        {lastSyncAt ? (
          <time dateTime={lastSyncAt.toISOString()} title={lastSyncAt.toLocaleString()}>
            {timeAgo(lastSyncAt)}
          </time>
        ) : (
          "never"
        )}
      </span>
      {syncedCommit && (
        <span>
          Commit{" "}
          <code className="font-mono text-xs" title={syncedCommit} data-testid="repository-synced-commit">
            {shortCommit(syncedCommit)}
          </code>
        </span>
      )}
      <span className="text-zinc-600 dark:text-zinc-400">
        {changes.length === 0
          ? "nothing changed since"
          : `${changes.length} ${changes.length === 1 ? "file" : "files"} changed since`}
      </span>
      <Link
        href={gitPanelHref(projectId)}
        className="ml-auto inline-flex items-center gap-1 font-medium text-brand-700 underline dark:text-brand-100"
        data-testid="repository-git-panel"
      >
        <GitBranch className="size-3.5" aria-hidden /> Push or pull in the Git panel
      </Link>
    </div>
  );
}

function Repository({ projectId }: { projectId: string }) {
  const { settings } = useProjectSettings(projectId);
  const { submit, errors, status, pending } = useSection(projectId);
  return (
    <Card id="repository">
      <CardHeader title="Repository" description="Where the project's code is kept outside Vaporform." />
      <SyncState projectId={projectId} />
      <form
        noValidate
        className="space-y-4"
        onSubmit={(event) => {
          const form = formValues(event);
          void submit({
            repositoryType: form.repositoryType,
            repositoryUrl: form.repositoryUrl,
            repositoryBranch: form.repositoryBranch,
          });
        }}
      >
        {status}
        <SelectField
          label="Repository type"
          name="repositoryType"
          defaultValue={settings.repositoryType ?? "new"}
          error={errors.repositoryType}
        >
          {REPOSITORY_TYPES.map((type) => (
            <option key={type} value={type}>
              {REPOSITORY_LABELS[type]}
            </option>
          ))}
        </SelectField>
        <TextField
          label="Repository URL"
          name="repositoryUrl"
          type="url"
          placeholder="https://github.com/you/project.git"
          defaultValue={settings.repositoryUrl ?? ""}
          error={errors.repositoryUrl}
        />
        <TextField
          label="Branch"
          name="repositoryBranch"
          defaultValue={settings.repositoryBranch ?? "main"}
          error={errors.repositoryBranch}
        />
        <Button type="submit" pending={pending}>
          Save repository
        </Button>
      </form>
    </Card>
  );
}

function EnvVars({ projectId }: { projectId: string }) {
  const { settings, setEnvVar, deleteEnvVar } = useProjectSettings(projectId);
  const [errors, setErrors] = useState<Errors>({});
  const [replacing, setReplacing] = useState<string | null>(null);
  async function onSubmit(event: FormEvent<HTMLFormElement>) {
    const target = event.currentTarget;
    const form = formValues(event);
    const parsed = ZSetEnvVarInput.safeParse({ projectId, name: replacing ?? form.name, value: form.value ?? "" });
    if (!parsed.success) return setErrors(fieldErrors(parsed.error) as Errors);
    setErrors({});
    try {
      await setEnvVar.mutateAsync(parsed.data);
      target.reset();
      setReplacing(null);
    } catch (error) {
      setErrors(serverFieldErrors(error) as Errors);
    }
  }
  return (
    <Card>
      <CardHeader
        title="Environment variables"
        description="Stored encrypted. Values are write-only: once set, they are never shown again, only replaced or deleted."
      />
      {(setEnvVar.isError || deleteEnvVar.isError) && Object.keys(errors).length === 0 && (
        <Alert tone="error">{(setEnvVar.error ?? deleteEnvVar.error)?.message}</Alert>
      )}
      {settings.envVars.length === 0 ? (
        <p className="text-sm text-zinc-600 dark:text-zinc-400">No environment variables yet.</p>
      ) : (
        <ul className="divide-y divide-zinc-200 dark:divide-zinc-800" data-testid="env-vars">
          {settings.envVars.map((envVar) => (
            <li key={envVar.name} className="flex flex-wrap items-center gap-3 py-2 text-sm" data-testid="env-var">
              <code className="font-mono font-medium">{envVar.name}</code>
              <span className="font-mono text-zinc-500" aria-label="value hidden">
                •••••••• set
              </span>
              {envVar.updatedAt && (
                <span className="text-xs text-zinc-500" suppressHydrationWarning>
                  updated {timeAgo(new Date(envVar.updatedAt))}
                </span>
              )}
              <span className="ml-auto flex gap-1">
                <Button size="sm" variant="ghost" onClick={() => setReplacing(envVar.name)}>
                  Replace
                </Button>
                <Button
                  size="sm"
                  variant="ghost"
                  pending={deleteEnvVar.isPending && deleteEnvVar.variables?.name === envVar.name}
                  onClick={() => deleteEnvVar.mutate({ projectId, name: envVar.name })}
                >
                  Delete
                </Button>
              </span>
            </li>
          ))}
        </ul>
      )}
      <form noValidate onSubmit={onSubmit} className="mt-4 grid gap-3 sm:grid-cols-[1fr_1fr_auto] sm:items-end">
        {replacing ? (
          <p className="text-sm">
            New value for <code className="font-mono">{replacing}</code>{" "}
            <button type="button" className="text-xs underline" onClick={() => setReplacing(null)}>
              cancel
            </button>
          </p>
        ) : (
          <TextField label="Name" name="name" placeholder="API_KEY" autoComplete="off" error={errors.name} />
        )}
        <TextField label="Value" name="value" type="password" autoComplete="new-password" error={errors.value} />
        <Button type="submit" pending={setEnvVar.isPending}>
          {replacing ? "Replace" : "Add"}
        </Button>
      </form>
    </Card>
  );
}

function DangerZone({ projectId }: { projectId: string }) {
  const router = useRouter();
  const { settings, archive, unarchive, remove } = useProjectSettings(projectId);
  const [confirmName, setConfirmName] = useState("");
  const archived = Boolean(settings.archivedAt);
  const toggle = archived ? unarchive : archive;
  return (
    <Card className="border-red-200 dark:border-red-900">
      <CardHeader title="Archive or delete" />
      <div className="space-y-6">
        <div className="space-y-2">
          {toggle.isError && <Alert tone="error">{toggle.error.message}</Alert>}
          <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="archive-state">
            {archived
              ? "This project is archived: read-only, hidden from the projects list unless you show archived ones."
              : "Archiving makes the project read-only (no saves, imports or Claude) and hides it from the list."}
          </p>
          <Button variant="secondary" pending={toggle.isPending} onClick={() => toggle.mutate({ projectId })}>
            {archived ? "Unarchive" : "Archive project"}
          </Button>
        </div>
        <form
          noValidate
          className="space-y-2"
          onSubmit={(event) => {
            event.preventDefault();
            remove.mutate({ projectId, confirmName }, { onSuccess: () => router.push("/projects") });
          }}
        >
          {remove.isError && <Alert tone="error">{remove.error.message}</Alert>}
          <p className="text-sm text-zinc-600 dark:text-zinc-400" data-testid="delete-explained">
            Deleting removes the project for good: its files and their history, activity, Claude conversations,
            integrations and preview. What its Claude turns cost stays in your usage and budget, and in the
            install&apos;s totals, as a deleted project, without your prompts or Claude&apos;s answers.
          </p>
          <TextField
            label={`Type ${settings.name} to delete the project and all its files and history`}
            name="confirmName"
            value={confirmName}
            autoComplete="off"
            onChange={(event) => setConfirmName(event.target.value)}
          />
          <Button type="submit" variant="danger" disabled={confirmName !== settings.name} pending={remove.isPending}>
            Delete project
          </Button>
        </form>
      </div>
    </Card>
  );
}

/** The settings page of one project: details, environment variables, limits, repository, archive and delete. */
export function ProjectSettings({ projectId }: { projectId: string }) {
  const { settings } = useProjectSettings(projectId);
  return (
    <div className="mx-auto max-w-3xl space-y-6 px-4 py-10">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div>
          <h1 className="text-2xl font-semibold tracking-tight">{settings.name}: settings</h1>
          {settings.archivedAt && (
            <p className="mt-1 text-sm font-medium text-amber-700 dark:text-amber-300" data-testid="settings-archived">
              Archived (read-only)
            </p>
          )}
        </div>
        <Button asChild variant="secondary" size="sm">
          <a href={`/projects/${projectId}`}>Open in the IDE</a>
        </Button>
      </div>
      <Metadata projectId={projectId} />
      <EnvVars projectId={projectId} />
      <Limits projectId={projectId} />
      <Repository projectId={projectId} />
      <DangerZone projectId={projectId} />
    </div>
  );
}
