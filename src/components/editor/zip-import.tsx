"use client";

import { FileArchive } from "lucide-react";
import { useRef, useState } from "react";
import { Alert } from "~/components/ui/alert";
import { Button } from "~/components/ui/button";
import { Dialog, DialogClose, DialogContent } from "~/components/ui/dialog";
import { formatBytes } from "~/lib/bytes";
import { useIdeActions } from "./ide-provider";

type Phase =
  | { step: "idle" }
  | { step: "uploading"; percent: number }
  | { step: "importing" }
  | { step: "done"; imported: number; skipped: number }
  | { step: "failed"; message: string };

/** Import a zip into the project (all or nothing, node_modules and .git skipped), with a progress bar. */
export function ZipImportButton() {
  const { importZip } = useIdeActions();
  const input = useRef<HTMLInputElement>(null);
  const [phase, setPhase] = useState<Phase>({ step: "idle" });
  const [name, setName] = useState("");

  async function start(file: File) {
    setName(`${file.name} (${formatBytes(file.size)})`);
    setPhase({ step: "uploading", percent: 0 });
    try {
      const result = await importZip(
        file,
        (percent) => setPhase({ step: "uploading", percent }),
        () => setPhase({ step: "importing" }),
      );
      setPhase({ step: "done", imported: result.imported, skipped: result.skipped.length });
    } catch (error) {
      setPhase({ step: "failed", message: (error as Error).message });
    }
  }

  const busy = phase.step === "uploading" || phase.step === "importing";
  const percent =
    phase.step === "uploading" ? phase.percent : phase.step === "importing" || phase.step === "done" ? 100 : 0;
  return (
    <>
      <Button
        variant="ghost"
        size="sm"
        onClick={() => input.current?.click()}
        title="Import a zip archive"
        aria-label="Import zip"
      >
        <FileArchive className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Import zip</span>
      </Button>
      <input
        ref={input}
        type="file"
        accept=".zip,application/zip"
        hidden
        data-testid="zip-input"
        onChange={(event) => {
          const file = event.target.files?.[0];
          if (file) void start(file);
          event.target.value = "";
        }}
      />
      <Dialog open={phase.step !== "idle"} onOpenChange={(open) => !open && !busy && setPhase({ step: "idle" })}>
        <DialogContent
          title={`Import ${name}`}
          description="All files are imported together, or none are. node_modules and .git are skipped."
          className="w-[min(28rem,calc(100vw-2rem))]"
        >
          <div className="mt-4 space-y-3">
            <div
              role="progressbar"
              aria-label="Import progress"
              aria-valuemin={0}
              aria-valuemax={100}
              aria-valuenow={percent}
              className="h-2 overflow-hidden rounded-full bg-zinc-200 dark:bg-zinc-800"
            >
              <div
                className={`h-full rounded-full transition-all ${phase.step === "failed" ? "bg-red-500" : "bg-brand-600"} ${phase.step === "importing" ? "animate-pulse" : ""}`}
                style={{ width: `${percent}%` }}
              />
            </div>
            <p className="text-sm text-zinc-600 dark:text-zinc-400" aria-live="polite">
              {phase.step === "uploading" && `Uploading… ${phase.percent}%`}
              {phase.step === "importing" && "Unpacking and saving files…"}
            </p>
            {phase.step === "done" && (
              <Alert tone="success">
                Imported {phase.imported} files
                {phase.skipped > 0 ? `; skipped ${phase.skipped} (node_modules, .git and the like)` : ""}.
              </Alert>
            )}
            {phase.step === "failed" && <Alert tone="error">{phase.message} Nothing was changed.</Alert>}
          </div>
          <div className="mt-5 flex justify-end">
            <DialogClose asChild>
              <Button variant="secondary" disabled={busy}>
                Close
              </Button>
            </DialogClose>
          </div>
        </DialogContent>
      </Dialog>
    </>
  );
}
