"use client";

import * as Dialog from "@radix-ui/react-dialog";
import { useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "./alert";
import { Button } from "./button";
import { TextField } from "./field";

/**
 * Asks for one value (a file name, a new path). `onSubmit` may reject with a message, which stays on screen with
 * the dialog open, so nothing the user typed is lost.
 */
export function PromptDialog({
  open,
  onOpenChange,
  title,
  description,
  label,
  initialValue,
  confirmLabel,
  onSubmit,
}: {
  open: boolean;
  onOpenChange(open: boolean): void;
  title: string;
  description?: ReactNode;
  label: string;
  initialValue: string;
  confirmLabel: string;
  onSubmit(value: string): Promise<void>;
}) {
  const [error, setError] = useState<string>();
  const [pending, setPending] = useState(false);

  async function submit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const value = String(new FormData(event.currentTarget).get("value") ?? "");
    setPending(true);
    setError(undefined);
    try {
      await onSubmit(value);
      onOpenChange(false);
    } catch (failure) {
      setError(failure instanceof Error ? failure.message : String(failure));
    } finally {
      setPending(false);
    }
  }

  return (
    <Dialog.Root open={open} onOpenChange={(next) => (setError(undefined), onOpenChange(next))}>
      <Dialog.Portal>
        <Dialog.Overlay className="fixed inset-0 z-40 bg-black/40" />
        <Dialog.Content className="fixed left-1/2 top-1/3 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 rounded-xl border border-zinc-200 bg-white p-6 shadow-xl dark:border-zinc-800 dark:bg-zinc-900">
          <Dialog.Title className="text-lg font-semibold">{title}</Dialog.Title>
          {description ? (
            <Dialog.Description className="mt-1 text-sm text-zinc-600 dark:text-zinc-400">{description}</Dialog.Description>
          ) : (
            <Dialog.Description className="sr-only">{label}</Dialog.Description>
          )}
          <form onSubmit={submit} className="mt-4 space-y-4">
            {error && <Alert tone="error">{error}</Alert>}
            <TextField
              label={label}
              name="value"
              defaultValue={initialValue}
              autoFocus
              spellCheck={false}
              autoComplete="off"
              onFocus={(event) => {
                // Select the name, not the folder in front of it.
                const value = event.currentTarget.value;
                const start = value.lastIndexOf("/") + 1;
                const dot = value.lastIndexOf(".");
                event.currentTarget.setSelectionRange(start, dot > start ? dot : value.length);
              }}
            />
            <div className="flex justify-end gap-2">
              <Dialog.Close asChild>
                <Button type="button" variant="secondary">
                  Cancel
                </Button>
              </Dialog.Close>
              <Button type="submit" pending={pending}>
                {confirmLabel}
              </Button>
            </div>
          </form>
        </Dialog.Content>
      </Dialog.Portal>
    </Dialog.Root>
  );
}
