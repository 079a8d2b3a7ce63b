"use client";

import { useState, type FormEvent, type ReactNode } from "react";
import { Alert } from "./alert";
import { Dialog, DialogContent, DialogFormActions } from "./dialog";
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
    <Dialog open={open} onOpenChange={(next) => (setError(undefined), onOpenChange(next))}>
      <DialogContent title={title} description={description ?? label} className="top-1/3">
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
          <DialogFormActions submitLabel={confirmLabel} pending={pending} />
        </form>
      </DialogContent>
    </Dialog>
  );
}
