"use client";

import { useQuery, useQueryClient } from "@tanstack/react-query";
import {
  createContext,
  useCallback,
  useContext,
  useEffect,
  useMemo,
  useReducer,
  useRef,
  useState,
  type ReactNode,
} from "react";
import type { TPreferences } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";
import { dirtyPaths, onBufferEdit, useDirtyPaths } from "./buffer-state";
import { ideReducer, initialIdeState, type IdeAction, type IdeState } from "./ide-state";
import { useFileMutations, type FileMutations } from "./use-file-mutations";

export type SidePanel = "search" | "history" | "activity";

/** What never changes while the page is open: identity, preferences and every action. */
interface IdeActions extends FileMutations {
  projectId: string;
  projectName: string;
  preferences: TPreferences;
  dispatch(action: IdeAction): void;
  openFile(path: string, line?: number, column?: number): void;
  showSidePanel(panel: SidePanel | null): void;
  setQuickOpen(open: boolean): void;
  /** Shows or hides the assistant panel (toolbar button, Ctrl/⌘+I anywhere, the editor included). */
  toggleAssistant(): void;
  /** Shows the assistant panel, on `conversationId` when given (a link from the history). */
  openAssistant(conversationId?: string): void;
  /** The conversation the assistant panel shows; null: a new one. */
  selectConversation(conversationId: string | null): void;
}

/** The assistant panel's place in the IDE: apart from the IDE's state, so saving a file does not re-render it. */
export interface AssistantUi {
  open: boolean;
  conversationId: string | null;
  /** Bumped each time the user opens the panel, so it can take the focus then (and not when a reload restores it). */
  focusRequest: number;
}

/** What changes as the user works; typing is not part of it (Monaco keeps the buffers). */
interface IdeStateValue {
  state: IdeState;
  /** Live file paths, sorted. */
  paths: string[];
  sidePanel: SidePanel | null;
  quickOpen: boolean;
}

const IdeActionsContext = createContext<IdeActions | null>(null);
const IdeStateContext = createContext<IdeStateValue | null>(null);
const AssistantUiContext = createContext<AssistantUi | null>(null);

export function useIdeActions(): IdeActions {
  const value = useContext(IdeActionsContext);
  if (!value) throw new Error("useIdeActions outside IdeProvider");
  return value;
}

export function useIdeState(): IdeStateValue {
  const value = useContext(IdeStateContext);
  if (!value) throw new Error("useIdeState outside IdeProvider");
  return value;
}

export function useAssistantUi(): AssistantUi {
  const value = useContext(AssistantUiContext);
  if (!value) throw new Error("useAssistantUi outside IdeProvider");
  return value;
}

/** Paths of this project's open files with unsaved edits. */
export function useUnsaved(): ReadonlySet<string> {
  return useDirtyPaths(useIdeActions().projectId);
}

const tabsKey = (projectId: string) => `vaporform:tabs:${projectId}`;
const assistantKey = (projectId: string) => `vaporform:assistant:${projectId}`;
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/**
 * Holds the IDE's state and talks to the server for it: loads files as tabs open, autosaves when the user asked
 * for it, remembers open tabs per project, and warns before leaving with unsaved work. Two contexts, so that a
 * component calling actions does not re-render when the state changes.
 */
