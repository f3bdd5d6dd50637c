/**
 * `work`'s outcome, or a rejection with `late()` once `ms` have passed first. `onLate` runs just
 * before that rejection (e.g. to cancel the work, which may still finish on its own).
 */
export function withDeadline<T>(
  work: PromiseLike<T>,
  ms: number,
  late: () => Error = () => new Error(`no answer within ${ms / 1000} s`),
  onLate?: () => unknown,
): Promise<T> {
  let timer: Timer | undefined;
  const expired = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      try {
        onLate?.();
      } catch {}
      reject(late());
    }, ms);
  });
  return Promise.race([work, expired]).finally(() => clearTimeout(timer));
}
