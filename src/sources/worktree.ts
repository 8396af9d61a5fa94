import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readSync, type Dirent } from 'node:fs';
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
    let entries: Dirent[];
    try {
      entries = readdirSync(dirAbs, { withFileTypes: true });
    } catch (err) {
      countSkip(stats, 'unreadable');
      stats.warnings.push(`cannot read directory ${dirRel || '.'}: ${codeOf(err)}`);
      continue;
    }
    if (entries.some((e) => e.name === '.gitignore' && !e.isDirectory())) ignores.enterDirectory(dirRel);
    const subdirs: string[] = [];
    const files: string[] = [];
    for (const entry of entries) {
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
    files.sort();
    for (const rel of files) yield { rel, abs: join(root, rel), size: -1 };
    subdirs.sort().reverse();
    stack.push(...subdirs);
  }
}

/**
 * The working-tree source: one Fragment per text file. Binary files (by content), files over the
 * size cap, and unreadable files are counted in `stats` (unreadable ones with a warning) and the
 * scan goes on. Reads are synchronous: for files in the page cache that is several times faster
 * than the thread-pool round trips of async reads, and the detector is CPU-bound anyway.
 */
export async function* worktreeFragments(options: WorktreeOptions): AsyncGenerator<Fragment> {
  const { root, stats, maxFileSize } = options;
  const rootStat = lstatSync(root);
  if (rootStat.isFile()) {
    const name = root.split(/[\\/]/).pop()!;
    const fragment = readOne({ rel: name, abs: root }, maxFileSize, stats);
    if (fragment) yield fragment;
    return;
  }
  for await (const file of listFiles(root, stats)) {
    const fragment = readOne(file, maxFileSize, stats);
    if (fragment) yield fragment;
  }
}

/** Reads one file if it is a regular file within the size cap; counts and warns otherwise. */
export function readOne(file: { rel: string; abs: string }, maxFileSize: number, stats: SourceStats): Fragment | undefined {
  let fd: number | undefined;
  try {
    // O_NONBLOCK: a FIFO that appeared since listing must not hang the open; O_NOFOLLOW: a file
    // swapped for a symlink since listing must not lead the scan out of the tree.
    fd = openSync(file.abs, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    const st = fstatSync(fd);
    if (!st.isFile()) {
      countSkip(stats, 'special');
      stats.warnings.push(`skipped ${file.rel}: not a regular file`);
      return undefined;
    }
    if (st.size > maxFileSize) {
      countSkip(stats, 'too-large');
      stats.warnings.push(`skipped ${file.rel}: ${st.size} bytes is over the ${maxFileSize}-byte limit (--max-file-size)`);
      return undefined;
    }
    const bytes = readAll(fd, st.size);
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
  } finally {
    if (fd !== undefined) closeSync(fd);
  }
}

/** Reads up to `size` bytes (a file may shrink or grow while read; never more than its size at open). */
function readAll(fd: number, size: number): Buffer {
  const buf = Buffer.allocUnsafe(size);
  let off = 0;
  while (off < size) {
    const n = readSync(fd, buf, off, size - off, off);
    if (n === 0) break;
    off += n;
  }
  return off === size ? buf : buf.subarray(0, off);
}

function codeOf(err: unknown): string {
  if (err && typeof err === 'object' && 'code' in err && typeof err.code === 'string') return err.code;
  return err instanceof Error ? err.message : String(err);
}
