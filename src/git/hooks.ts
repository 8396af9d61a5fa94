import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, statSync, unlinkSync, writeFileSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { GitError } from '../errors.js';
import { assertWorkTree } from './repo.js';
import { git, gitRaw } from './run.js';

/**
 * Installing and removing the pre-commit hook. Everything leakhound writes sits between two marker
 * lines, so install is idempotent (the block is replaced) and uninstall removes exactly that.
 * husky repos (a `.husky/` folder, or core.hooksPath inside .husky) get the block in
 * `.husky/pre-commit`; others get `<git-path hooks>/pre-commit`, where an existing hook of
 * someone else's is kept as `pre-commit.pre-leakhound` and run after leakhound passes.
 */

export const BEGIN = '# >>> leakhound pre-commit (added by `leakhound hook install`; `leakhound hook uninstall` removes it) >>>';
export const END = '# <<< leakhound pre-commit <<<';
export const CHAINED = 'pre-commit.pre-leakhound';

export interface HookResult {
  /** The hook file written or edited (absolute). */
  file: string;
  kind: 'husky' | 'git';
  /** What happened, for the one-line message. */
  action: 'installed' | 'updated' | 'unchanged' | 'removed' | 'not-installed';
  /** An existing hook that was moved aside and chained (or restored on uninstall). */
  chained?: string;
}

interface HookTarget {
  kind: 'husky' | 'git';
  file: string;
  top: string;
}

async function target(cwd: string): Promise<HookTarget> {
  await assertWorkTree(cwd);
  const top = (await git(cwd, ['rev-parse', '--show-toplevel'])).toString().trim();
  const hooksPathCfg = await gitRaw(cwd, ['config', '--get', 'core.hooksPath']);
  const hooksPath = hooksPathCfg.code === 0 ? hooksPathCfg.stdout.toString().trim() : '';
  const husky = existsSync(join(top, '.husky')) || /(^|[\\/])\.husky([\\/]|$)/.test(hooksPath);
  if (husky) return { kind: 'husky', file: join(top, '.husky', 'pre-commit'), top };
  const hooksDir = (await git(top, ['rev-parse', '--git-path', 'hooks'])).toString().trim();
  return { kind: 'git', file: join(isAbsolute(hooksDir) ? hooksDir : resolve(top, hooksDir), 'pre-commit'), top };
}

/** How the hook runs leakhound: the project's own install when there is one, else this very CLI. */
export function defaultInvocation(top: string): string {
  if (existsSync(join(top, 'node_modules', '.bin', 'leakhound'))) return 'npx --no-install leakhound';
  const bin = fileURLToPath(new URL('../../bin/leakhound.js', import.meta.url));
  return `node ${shellQuote(bin)}`;
}

function shellQuote(s: string): string {
  return /^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`;
}

function block(kind: 'husky' | 'git', invocation: string): string {
  const lines = [BEGIN, `${invocation} scan --staged || exit $?`];
  if (kind === 'git') lines.push(`chained="$(dirname "$0")/${CHAINED}"`, 'if [ -x "$chained" ]; then exec "$chained" "$@"; fi');
  lines.push(END);
  return lines.join('\n') + '\n';
}

/** Splits a hook file into the text before, inside and after the marker block (undefined when absent). */
function findBlock(text: string): { before: string; after: string } | undefined {
  const b = text.indexOf(BEGIN);
  if (b < 0) return undefined;
  const e = text.indexOf(END, b);
  if (e < 0) throw new GitError(`the leakhound block in the hook has a start marker and no end marker; fix it by hand`);
  let after = text.slice(e + END.length);
  if (after.startsWith('\n')) after = after.slice(1);
  return { before: text.slice(0, b), after };
}

export async function installHook(cwd: string, invocation?: string): Promise<HookResult> {
  const t = await target(cwd);
  const body = block(t.kind, invocation ?? defaultInvocation(t.top));
  mkdirSync(dirname(t.file), { recursive: true });
  let chained: string | undefined;
  let existing = existsSync(t.file) ? readFileSync(t.file, 'utf8') : undefined;
  const found = existing !== undefined ? findBlock(existing) : undefined;
  if (existing !== undefined && found) {
    const next = found.before + body + found.after;
    if (next === existing) return { file: t.file, kind: t.kind, action: 'unchanged' };
    writeFileSync(t.file, next);
    return { file: t.file, kind: t.kind, action: 'updated' };
  }
  if (existing !== undefined && t.kind === 'git') {
    // Someone else's hook: keep it, run it after leakhound.
    chained = join(dirname(t.file), CHAINED);
    if (existsSync(chained)) throw new GitError(`${relative(t.top, chained)} already exists; remove it or merge it into ${relative(t.top, t.file)} first`);
    renameSync(t.file, chained);
    existing = undefined;
  }
  const text = existing === undefined ? `#!/bin/sh\n${body}` : existing + (existing.endsWith('\n') || existing === '' ? '' : '\n') + body;
  writeFileSync(t.file, text);
  chmodSync(t.file, statSync(t.file).mode | 0o755);
  return { file: t.file, kind: t.kind, action: 'installed', ...(chained ? { chained } : {}) };
}

export async function uninstallHook(cwd: string): Promise<HookResult> {
  const t = await target(cwd);
  const existing = existsSync(t.file) ? readFileSync(t.file, 'utf8') : undefined;
  const found = existing !== undefined ? findBlock(existing) : undefined;
  if (!found) return { file: t.file, kind: t.kind, action: 'not-installed' };
  const rest = found.before + found.after;
  const chained = join(dirname(t.file), CHAINED);
  if (rest.replace(/^#!.*\n?/, '').trim() === '') {
    unlinkSync(t.file);
    if (t.kind === 'git' && existsSync(chained)) {
      renameSync(chained, t.file);
      return { file: t.file, kind: t.kind, action: 'removed', chained };
    }
  } else {
    writeFileSync(t.file, rest);
  }
  return { file: t.file, kind: t.kind, action: 'removed' };
}