export function IdeProvider({
  projectId,
  projectName,
  preferences,
  children,
}: {
  projectId: string;
  projectName: string;
  preferences: TPreferences;
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, reactDispatch] = useReducer(ideReducer, initialIdeState);
  const [sidePanel, showSidePanel] = useState<SidePanel | null>(null);
  const [quickOpen, setQuickOpen] = useState(false);
  const [assistant, setAssistant] = useState<AssistantUi>({ open: false, conversationId: null, focusRequest: 0 });
  // Event handlers (save, autosave timers) read the latest state through this ref, which every dispatch advances
  // at once: a save right after another must see the version the first one produced.
  const stateRef = useRef(state);
  const dispatch = useCallback((action: IdeAction) => {
    stateRef.current = ideReducer(stateRef.current, action);
    reactDispatch(action);
  }, []);
  const loading = useRef(new Set<string>());
  const files = useFileMutations(projectId, stateRef, dispatch);

  const list = useQuery(trpc.file.list.queryOptions({ projectId }));
  const paths = useMemo(() => (list.data ?? []).map((file) => file.path), [list.data]);

  // Tabs of the last visit, once the file list says which still exist.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || !list.data) return;
    restored.current = true;
    try {
      const saved = JSON.parse(localStorage.getItem(tabsKey(projectId)) ?? "null") as {
        tabs?: string[];
        active?: string | null;
      } | null;
      const existing = new Set(paths);
      const tabs = (saved?.tabs ?? []).filter((path) => existing.has(path));
      if (tabs.length > 0)
        dispatch({
          type: "restoreTabs",
          tabs,
          active: saved?.active && existing.has(saved.active) ? saved.active : null,
        });
    } catch {
      // A corrupt entry only costs the remembered tabs.
    }
  }, [dispatch, list.data, paths, projectId]);

  useEffect(() => {
    if (!restored.current) return;
    localStorage.setItem(tabsKey(projectId), JSON.stringify({ tabs: state.tabs, active: state.active }));
  }, [projectId, state.tabs, state.active]);

  // Load every tab whose content we do not have yet.
  useEffect(() => {
    for (const file of Object.values(state.files)) {
      if (file.status !== "loading" || loading.current.has(file.path)) continue;
      loading.current.add(file.path);
      queryClient
        .fetchQuery({ ...trpc.file.read.queryOptions({ projectId, path: file.path }), staleTime: 0 })
        .then((data) =>
          dispatch({
            type: "loaded",
            path: file.path,
            fileId: data.id,
            content: data.content,
            version: data.version,
            isBinary: data.isBinary,
            mimeType: data.mimeType,
          }),
        )
        .catch((error: Error) => dispatch({ type: "loadFailed", path: file.path, error: error.message }))
        .finally(() => loading.current.delete(file.path));
    }
  }, [dispatch, state.files, projectId, queryClient, trpc]);

  // Autosave after a pause in typing, when the user chose it: each edit restarts its file's timer, outside React.
  const { save } = files;
  useEffect(() => {
    if (preferences.autosave !== "afterDelay") return;
    const timers = new Map<string, ReturnType<typeof setTimeout>>();
    const schedule = (path: string) => {
      clearTimeout(timers.get(path));
      timers.set(
        path,
        setTimeout(() => {
          timers.delete(path);
          // Typing during a save is saved once that save is done.
          if (stateRef.current.files[path]?.saving) schedule(path);
          else void save(path).catch(() => {});
        }, preferences.autosaveDelayMs),
      );
    };
    const unsubscribe = onBufferEdit((project, path) => project === projectId && schedule(path));
    return () => {
      unsubscribe();
      timers.forEach(clearTimeout);
    };
  }, [preferences.autosave, preferences.autosaveDelayMs, projectId, save]);

  // Leaving with unsaved work asks first: closing the tab or reloading (beforeunload), and following a link inside
  // the app, which beforeunload does not see.
  useEffect(() => {
    const dirty = () => dirtyPaths(projectId).size > 0;
    const warn = (event: BeforeUnloadEvent) => {
      if (dirty()) event.preventDefault();
    };
    const guardLinks = (event: MouseEvent) => {
      const link = (event.target as Element | null)?.closest?.("a[href]");
      if (!(link instanceof HTMLAnchorElement) || link.hasAttribute("download") || link.target === "_blank") return;
      if (link.origin !== window.location.origin || link.pathname === window.location.pathname || !dirty()) return;
      if (!window.confirm("You have unsaved changes. Leave this project without saving them?")) {
        event.preventDefault();
        event.stopPropagation();
      }
    };
    window.addEventListener("beforeunload", warn);
    document.addEventListener("click", guardLinks, true);
    return () => {
      window.removeEventListener("beforeunload", warn);
      document.removeEventListener("click", guardLinks, true);
    };
  }, [projectId]);

  // The assistant panel as it was left in this project (open, on which conversation), so a reload comes back to
  // it and re-attaches to a turn still running there. A link may name the conversation to show instead,
  // `?assistant=<conversationId>` (the new-project dialog's "Describe it" lands there, on the turn writing the files).
  const assistantRestored = useRef(false);
  useEffect(() => {
    const linked = new URLSearchParams(window.location.search).get("assistant");
    let restored: AssistantUi | null = null;
    if (linked && UUID.test(linked)) {
      restored = { open: true, conversationId: linked, focusRequest: 1 };
    } else {
      try {
        const saved = JSON.parse(
          localStorage.getItem(assistantKey(projectId)) ?? "null",
        ) as Partial<AssistantUi> | null;
        if (saved)
          restored = { open: saved.open === true, conversationId: saved.conversationId ?? null, focusRequest: 0 };
      } catch {
        // A corrupt entry only costs where the panel was.
      }
    }
    // Reading the address and an external store once, after mount (the server cannot know the latter).
    // eslint-disable-next-line react-hooks/set-state-in-effect
    if (restored) setAssistant(restored);
  }, [projectId]);
  useEffect(() => {
    // The first run sees the state from before the restore above: nothing to remember yet.
    if (!assistantRestored.current) assistantRestored.current = true;
    else {
      const { open, conversationId } = assistant;
      localStorage.setItem(assistantKey(projectId), JSON.stringify({ open, conversationId }));
    }
  }, [assistant, projectId]);
  const toggleAssistant = useCallback(
    () =>
      setAssistant((current) => ({
        ...current,
        open: !current.open,
        focusRequest: current.focusRequest + (current.open ? 0 : 1),
      })),
    [],
  );
  const openAssistant = useCallback(
    (conversationId?: string) =>
      setAssistant((current) => ({
        open: true,
        conversationId: conversationId ?? current.conversationId,
        focusRequest: current.focusRequest + 1,
      })),
    [],
  );
  const selectConversation = useCallback(
    (conversationId: string | null) => setAssistant((current) => ({ ...current, conversationId })),
    [],
  );

  const openFile = useCallback(
    (path: string, line?: number, column?: number) => dispatch({ type: "open", path, line, column }),
    [dispatch],
  );

  const actions = useMemo<IdeActions>(
    () => ({
      ...files,
      projectId,
      projectName,
      preferences,
      dispatch,
      openFile,
      showSidePanel,
      setQuickOpen,
      toggleAssistant,
      openAssistant,
      selectConversation,
    }),
    [
      files,
      projectId,
      projectName,
      preferences,
      dispatch,
      openFile,
      toggleAssistant,
      openAssistant,
      selectConversation,
    ],
  );
  const value = useMemo<IdeStateValue>(
    () => ({ state, paths, sidePanel, quickOpen }),
    [state, paths, sidePanel, quickOpen],
  );
  return (
    <IdeActionsContext.Provider value={actions}>
      <IdeStateContext.Provider value={value}>
        <AssistantUiContext.Provider value={assistant}>{children}</AssistantUiContext.Provider>
      </IdeStateContext.Provider>
    </IdeActionsContext.Provider>
  );
}
