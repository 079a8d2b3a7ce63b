"use client";

import { useMutation, useQuery, useQueryClient } from "@tanstack/react-query";
import { createContext, useCallback, useContext, useEffect, useMemo, useReducer, useRef, type Dispatch, type ReactNode } from "react";
import type { TPreferences } from "~/lib/schemas/account";
import { useTRPC } from "~/trpc/react";
import { conflictOf } from "./conflict";
import { ideReducer, initialIdeState, isDirty, type IdeAction, type IdeState } from "./ide-state";

type SidePanel = "search" | "history" | "activity";

interface IdeContextValue {
  projectId: string;
  projectName: string;
  preferences: TPreferences;
  state: IdeState;
  dispatch: Dispatch<IdeAction>;
  /** Live file paths, sorted. */
  paths: string[];
  openFile(path: string, line?: number, column?: number): void;
  save(path: string): Promise<void>;
  saveAll(): Promise<void>;
  /** Reloads the file list and every open, unedited file (after a move, delete, import or restore). */
  refresh(): Promise<void>;
  sidePanel: SidePanel | null;
  showSidePanel(panel: SidePanel | null): void;
  quickOpen: boolean;
  setQuickOpen(open: boolean): void;
}

const IdeContext = createContext<IdeContextValue | null>(null);

export function useIde(): IdeContextValue {
  const value = useContext(IdeContext);
  if (!value) throw new Error("useIde outside IdeProvider");
  return value;
}

const tabsKey = (projectId: string) => `vaporform:tabs:${projectId}`;

/**
 * Holds the IDE's state and talks to the server for it: loads files as tabs open, saves with the version each
 * buffer was based on (a stale save becomes a conflict to resolve, never an overwrite), autosaves when the user
 * asked for it, remembers open tabs per project, and warns before leaving with unsaved work.
 */
