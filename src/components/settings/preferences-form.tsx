"use client";

import { useMutation, useQueryClient, useSuspenseQuery } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { useState, type FormEvent } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { SelectField, TextField } from "~/components/ui/field";
import { Switch } from "~/components/ui/switch";
import {
  ASSISTANT_APPLY_MODES,
  AUTOSAVE_MODES,
  THEMES,
  ZUpdatePreferencesInput,
  type TPreferences,
} from "~/lib/schemas/account";
import { THEME_STORAGE_KEY } from "~/lib/theme";
import { useTRPC } from "~/trpc/react";

const THEME_LABELS: Record<(typeof THEMES)[number], string> = {
  system: "Follow the system",
  light: "Light",
  dark: "Dark",
};
const AUTOSAVE_LABELS: Record<(typeof AUTOSAVE_MODES)[number], string> = {
  off: "Off: save with Ctrl/Cmd+S",
  afterDelay: "After a pause in typing",
  onFocusChange: "When the editor loses focus",
};

const ASSISTANT_APPLY_LABELS: Record<(typeof ASSISTANT_APPLY_MODES)[number], string> = {
  auto: "Apply them at once (undo any turn later)",
  review: "Wait for my review (accept or reject each file)",
};

export function PreferencesForm() {
  const trpc = useTRPC();
  const router = useRouter();
  const queryClient = useQueryClient();
  const { data: me } = useSuspenseQuery(trpc.account.me.queryOptions());
  const [prefs, setPrefs] = useState<TPreferences>(me.preferences);
  const [error, setError] = useState<string>();
  const save = useMutation(
    trpc.account.updatePreferences.mutationOptions({
      onSuccess: async () => {
        await queryClient.invalidateQueries({ queryKey: trpc.account.me.queryKey() });
        router.refresh();
      },
    }),
  );

  function set<K extends keyof TPreferences>(key: K, value: TPreferences[K]) {
    setPrefs((current) => ({ ...current, [key]: value }));
  }

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const parsed = ZUpdatePreferencesInput.safeParse(prefs);
    if (!parsed.success) return setError(parsed.error.issues[0]?.message);
    setError(undefined);
    save.mutate(parsed.data, {
      onSuccess: () => {
        // Apply the theme now, in this browser too.
        const dark =
          prefs.theme === "dark" || (prefs.theme === "system" && matchMedia("(prefers-color-scheme: dark)").matches);
        document.documentElement.classList.toggle("dark", dark);
        if (prefs.theme === "system") localStorage.removeItem(THEME_STORAGE_KEY);
        else localStorage.setItem(THEME_STORAGE_KEY, prefs.theme);
      },
    });
  }

  return (
    <form onSubmit={onSubmit} className="space-y-5" noValidate aria-label="Preferences">
      {save.isSuccess && <Alert tone="success">Preferences saved.</Alert>}
      {(error || save.isError) && <Alert tone="error">{error ?? save.error?.message}</Alert>}
      <SelectField
        label="Theme"
        value={prefs.theme}
        onChange={(event) => set("theme", event.target.value as TPreferences["theme"])}
      >
        {THEMES.map((theme) => (
          <option key={theme} value={theme}>
            {THEME_LABELS[theme]}
          </option>
        ))}
      </SelectField>
      <div className="grid gap-4 sm:grid-cols-2">
        <TextField
          label="Editor font size"
          hint="10 to 32 px"
          type="number"
          min={10}
          max={32}
          value={prefs.editorFontSize}
          onChange={(event) => set("editorFontSize", Number(event.target.value))}
        />
        <TextField
          label="Tab size"
          hint="1 to 8 spaces"
          type="number"
          min={1}
          max={8}
          value={prefs.tabSize}
          onChange={(event) => set("tabSize", Number(event.target.value))}
        />
      </div>
      <div className="flex items-center justify-between gap-4">
        <label htmlFor="word-wrap" className="text-sm font-medium text-zinc-800 dark:text-zinc-200">
          Wrap long lines in the editor
        </label>
        <Switch id="word-wrap" checked={prefs.wordWrap} onCheckedChange={(checked) => set("wordWrap", checked)} />
      </div>
      <SelectField
        label="Autosave"
        value={prefs.autosave}
        onChange={(event) => set("autosave", event.target.value as TPreferences["autosave"])}
      >
        {AUTOSAVE_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {AUTOSAVE_LABELS[mode]}
          </option>
        ))}
      </SelectField>
      {prefs.autosave === "afterDelay" && (
        <TextField
          label="Autosave delay (ms)"
          hint="200 to 10000"
          type="number"
          min={200}
          max={10000}
          step={100}
          value={prefs.autosaveDelayMs}
          onChange={(event) => set("autosaveDelayMs", Number(event.target.value))}
        />
      )}
      <SelectField
        label="Claude's changes to files"
        value={prefs.assistantApply}
        onChange={(event) => set("assistantApply", event.target.value as TPreferences["assistantApply"])}
      >
        {ASSISTANT_APPLY_MODES.map((mode) => (
          <option key={mode} value={mode}>
            {ASSISTANT_APPLY_LABELS[mode]}
          </option>
        ))}
      </SelectField>
      <Button type="submit" pending={save.isPending}>
        Save preferences
      </Button>
    </form>
  );
}
