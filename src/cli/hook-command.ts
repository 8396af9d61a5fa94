import { relative } from 'node:path';
import { installHook, uninstallHook, type HookResult } from '../git/hooks.js';
import { warn } from './io.js';

/** `leakhound hook install|uninstall`: prints one line about what changed; returns 0. */
export async function runHook(action: 'install' | 'uninstall', cwd: string, command: string | undefined): Promise<number> {
  const r = action === 'install' ? await installHook(cwd, command) : await uninstallHook(cwd);
  warn(`leakhound: ${describe(r, cwd)}`);
  return 0;
}

function describe(r: HookResult, cwd: string): string {
  const file = relative(cwd, r.file) || r.file;
  switch (r.action) {
    case 'installed':
      return `pre-commit hook installed in ${file}` + (r.chained ? ` (the existing hook now runs after it, from ${relative(cwd, r.chained)})` : '') + '; skip it once with git commit --no-verify';
    case 'updated':
      return `pre-commit hook updated in ${file}`;
    case 'unchanged':
      return `pre-commit hook already installed in ${file}`;
    case 'removed':
      return `pre-commit hook removed from ${file}` + (r.chained ? ' (the previous hook is restored)' : '');
    case 'not-installed':
      return `no leakhound pre-commit hook in ${file}; nothing to remove`;
  }
}
