"use client";

import { GitBranch } from "lucide-react";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { useState } from "react";
import { Button } from "~/components/ui/button";
import { Dialog, DialogTrigger } from "~/components/ui/dialog";
import { LazyGitPanel } from "./lazy";
import { GIT_PANEL_PARAM } from "./links";

/**
 * The IDE toolbar's "Git" action: the project's remote, what changed since the last sync, push and pull. The panel
 * is its own chunk, fetched the first time it opens.
 */
export function GitButton({ projectId }: { projectId: string }) {
  const searchParams = useSearchParams();
  const router = useRouter();
  const pathname = usePathname();
  const [open, setOpen] = useState(() => searchParams.has(GIT_PANEL_PARAM));
  return (
    <Dialog
      open={open}
      onOpenChange={(next) => {
        setOpen(next);
        // Closed, the panel is no longer part of the address (a reload does not open it again).
        if (!next && searchParams.has(GIT_PANEL_PARAM)) {
          const rest = new URLSearchParams(searchParams);
          rest.delete(GIT_PANEL_PARAM);
          router.replace(rest.size > 0 ? `${pathname}?${rest}` : pathname, { scroll: false });
        }
      }}
    >
      <DialogTrigger asChild>
        <Button
          variant="ghost"
          size="sm"
          title="Push to and pull from the project's Git repository"
          aria-label="Git"
          data-testid="git-toggle"
        >
          <GitBranch className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Git</span>
        </Button>
      </DialogTrigger>
      {open && <LazyGitPanel projectId={projectId} />}
    </Dialog>
  );
}
