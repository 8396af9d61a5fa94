import type { Finding } from '../../src/types.js';

/** Fake GitHub tokens (valid checksums) assembled at runtime, so no test file holds a literal one. */
export const TOKEN = ['ghp', '0vcoe5fNtBzAPuVcdwzdGgtBuZoRyE3LkoB4'].join('_');
export const TOKEN2 = ['ghp', '8KxPbYUS3bDfyjuP1Q9wWQpFE9QPrR33JoJ5'].join('_');

/** The fields of a finding the git tests assert on. */
export function brief(f: Finding): Record<string, unknown> {
  return { ruleId: f.ruleId, file: f.file, line: f.line, column: f.column, secret: f.secret, origin: f.origin, ...(f.history ? { history: f.history } : {}) };
}
export const TOKEN3 = ['ghp', 'hrqbFsXDgWB8RnxwZD8GskS9EyybTG2eVqKb'].join('_');
export const TOKEN4 = ['ghp', 'h0MuepaXzjOwRfFDK3FMIieutr0wOx3KQYPx'].join('_');

/** Secret findings only (leaves out other checks' findings, e.g. config-file hygiene). */
export function isSecret(f: { ruleId: string }): boolean {
  return f.ruleId.startsWith('github-');
}
