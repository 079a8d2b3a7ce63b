"use client";

import {
  Activity,
  Download,
  History,
  LayoutDashboard,
  Plug,
  Save,
  MonitorPlay,
  Search,
  Settings,
  Sparkles,
} from "lucide-react";
import Link from "next/link";
import { useSearchParams } from "next/navigation";
import { useCallback, useEffect, useRef, useState } from "react";
import { LazyAssistantPanel } from "~/components/assistant/lazy";
import { GitButton } from "~/components/git/git-button";
import { ArchivedBanner } from "~/components/projects/archived-banner";
import { PreviewPanel } from "~/components/preview/preview-panel";
import { PublishTemplateDialog } from "~/components/templates/publish-template-dialog";
import { TemplateUpgradeBanner } from "~/components/templates/upgrade/upgrade-banner";
import { Button } from "~/components/ui/button";
import { ConfirmDialog } from "~/components/ui/confirm-dialog";
import { ResizeHandle, usePaneWidth } from "~/components/ui/resize-handle";
import { ProjectBudgetDialog } from "~/components/usage/project-budget-dialog";
import { cn } from "~/lib/cn";
import { languageForPath } from "~/lib/file-types";
import type { TPreferences } from "~/lib/schemas/account";
import { ActivityPanel } from "./activity-panel";
import { EditorArea } from "./editor-area";
import { EditorTabs } from "./editor-tabs";
import { FileTree } from "./file-tree/tree";
import { HistoryPanel } from "./history-panel";
import { IdeProvider, useAssistantUi, useIdeActions, useIdeState, useUnsaved, type SidePanel } from "./ide-provider";
import { disposeEditorModel, disposeProjectEditorModels } from "./monaco/lazy";
import { QuickOpen } from "./quick-open";
import { SearchPanel } from "./search-panel";
import { ZipImportButton } from "./zip-import";

const SIDE_PANELS: { id: SidePanel; label: string; icon: typeof Search; shortcut: string }[] = [
  { id: "search", label: "Search", icon: Search, shortcut: "Ctrl/⌘+Shift+F" },
  { id: "history", label: "History", icon: History, shortcut: "" },
  { id: "activity", label: "Activity", icon: Activity, shortcut: "" },
];

function StatusBar() {
  const { state } = useIdeState();
  const unsaved = useUnsaved();
  const file = state.active ? state.files[state.active] : undefined;
  const dirtyCount = unsaved.size;
  let status = "";
  if (file?.saving) status = "Saving…";
  else if (file?.saveError) status = `Not saved: ${file.saveError}`;
  else if (file?.conflict) status = "Conflict: choose a version";
  else if (file && unsaved.has(file.path)) status = "Unsaved changes";
  else if (file?.status === "ready") status = "Saved";
  return (
    <div className="flex h-6 shrink-0 items-center gap-4 border-t border-zinc-200 bg-zinc-50 px-3 text-xs text-zinc-600 dark:border-zinc-800 dark:bg-zinc-900 dark:text-zinc-400">
      <span
        data-testid="save-status"
        className={cn(file?.saveError && "text-red-600 dark:text-red-400")}
        aria-live="polite"
      >
        {status}
      </span>
      {file?.status === "ready" && (
        <>
          <span>Version {file.baseVersion}</span>
          <span>{file.isBinary ? "binary" : languageForPath(file.path)}</span>
        </>
      )}
      {dirtyCount > 1 && <span className="ml-auto">{dirtyCount} files unsaved</span>}
    </div>
  );
}

