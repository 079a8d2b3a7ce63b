"use client";

import { useMutation } from "@tanstack/react-query";
import { Moon, Sun } from "lucide-react";
import { useSyncExternalStore } from "react";
import { THEME_STORAGE_KEY } from "~/lib/theme";
import { useTRPC } from "~/trpc/react";

function subscribe(onChange: () => void) {
  const observer = new MutationObserver(onChange);
  observer.observe(document.documentElement, { attributes: true, attributeFilter: ["class"] });
  return () => observer.disconnect();
}

/**
 * Switches between the light and dark theme. Remembered in this browser, and for a signed-in user in their
 * preferences, so every browser they use follows.
 */
export function ThemeToggle({ signedIn }: { signedIn: boolean }) {
  const trpc = useTRPC();
  const savePreference = useMutation(trpc.account.updatePreferences.mutationOptions());
  const dark = useSyncExternalStore(
    subscribe,
    () => document.documentElement.classList.contains("dark"),
    () => false,
  );
  const label = dark ? "Switch to light theme" : "Switch to dark theme";
  return (
    <button
      type="button"
      onClick={() => {
        const next = dark ? "light" : "dark";
        document.documentElement.classList.toggle("dark", next === "dark");
        localStorage.setItem(THEME_STORAGE_KEY, next);
        if (signedIn) savePreference.mutate({ theme: next });
      }}
      aria-label={label}
      title={label}
      className="inline-flex size-9 items-center justify-center rounded-md border border-zinc-200 text-zinc-600 hover:bg-zinc-100 dark:border-zinc-800 dark:text-zinc-300 dark:hover:bg-zinc-900"
    >
      {dark ? <Sun className="size-4" aria-hidden /> : <Moon className="size-4" aria-hidden />}
    </button>
  );
}
