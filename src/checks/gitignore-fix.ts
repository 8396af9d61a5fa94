import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where to ignore one file: which `.gitignore` (top-relative, `/`-separated) and the line to append. */
export interface IgnoreFix {
  /** The `.gitignore` to append to, relative to the repository top (`.gitignore`, `config/.gitignore`). */
  gitignore: string;
  /** The narrowest line that ignores exactly this file. */
  line: string;
}

/** Escapes a path for a gitignore pattern so it matches only itself. */
export function escapePattern(path: string): string {
  let out = path.replace(/[\\*?[\]]/g, '\\$&');
  if (/^[#!]/.test(out)) out = `\\${out}`;
  // Trailing spaces are stripped unless escaped.
  const m = / +$/.exec(out);
  if (m) out = out.slice(0, m.index) + '\\ '.repeat(m[0].length);
  return out;
}

/**
 * The narrowest fix for an un-ignored file at `topPath` (relative to the repository top): append to
 * the deepest `.gitignore` that already exists among the file's directories (its lines take
 * precedence over every shallower level, and a line appended last wins within the file), or to the
 * top `.gitignore`. The line is anchored: `/name` for a file beside that `.gitignore`, `dir/name`
 * (a pattern with a slash is relative to its `.gitignore`) for a deeper one.
 */
export function ignoreFixFor(top: string, topPath: string): IgnoreFix {
  const segments = topPath.split('/');
  let base = 0;
  for (let depth = segments.length - 1; depth >= 1; depth--) {
    const dir = segments.slice(0, depth).join('/');
    if (isFile(join(top, dir, '.gitignore'))) {
      base = depth;
      break;
    }
  }
  const rest = segments.slice(base).join('/');
  const line = base === segments.length - 1 ? `/${escapePattern(rest)}` : escapePattern(rest);
  return { gitignore: base === 0 ? '.gitignore' : `${segments.slice(0, base).join('/')}/.gitignore`, line };
}

function isFile(path: string): boolean {
  try {
    return statSync(path).isFile();
  } catch {
    return false;
  }
}

/**
 * Appends lines to a `.gitignore`, creating it if needed: never removes or reorders a line, keeps
 * the file's line endings (CRLF stays CRLF), and adds the missing final newline first. Returns the
 * lines actually appended.
 */
export function appendToGitignore(path: string, lines: readonly string[]): string[] {
  const unique = [...new Set(lines)];
  if (unique.length === 0) return [];
  const existing = existsSync(path) ? readFileSync(path) : Buffer.alloc(0);
  const text = existing.toString('latin1');
  const eol = text.includes('\r\n') ? '\r\n' : '\n';
  let add = '';
  if (text.length > 0 && !text.endsWith('\n')) add += eol;
  add += unique.map((l) => `${l}${eol}`).join('');
  writeFileSync(path, Buffer.concat([existing, Buffer.from(add, 'utf8')]));
  return unique;
}
