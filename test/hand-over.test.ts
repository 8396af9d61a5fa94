import { describe, expect, it } from 'vitest';
import { handOver } from '../src/hand-over.js';

describe('handOver', () => {
  it('settles with what is handed over later, a rejection included, and never counts as unhandled', async () => {
    const value = handOver<number>();
    value.resolve(Promise.resolve(7));
    await expect(value.promise).resolves.toBe(7);

    const unhandled: unknown[] = [];
    const onUnhandled = (reason: unknown): void => void unhandled.push(reason);
    process.on('unhandledRejection', onUnhandled);
    const failed = handOver<number>();
    failed.resolve(Promise.reject(new Error('detection failed')));
    await new Promise((r) => setTimeout(r, 10));
    process.off('unhandledRejection', onUnhandled);
    expect(unhandled).toEqual([]);
    await expect(failed.promise).rejects.toThrow('detection failed');
  });
});