function Workbench() {
  const { dispatch, save, saveAll, showSidePanel, setQuickOpen, projectId, projectName, openFile, toggleAssistant } =
    useIdeActions();
  const { state, sidePanel, paths } = useIdeState();
  const assistant = useAssistantUi();
  const unsaved = useUnsaved();
  const [closing, setClosing] = useState<string | null>(null);
  const filesPane = usePaneWidth("files", 260, 160, 560);
  const sidePane = usePaneWidth("side", 340, 240, 720);
  const assistantPane = usePaneWidth("assistant", 420, 300, 900);
  const previewPane = usePaneWidth("preview", 480, 280, 1200);
  const [previewOpen, setPreviewOpen] = useState(false);
  // Changes when a save lands (an open file's base version moves): the preview reloads to show it.
  const savedVersions = Object.entries(state.files)
    .map(([path, file]) => `${path}:${file.baseVersion}`)
    .join("|");
  const searchParams = useSearchParams();

  // Links from elsewhere (a search across projects) can name a file and line to open.
  const handledLink = useRef(false);
  useEffect(() => {
    const open = searchParams.get("open");
    if (handledLink.current || !open || !paths.includes(open)) return;
    handledLink.current = true;
    openFile(open, Number(searchParams.get("line")) || undefined);
  }, [openFile, paths, searchParams]);

  const close = useCallback(
    (path: string) => {
      if (unsaved.has(path)) return setClosing(path);
      dispatch({ type: "close", path });
      disposeEditorModel(projectId, path);
    },
    [dispatch, projectId, unsaved],
  );

  // Closing the assistant with the focus inside it (its close button, Ctrl/⌘+I in the prompt) would drop the
  // focus on the page: it goes to the toolbar button that opens it again.
  const assistantWasOpen = useRef(assistant.open);
  useEffect(() => {
    if (assistantWasOpen.current && !assistant.open && document.activeElement === document.body) {
      document.getElementById("assistant-toggle")?.focus();
    }
    assistantWasOpen.current = assistant.open;
  }, [assistant.open]);

  // Keyboard first: these work wherever the focus is, and win over the browser's own shortcuts.
  useEffect(() => {
    const onKey = (event: KeyboardEvent) => {
      const mod = event.ctrlKey || event.metaKey;
      // The editor handles its own Ctrl/Cmd+S (and marks the event handled); this covers focus anywhere else.
      if (!mod || event.defaultPrevented) return;
      const key = event.key.toLowerCase();
      if (key === "s" && event.altKey) {
        event.preventDefault();
        void saveAll().catch(() => {});
      } else if (key === "s") {
        event.preventDefault();
        if (state.active) void save(state.active).catch(() => {});
      } else if (key === "p" && !event.shiftKey) {
        event.preventDefault();
        setQuickOpen(true);
      } else if (key === "f" && event.shiftKey) {
        event.preventDefault();
        showSidePanel("search");
      } else if (key === "i" && !event.shiftKey && !event.altKey) {
        event.preventDefault();
        toggleAssistant();
      }
    };
    window.addEventListener("keydown", onKey);
    return () => window.removeEventListener("keydown", onKey);
  }, [save, saveAll, setQuickOpen, showSidePanel, state.active, toggleAssistant]);

  const dirtyCount = unsaved.size;
  return (
    <div className="flex h-[calc(100dvh-3.5rem)] flex-col">
      <div className="flex h-10 shrink-0 items-center gap-2 border-b border-zinc-200 px-3 dark:border-zinc-800">
        <h1 className="max-w-[40%] min-w-32 shrink-0 truncate text-sm font-semibold" title={projectName}>
          {projectName}
        </h1>
        {/* One row that never squeezes the project's name: on a narrow window the toolbar scrolls sideways. */}
        <div className="ml-auto flex min-w-0 items-center gap-1 overflow-x-auto whitespace-nowrap [&>*]:shrink-0">
          <Button variant="ghost" size="sm" onClick={() => setQuickOpen(true)} title="Go to file (Ctrl/⌘+P)">
            Go to file…
          </Button>
          <Button
            variant="ghost"
            size="sm"
            disabled={dirtyCount === 0}
            onClick={() => void saveAll().catch(() => {})}
            title="Save all (Ctrl/⌘+Alt+S)"
          >
            <Save className="size-4" aria-hidden /> Save all
          </Button>
          <ZipImportButton />
          <Button asChild variant="ghost" size="sm">
            <a
              href={`/api/projects/${projectId}/export`}
              download
              title="Download the project as a zip"
              aria-label="Export zip"
            >
              <Download className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Export zip</span>
            </a>
          </Button>
          <PublishTemplateDialog projectId={projectId} projectName={projectName} />
          <Button asChild variant="ghost" size="sm">
            <Link
              href={`/projects/${projectId}/dashboard`}
              title="Counters, activity, infrastructure and AI cost"
              aria-label="Dashboard"
            >
              <LayoutDashboard className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Dashboard</span>
            </Link>
          </Button>
          <Button asChild variant="ghost" size="sm">
            <Link
              href={`/projects/${projectId}/integrations`}
              title="Webhooks and services this project talks to"
              aria-label="Integrations"
            >
              <Plug className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Integrations</span>
            </Link>
          </Button>
          <GitButton projectId={projectId} />
          <ProjectBudgetDialog projectId={projectId} projectName={projectName} />
          <Button asChild variant="ghost" size="sm">
            <Link
              href={`/projects/${projectId}/settings`}
              title="Project settings"
              aria-label="Settings"
              data-testid="project-settings-link"
            >
              <Settings className="size-4" aria-hidden /> <span className="hidden 2xl:inline">Settings</span>
            </Link>
          </Button>
          <div
            role="group"
            aria-label="Side panel"
            className="ml-2 flex rounded-md border border-zinc-200 dark:border-zinc-800"
          >
            {SIDE_PANELS.map(({ id, label, icon: Icon, shortcut }) => (
              <button
                key={id}
                type="button"
                aria-pressed={sidePanel === id}
                title={shortcut ? `${label} (${shortcut})` : label}
                onClick={() => showSidePanel(sidePanel === id ? null : id)}
                className={cn(
                  "inline-flex items-center gap-1 px-2 py-1 text-xs",
                  sidePanel === id
                    ? "bg-brand-50 text-brand-700 dark:bg-brand-700/20 dark:text-brand-100"
                    : "text-zinc-600 hover:bg-zinc-100 dark:text-zinc-400 dark:hover:bg-zinc-800",
                )}
              >
                <Icon className="size-3.5" aria-hidden /> {label}
              </button>
            ))}
          </div>
          <Button
            variant={previewOpen ? "secondary" : "ghost"}
            size="sm"
            aria-pressed={previewOpen}
            aria-controls={previewOpen ? "preview-panel" : undefined}
            onClick={() => setPreviewOpen((open) => !open)}
            title="Live preview of index.html"
            data-testid="preview-toggle"
          >
            <MonitorPlay className="size-4" aria-hidden /> Preview
          </Button>
          <Button
            variant={assistant.open ? "secondary" : "ghost"}
            size="sm"
            aria-pressed={assistant.open}
            aria-controls={assistant.open ? "assistant-panel" : undefined}
            id="assistant-toggle"
            onClick={toggleAssistant}
            title="Claude assistant (Ctrl/⌘+I)"
            data-testid="assistant-toggle"
          >
            <Sparkles className="size-4" aria-hidden /> Claude
          </Button>
        </div>
      </div>
      <ArchivedBanner projectId={projectId} />
      <TemplateUpgradeBanner projectId={projectId} />
      <div className="flex min-h-0 flex-1 overflow-hidden">
        <nav aria-label="Files" className="shrink-0" style={{ width: filesPane.width }}>
          <FileTree />
        </nav>
        <ResizeHandle label="Resize the file tree" pane={filesPane} direction={1} />
        <section aria-label="Editor" className="flex min-w-80 flex-1 flex-col">
          <EditorTabs onClose={close} />
          <div className="min-h-0 flex-1">
            <EditorArea />
          </div>
          <StatusBar />
        </section>
        {sidePanel && (
          <>
            <ResizeHandle label="Resize the side panel" pane={sidePane} direction={-1} />
            <aside
              aria-label={SIDE_PANELS.find((panel) => panel.id === sidePanel)?.label}
              className="shrink-0"
              style={{ width: sidePane.width }}
            >
              {sidePanel === "search" && <SearchPanel />}
              {sidePanel === "history" && <HistoryPanel />}
              {sidePanel === "activity" && <ActivityPanel />}
            </aside>
          </>
        )}
        {previewOpen && (
          <>
            <ResizeHandle label="Resize the preview pane" pane={previewPane} direction={-1} />
            <aside
              id="preview-panel"
              aria-label="Preview"
              className="min-w-64 shrink"
              style={{ width: previewPane.width }}
            >
              <PreviewPanel projectId={projectId} savedVersions={savedVersions} onClose={() => setPreviewOpen(false)} />
            </aside>
          </>
        )}
        {assistant.open && (
          <>
            <ResizeHandle label="Resize the assistant panel" pane={assistantPane} direction={-1} />
            <aside
              id="assistant-panel"
              aria-label="Claude assistant"
              // The one pane that gives way when the window is too narrow for all of them (never below 18 rem).
              className="min-w-72 shrink"
              style={{ width: assistantPane.width }}
            >
              <LazyAssistantPanel />
            </aside>
          </>
        )}
      </div>
      <QuickOpen />
      {closing && (
        <ConfirmDialog
          open
          onOpenChange={(open) => !open && setClosing(null)}
          title="Close without saving?"
          description={`${closing} has unsaved changes. They are lost if you close it now.`}
          confirmLabel="Close without saving"
          onConfirm={() => {
            dispatch({ type: "close", path: closing });
            disposeEditorModel(projectId, closing);
          }}
        />
      )}
    </div>
  );
}

/** The browser IDE of one project. */
export function Ide({
  projectId,
  projectName,
  preferences,
}: {
  projectId: string;
  projectName: string;
  preferences: TPreferences;
}) {
  // Buffers belong to this page: leaving the project frees them (leaving with unsaved work asks first).
  useEffect(() => () => disposeProjectEditorModels(projectId), [projectId]);
  return (
    <IdeProvider projectId={projectId} projectName={projectName} preferences={preferences}>
      <Workbench />
    </IdeProvider>
  );
}
