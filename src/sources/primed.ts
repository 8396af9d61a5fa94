/**
 * An async iterable started now: its first item is asked for at once, so that the work it does
 * before its first `await` (spawning git, say) runs while the caller goes on synchronously, such
 * as loading the rules. Iterate it once; `cancel` stops it when it will not be iterated (its
 * pending first item is then discarded, errors included).
 */
export interface Primed<T> extends AsyncIterable<T> {
  cancel(): void;
}

export function primed<T>(source: AsyncIterable<T>): Primed<T> {
  const iterator = source[Symbol.asyncIterator]();
  const first = iterator.next();
  // The consumer sees any failure when it iterates; this only keeps it from counting as unhandled meanwhile.
  first.catch(() => undefined);
  return {
    async *[Symbol.asyncIterator]() {
      try {
        for (let r = await first; !r.done; r = await iterator.next()) yield r.value;
      } finally {
        // The consumer stopped early (or the source is done, when this does nothing): stop the source.
        await iterator.return?.();
      }
    },
    cancel() {
      first.then(
        () => iterator.return?.(),
        () => undefined,
      );
    },
  };
}
