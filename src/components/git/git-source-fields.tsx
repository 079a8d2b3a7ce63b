"use client";

import { useQueryClient } from "@tanstack/react-query";
import { GitBranch, KeyRound } from "lucide-react";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { ZGitBranchesInput } from "~/lib/git/schemas";
import { useTRPC } from "~/trpc/react";

const OTHER_BRANCH = "\u0000other";

export type GitSourceErrors = Partial<Record<"url" | "branch" | "username" | "token", string>>;

/**
 * The remote part of the "From Git" form: the repository's URL, its branches (loaded on request, the default one
 * chosen; another can be typed), and optional credentials. Its inputs are named `url`, `branch`, `username` and
 * `token`, so the enclosing form reads them from its FormData.
 */
export function GitSourceFields({
  errors,
  disabled,
  onUrlChange,
}: {
  errors: GitSourceErrors;
  disabled?: boolean;
  onUrlChange(url: string): void;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [url, setUrl] = useState("");
  const [username, setUsername] = useState("");
  const [token, setToken] = useState("");
  const [loaded, setLoaded] = useState<{ url: string; branches: string[]; defaultBranch: string | null } | null>(null);
  // The branch chosen in the list (OTHER_BRANCH: the one typed below), and the one typed.
  const [choice, setChoice] = useState(OTHER_BRANCH);
  const [typed, setTyped] = useState("");
  const [loading, setLoading] = useState(false);
  const [loadError, setLoadError] = useState<string | null>(null);

  async function loadBranches() {
    setLoadError(null);
    const parsed = ZGitBranchesInput.safeParse({
      url,
      username: username || undefined,
      token: token || undefined,
    });
    if (!parsed.success) return setLoadError(parsed.error.issues[0]?.message ?? "Check the URL.");
    setLoading(true);
    try {
      // Asked afresh every time, and not kept in the cache: its key holds the token.
      const result = await queryClient.fetchQuery({
        ...trpc.git.branches.queryOptions(parsed.data),
        staleTime: 0,
        gcTime: 0,
      });
      setLoaded({ url, ...result });
      setChoice(result.defaultBranch ?? result.branches[0] ?? OTHER_BRANCH);
      if (result.branches.length === 0) setLoadError("This repository has no branches yet: type the one to import.");
    } catch (error) {
      setLoaded(null);
      setLoadError((error as Error).message);
    } finally {
      setLoading(false);
    }
  }

  // Branches of another URL than the one now typed are not offered.
  const branches = loaded && loaded.url === url && loaded.branches.length > 0 ? loaded.branches : null;
  const typing = !branches || choice === OTHER_BRANCH;
  return (
    <div className="space-y-4" data-testid="git-source">
      {/* The button sits beside the field, level with the input (below the label). */}
      <div className="grid grid-cols-[1fr_auto] items-start gap-2">
        <TextField
          label="Repository URL"
          name="url"
          type="url"
          inputMode="url"
          autoComplete="off"
          spellCheck={false}
          required
          placeholder="https://github.com/you/project.git"
          value={url}
          disabled={disabled}
          onChange={(event) => {
            setUrl(event.target.value);
            onUrlChange(event.target.value);
          }}
          error={errors.url ?? loadError ?? undefined}
          hint="An http:// or https:// address of a Git repository."
        />
        <Button
          type="button"
          variant="secondary"
          pending={loading}
          disabled={disabled || url.trim() === ""}
          onClick={() => void loadBranches()}
          className="mt-6.5 h-[38px]"
          data-testid="git-load-branches"
        >
          <GitBranch className="size-4" aria-hidden /> Load branches
        </Button>
      </div>
      {branches && (
        <SelectField
          label="Branch"
          value={choice}
          disabled={disabled}
          onChange={(event) => setChoice(event.target.value)}
          // The text field below carries the value when "Another branch…" is chosen.
          name={typing ? undefined : "branch"}
          error={typing ? undefined : errors.branch}
          data-testid="git-branch-select"
        >
          {branches.map((name) => (
            <option key={name} value={name}>
              {name}
              {name === loaded?.defaultBranch ? " (default)" : ""}
            </option>
          ))}
          <option value={OTHER_BRANCH}>Another branch…</option>
        </SelectField>
      )}
      {typing && (
        <TextField
          label={branches ? "Other branch" : "Branch"}
          name="branch"
          autoComplete="off"
          spellCheck={false}
          value={typed}
          disabled={disabled}
          placeholder={branches ? "" : "The repository's default branch"}
          onChange={(event) => setTyped(event.target.value)}
          error={errors.branch}
          hint={branches ? undefined : "Leave empty for the default branch, or load the branches to choose one."}
        />
      )}
      <fieldset className="space-y-3 rounded-lg border border-zinc-200 p-3 dark:border-zinc-700">
        <legend className="flex items-center gap-1.5 px-1 text-sm font-medium text-zinc-800 dark:text-zinc-200">
          <KeyRound className="size-3.5 text-brand-600 dark:text-brand-100" aria-hidden /> Credentials (optional)
        </legend>
        <div className="grid gap-3 sm:grid-cols-2">
          <TextField
            label="Username"
            name="username"
            autoComplete="off"
            spellCheck={false}
            value={username}
            disabled={disabled}
            onChange={(event) => setUsername(event.target.value)}
            error={errors.username}
          />
          <TextField
            label="Access token"
            name="token"
            type="password"
            autoComplete="new-password"
            value={token}
            disabled={disabled}
            onChange={(event) => setToken(event.target.value)}
            error={errors.token}
          />
        </div>
        <p className="text-xs text-zinc-500 dark:text-zinc-400">
          For a private repository, and to push. The token is stored encrypted with the project and used only to push
          and pull; it is never shown again.
        </p>
      </fieldset>
    </div>
  );
}
