// What every page gets: the shared WebSocket and the place to show an error or a notice.
import type { Stream } from "./stream";

export interface PageContext {
  stream: Stream;
  notify: (message: string, kind?: "error" | "ok") => void;
}

// A page draws itself into `root` and returns what stops its timers and subscriptions.
export type Page = (root: HTMLElement, ctx: PageContext, arg: string) => () => void;

// Runs `task` now and every `ms` until the returned stop is called; errors go to `onError`.
export function every(ms: number, task: () => Promise<void>, onError: (e: unknown) => void): () => void {
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const run = async () => {
    try {
      await task();
    } catch (e) {
      if (!stopped) onError(e);
    }
    if (!stopped) timer = setTimeout(run, ms);
  };
  void run();
  return () => {
    stopped = true;
    clearTimeout(timer);
  };
}
