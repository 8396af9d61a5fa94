import { describe, expect, it } from 'vitest';
import { primed } from '../../src/sources/primed.js';

/** A source that records when it starts and whether it was stopped, yielding 1, 2, 3. */
function recorded(): { log: string[]; source: AsyncGenerator<number> } {
  const log: string[] = [];
  async function* source(): AsyncGenerator<number> {
    log.push('started');
    try {
      for (const n of [1, 2, 3]) {
        await Promise.resolve();
        yield n;
      }
      log.push('finished');
    } finally {
      log.push('closed');
    }
  }
  return { log, source: source() };
}

describe('primed', () => {
  it('starts the source before it is iterated, then yields every item in order', async () => {
    const { log, source } = recorded();
    const items = primed(source);
    expect(log).toEqual(['started']);
    const seen: number[] = [];
    for await (const n of items) seen.push(n);
    expect(seen).toEqual([1, 2, 3]);
    expect(log).toEqual(['started', 'finished', 'closed']);
  });

  it('stops the source when the consumer breaks off, and when cancelled unread', async () => {
    const broken = recorded();
    for await (const n of primed(broken.source)) if (n === 1) break;
    expect(broken.log).toEqual(['started', 'closed']);

    const cancelled = recorded();
    primed(cancelled.source).cancel();
    await new Promise((r) => setTimeout(r, 10));
    expect(cancelled.log).toEqual(['started', 'closed']);
  });

  it('passes a failure on to the consumer, and a cancelled one is not unhandled', async () => {
    async function* failing(): AsyncGenerator<number> {
      await Promise.resolve();
      throw new Error('git failed');
    }
    await expect(
      (async () => {
        for await (const n of primed(failing())) void n;
      })(),
    ).rejects.toThrow('git failed');
    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    primed(failing()).cancel();
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
  });
});
