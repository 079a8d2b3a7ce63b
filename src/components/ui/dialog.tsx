"use client";

import * as DialogPrimitive from "@radix-ui/react-dialog";
import type { ReactNode } from "react";
import { cn } from "~/lib/cn";
import { Button } from "./button";

export const Dialog = DialogPrimitive.Root;
export const DialogTrigger = DialogPrimitive.Trigger;
export const DialogClose = DialogPrimitive.Close;

/**
 * The app's modal: overlay, centred panel, title and description (screen readers announce both). `description`
 * may be omitted only when the title says it all; it is then the title again, for assistive technology only.
 */
export function DialogContent({
  title,
  description,
  children,
  className,
  role,
}: {
  title: ReactNode;
  description?: ReactNode;
  children: ReactNode;
  className?: string;
  role?: "dialog" | "alertdialog";
}) {
  return (
    <DialogPrimitive.Portal>
      <DialogPrimitive.Overlay className="fixed inset-0 z-40 bg-black/40" />
      <DialogPrimitive.Content
        // Radix sets role="dialog" itself; an explicit undefined would erase it.
        {...(role ? { role } : {})}
        className={cn(
          "fixed left-1/2 top-1/2 z-50 w-[min(32rem,calc(100vw-2rem))] -translate-x-1/2 -translate-y-1/2 rounded-xl border border-zinc-200 bg-white p-6 shadow-xl dark:border-zinc-800 dark:bg-zinc-900",
          className,
        )}
      >
        <DialogPrimitive.Title className="text-lg font-semibold">{title}</DialogPrimitive.Title>
        <DialogPrimitive.Description
          className={description ? "mt-1 text-sm text-zinc-600 dark:text-zinc-400" : "sr-only"}
        >
          {description ?? title}
        </DialogPrimitive.Description>
        {children}
      </DialogPrimitive.Content>
    </DialogPrimitive.Portal>
  );
}

/** The buttons at the foot of a dialog's form: Cancel closes it, the submit button shows progress. */
export function DialogFormActions({ submitLabel, pending }: { submitLabel: ReactNode; pending?: boolean }) {
  return (
    <div className="flex justify-end gap-2">
      <DialogPrimitive.Close asChild>
        <Button type="button" variant="secondary">
          Cancel
        </Button>
      </DialogPrimitive.Close>
      <Button type="submit" pending={pending}>
        {submitLabel}
      </Button>
    </div>
  );
}
