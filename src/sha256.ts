import { createRequire } from 'node:module';

type CreateHash = typeof import('node:crypto').createHash;
let createHash: CreateHash | undefined;

/**
 * Hex sha256 of a string (as UTF-8) or bytes. node:crypto is loaded on first use, not at start-up:
 * importing it costs the pre-commit hook about 2 ms, and a clean scan never needs it.
 */
export function sha256(data: string | Uint8Array): string {
  createHash ??= (createRequire(import.meta.url)('node:crypto') as { createHash: CreateHash }).createHash;
  return createHash('sha256').update(data).digest('hex');
}
