/**
 * A promise handed out now and settled later by whoever holds `resolve`: a value one part of a
 * scan passes to another that was started before the value existed (the findings to the
 * config-file check, the staged paths from the staged source). A rejection passed to `resolve`
 * is left to the promise's consumer; it never counts as unhandled meanwhile.
 */
export interface HandOver<T> {
  promise: Promise<T>;
  resolve: (value: T | Promise<T>) => void;
}

export function handOver<T>(): HandOver<T> {
  let resolve: (value: T | Promise<T>) => void = () => undefined;
  const promise = new Promise<T>((r) => (resolve = r));
  promise.catch(() => undefined);
  return { promise, resolve };
}
