import { sha256 } from '../sha256.js';

/**
 * Content-bound fingerprint of a finding: sha256 over the rule id, the path and sha256(secret),
 * truncated to 32 hex characters. Line numbers are deliberately left out, so moving a line keeps
 * the fingerprint and a new secret on an old line gets a new one.
 */
export function fingerprint(ruleId: string, path: string, secret: string): string {
  return sha256(`${ruleId}\0${path}\0${sha256(secret)}`).slice(0, 32);
}
