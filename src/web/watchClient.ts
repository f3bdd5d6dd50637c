import { watch } from "node:fs";
import type { Logger } from "../infra/logger.ts";
import { rebundle } from "./clientBundles.ts";

/**
 * Development (`bun run dev`): `bun --watch` restarts the server only for what the server imports,
 * and the browser scripts are bundled, not imported; so a change under client/ or chat/ re-bundles
 * them into the served assets (a new `?v=`), without a restart. Answers a function that stops it
 * (resolving once a build under way has finished).
 */
export function watchClient(log: Logger, root: string = import.meta.dir): () => Promise<void> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  let queue = Promise.resolve();
  const build = () =>
    rebundle(root).then(
      () => log.info("browser scripts re-bundled"),
      (err: unknown) => log.warn({ err }, "re-bundling the browser scripts failed"),
    );
  // An editor's save is often several events: bundle once they settle, one build at a time.
  const changed = () => {
    clearTimeout(timer);
    timer = setTimeout(() => {
      queue = queue.then(build);
    }, 50);
  };
  const watchers = ["client", "chat"].map((dir) =>
    watch(`${root}/${dir}`, { recursive: true }, changed),
  );
  return () => {
    clearTimeout(timer);
    for (const w of watchers) w.close();
    return queue;
  };
}