export function IdeProvider({
  projectId,
  projectName,
  preferences,
  sidePanel,
  showSidePanel,
  quickOpen,
  setQuickOpen,
  children,
}: {
  projectId: string;
  projectName: string;
  preferences: TPreferences;
  sidePanel: SidePanel | null;
  showSidePanel(panel: SidePanel | null): void;
  quickOpen: boolean;
  setQuickOpen(open: boolean): void;
  children: ReactNode;
}) {
  const trpc = useTRPC();
  const queryClient = useQueryClient();
  const [state, reactDispatch] = useReducer(ideReducer, initialIdeState);
  // Event handlers (save, autosave timers, beforeunload) read the latest state through this ref, which every
  // dispatch advances at once: a save right after another must see the version the first one produced.
  const stateRef = useRef(state);
  useEffect(() => {
    stateRef.current = state;
  }, [state]);
  const dispatch = useCallback((action: IdeAction) => {
    stateRef.current = ideReducer(stateRef.current, action);
    reactDispatch(action);
  }, []);
  const loading = useRef(new Set<string>());
  // Saves in flight, known synchronously: two quick Ctrl+S must not send the same base version twice.
  const inFlight = useRef(new Set<string>());

  const list = useQuery(trpc.file.list.queryOptions({ projectId }));
  const paths = useMemo(() => (list.data ?? []).map((file) => file.path), [list.data]);
  const saveMutation = useMutation(trpc.file.save.mutationOptions());

  // Tabs of the last visit, once the file list says which still exist.
  const restored = useRef(false);
  useEffect(() => {
    if (restored.current || !list.data) return;
    restored.current = true;
    try {
      const saved = JSON.parse(localStorage.getItem(tabsKey(projectId)) ?? "null") as { tabs?: string[]; active?: string | null } | null;
      const existing = new Set(paths);
      const tabs = (saved?.tabs ?? []).filter((path) => existing.has(path));
      if (tabs.length > 0) dispatch({ type: "restoreTabs", tabs, active: saved?.active && existing.has(saved.active) ? saved.active : null });
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

  const save = useCallback(
    async (path: string) => {
      const file = stateRef.current.files[path];
      if (!file || file.status !== "ready" || file.isBinary || file.conflict || inFlight.current.has(path)) return;
      if (!isDirty(file)) return;
      const content = file.content;
      inFlight.current.add(path);
      dispatch({ type: "saving", path });
      try {
        const result = await saveMutation.mutateAsync({ projectId, path, content, fileId: file.fileId, baseVersion: file.baseVersion });
        dispatch({ type: "saved", path, version: result.version, content });
        void queryClient.invalidateQueries({ queryKey: trpc.file.list.queryKey({ projectId }) });
        void queryClient.invalidateQueries({ queryKey: trpc.file.history.queryKey() });
        void queryClient.invalidateQueries({ queryKey: trpc.activity.list.queryKey() });
      } catch (error) {
        const current = conflictOf(error);
        if (current !== undefined) {
          dispatch({
            type: "conflict",
            path,
            server: current ?? { fileId: "", version: 0, content: "", updatedAt: new Date(), updatedBy: null, sourceType: "deleted" },
          });
        } else {
          dispatch({ type: "saveFailed", path, error: error instanceof Error ? error.message : String(error) });
          throw error;
        }
      } finally {
        inFlight.current.delete(path);
      }
    },
    [dispatch, projectId, queryClient, saveMutation, trpc],
  );

  const saveAll = useCallback(async () => {
    await Promise.all(Object.values(stateRef.current.files).filter(isDirty).map((file) => save(file.path)));
  }, [save]);

  const refresh = useCallback(async () => {
    await queryClient.invalidateQueries({ queryKey: trpc.file.pathKey() });
    await queryClient.invalidateQueries({ queryKey: trpc.activity.list.queryKey() });
    // Open tabs without edits follow the server (a move, an import, a restore, a file created again at their path);
    // edited ones keep their buffer and meet any newer version or other file as a conflict when saved.
    const clean = Object.values(stateRef.current.files).filter((file) => file.status === "ready" && !isDirty(file) && !file.conflict);
    await Promise.all(
      clean.map(async (file) => {
        const data = await queryClient
          .fetchQuery({ ...trpc.file.read.queryOptions({ projectId, path: file.path }), staleTime: 0 })
          .catch(() => null); // deleted meanwhile: the tab stays until the user closes it
        if (data && (data.id !== file.fileId || data.version !== file.baseVersion)) {
          dispatch({ type: "replace", path: file.path, fileId: data.id, content: data.content, version: data.version });
        }
      }),
    );
  }, [dispatch, projectId, queryClient, trpc]);

  const openFile = useCallback((path: string, line?: number, column?: number) => dispatch({ type: "open", path, line, column }), [dispatch]);

  // Autosave after a pause in typing, when the user chose it.
  useEffect(() => {
    if (preferences.autosave !== "afterDelay") return;
    const timers = Object.values(state.files)
      .filter((file) => isDirty(file) && !file.conflict && !file.saving)
      .map((file) => setTimeout(() => void save(file.path).catch(() => {}), preferences.autosaveDelayMs));
    return () => timers.forEach(clearTimeout);
  }, [state.files, preferences.autosave, preferences.autosaveDelayMs, save]);

  // Leaving with unsaved work asks first: closing the tab or reloading (beforeunload), and following a link inside
  // the app, which beforeunload does not see.
  useEffect(() => {
    const dirty = () => Object.values(stateRef.current.files).some(isDirty);
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
  }, []);

  const value = useMemo<IdeContextValue>(
    () => ({ projectId, projectName, preferences, state, dispatch, paths, openFile, save, saveAll, refresh, sidePanel, showSidePanel, quickOpen, setQuickOpen }),
    [projectId, projectName, preferences, state, dispatch, paths, openFile, save, saveAll, refresh, sidePanel, showSidePanel, quickOpen, setQuickOpen],
  );
  return <IdeContext.Provider value={value}>{children}</IdeContext.Provider>;
}
