import { lstat, opendir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { Fragment } from '../types.js';
import { toScannableText } from './content.js';
import { IgnoreStack } from './ignore-rules.js';
import { countSkip, type SourceStats } from './stats.js';

export interface WorktreeOptions {
  /** Absolute path of the directory (or single file) to scan. */
  root: string;
  /** Files larger than this many bytes are skipped and counted. */
  maxFileSize: number;
  stats: SourceStats;
  /** How many files are read at once. */
  concurrency?: number;
}

/**
 * Files under `root`, honouring every `.gitignore` level, `.git/info/exclude` and
 * `.leakhoundignore`, skipping `.git/`. Symbolic links are never followed (a link to a file in the
 * tree is scanned at its real path; a link out of the tree must not widen the scan). Yields paths
 * relative to root, `/`-separated.
 */
export async function* listFiles(root: string, stats: SourceStats): AsyncGenerator<{ rel: string; abs: string; size: number }> {
  const ignores = new IgnoreStack(root);
  const stack: string[] = [''];
  while (stack.length > 0) {
    const dirRel = stack.pop()!;
    const dirAbs = dirRel === '' ? root : join(root, dirRel);
    ignores.enterDirectory(dirRel);
    let dir;
    try {
      dir = await opendir(dirAbs);
    } catch (err) {
      countSkip(stats, 'unreadable');
      stats.warnings.push(`cannot read directory ${dirRel || '.'}: ${codeOf(err)}`);
      continue;
    }
    const subdirs: string[] = [];
    const files: string[] = [];
    try {
      for await (const entry of dir) {
        const rel = dirRel === '' ? entry.name : `${dirRel}/${entry.name}`;
        if (entry.isDirectory()) {
          if (entry.name === '.git') continue;
          if (!ignores.ignores(rel, true)) subdirs.push(rel);
        } else if (entry.isFile()) {
          if (!ignores.ignores(rel, false)) files.push(rel);
        } else if (entry.isSymbolicLink()) {
          if (!ignores.ignores(rel, false)) countSkip(stats, 'symlink');
        } else if (!ignores.ignores(rel, false)) {
          countSkip(stats, 'special');
          stats.warnings.push(`skipped ${rel}: not a regular file`);
        }
      }
    } catch (err) {
      countSkip(stats, 'unreadable');
      stats.warnings.push(`cannot list directory ${dirRel || '.'}: ${codeOf(err)}`);
    }
    files.sort();
    for (const rel of files) yield { rel, abs: join(root, rel), size: -1 };
    subdirs.sort().reverse();
    stack.push(...subdirs);
  }
}

/**
 * The working-tree source: one Fragment per text file. Binary files (by content), files over the
 * size cap, and unreadable files are counted in `stats` (unreadable ones with a warning) and the
 * scan goes on. Files are read `concurrency` at a time; fragments come in completion order.
 */
export async function* worktreeFragments(options: WorktreeOptions): AsyncGenerator<Fragment> {
  const { root, stats, maxFileSize } = options;
  const rootStat = await lstat(root);
  if (rootStat.isFile()) {
    const name = root.split(/[\\/]/).pop()!;
    const fragment = await readOne({ rel: name, abs: root }, maxFileSize, stats);
    if (fragment) yield fragment;
    return;
  }
  const concurrency = options.concurrency ?? 16;
  const pending = new Set<Promise<{ p: Promise<unknown>; fragment: Fragment | undefined }>>();
  const files = listFiles(root, stats);
  for await (const file of files) {
    const p: Promise<{ p: Promise<unknown>; fragment: Fragment | undefined }> = readOne(file, maxFileSize, stats).then((fragment) => ({ p, fragment }));
    pending.add(p);
    if (pending.size >= concurrency) {
      const done = await Promise.race(pending);
      pending.delete(done.p as typeof p);
      if (done.fragment) yield done.fragment;
    }
  }
  while (pending.size > 0) {
    const done = await Promise.race(pending);
    pending.delete(done.p as Promise<{ p: Promise<unknown>; fragment: Fragment | undefined }>);
    if (done.fragment) yield done.fragment;
  }
}

async function readOne(file: { rel: string; abs: string }, maxFileSize: number, stats: SourceStats): Promise<Fragment | undefined> {
  try {
    const st = await lstat(file.abs);
    if (!st.isFile()) {
      countSkip(stats, 'special');
      return undefined;
    }
    if (st.size > maxFileSize) {
      countSkip(stats, 'too-large');
      stats.warnings.push(`skipped ${file.rel}: ${st.size} bytes is over the ${maxFileSize}-byte limit (--max-file-size)`);
      return undefined;
    }
    const bytes = await readFile(file.abs);
    const text = toScannableText(bytes);
    if (!text) {
      countSkip(stats, 'binary');
      return undefined;
    }
    stats.scanned++;
    stats.bytes += bytes.length;
    return { origin: { kind: 'file', path: file.rel }, content: text, startLine: 1 };
  } catch (err) {
    countSkip(stats, 'unreadable');
    stats.warnings.push(`cannot read ${file.rel}: ${codeOf(err)}`);
    return undefined;
  }
}

function codeOf(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
