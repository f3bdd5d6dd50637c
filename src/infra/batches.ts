/** Runs `fn` over `items` with at most `limit` calls in flight; results keep the items' order. */
export async function inBatches<T, R>(items: T[], fn: (item: T) => Promise<R>, limit: number) {
  const out: R[] = new Array(items.length);
  let next = 0;
  const worker = async () => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!);
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  return out;
}
