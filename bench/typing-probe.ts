/**
 * What `npm run bench:typing` installs in each page before the page's own scripts run (`addInitScript`).
 *
 * Keystroke to paint: the keydown's own timestamp (`event.timeStamp`, on `performance.now()`'s clock, so time the
 * event waited in the queue counts), until the end of the first frame whose rendering changed Monaco's view lines.
 * "End of the frame" is a task posted from a requestAnimationFrame callback: it runs once that frame's rendering
 * work on the main thread (animation callbacks, style, layout, paint) is done. Raster and compositing on other
 * threads are not included; they are the same for both pages.
 *
 * React commits: a minimal `__REACT_DEVTOOLS_GLOBAL_HOOK__`, present before React loads. React (production builds
 * too) then registers with it and calls `onCommitFiberRoot` once per commit of a root; nothing in the app changes.
 *
 * Plain JavaScript in a string: a function would be serialised from tsx's transpiled output, whose helpers do not
 * exist in the page.
 */
export const PROBE_SCRIPT = `(() => {
  const probe = { active: false, pending: null, samples: [], overlapped: 0, lost: 0, commits: 0, commitsWhileTyping: 0, waiters: [], observer: null };
  const GIVE_UP_MS = 5000;

  window.__REACT_DEVTOOLS_GLOBAL_HOOK__ = {
    renderers: new Map(),
    supportsFiber: true,
    inject(renderer) {
      const id = this.renderers.size + 1;
      this.renderers.set(id, renderer);
      return id;
    },
    onCommitFiberRoot() {
      probe.commits++;
      if (probe.active) probe.commitsWhileTyping++;
    },
    onCommitFiberUnmount() {},
    onPostCommitFiberRoot() {},
    onScheduleFiberRoot() {},
    checkDCE() {},
  };

  const settle = () => {
    probe.pending = null;
    for (const resolve of probe.waiters.splice(0)) resolve();
  };
  const channel = new MessageChannel();
  let afterFrame = null;
  channel.port1.onmessage = () => {
    const run = afterFrame;
    afterFrame = null;
    if (run) run();
  };
  // Once the next frame is rendered: if it showed the change, that is the sample; if not, wait for the next one.
  const afterNextPaint = () => {
    requestAnimationFrame(() => {
      afterFrame = () => {
        const pending = probe.pending;
        if (!pending) return;
        const now = performance.now();
        if (pending.shown) {
          probe.samples.push(now - pending.start);
          settle();
        } else if (now - pending.start > GIVE_UP_MS) {
          probe.lost++;
          settle();
        } else {
          afterNextPaint();
        }
      };
      channel.port2.postMessage(null);
    });
  };

  // Capture phase on the window: before Monaco's own handlers see the key.
  window.addEventListener("keydown", (event) => {
    if (!probe.active) return;
    if (probe.pending) probe.overlapped++;
    probe.pending = { start: event.timeStamp, shown: false };
    afterNextPaint();
  }, true);

  window.__typingProbe = {
    start() {
      const lines = document.querySelector(".monaco-editor .view-lines");
      if (!lines) throw new Error("no Monaco editor on this page");
      probe.observer = new MutationObserver(() => {
        if (probe.pending) probe.pending.shown = true;
      });
      probe.observer.observe(lines, { childList: true, subtree: true, characterData: true });
      Object.assign(probe, { samples: [], overlapped: 0, lost: 0, commitsWhileTyping: 0, active: true });
    },
    settled() {
      return probe.pending ? new Promise((resolve) => probe.waiters.push(resolve)) : Promise.resolve();
    },
    stop() {
      probe.active = false;
      if (probe.observer) probe.observer.disconnect();
      return { samples: probe.samples, overlapped: probe.overlapped, lost: probe.lost, commits: probe.commitsWhileTyping };
    },
    /** Commits since the page loaded: more than zero proves React reports to the hook. */
    commitsSinceLoad() {
      return probe.commits;
    },
  };
})();`;

declare global {
  interface Window {
    /** Installed by PROBE_SCRIPT. */
    __typingProbe: {
      start(): void;
      /** Resolves once the last key is shown (or given up on). */
      settled(): Promise<void>;
      stop(): ProbeRound;
      commitsSinceLoad(): number;
    };
  }
}

/** What `__typingProbe.stop()` answers for one round of typing. */
export interface ProbeRound {
  samples: number[];
  /** Keys pressed before the previous one was shown (the benchmark waits, so this should stay 0). */
  overlapped: number;
  /** Keys never shown within 5 s. */
  lost: number;
  /** React commits during the round. */
  commits: number;
}
