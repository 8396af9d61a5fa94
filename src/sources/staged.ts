import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import ignore from 'ignore';
import { DiffParser, type DiffEvent } from '../git/diff-parse.js';
import { assertWorkTree, locate } from '../git/repo.js';
import { git, gitStream } from '../git/run.js';
import type { Fragment } from '../types.js';
import { CHUNK_BYTES, CHUNK_OVERLAP, CHUNKED_ABOVE, chunkText, toScannableText } from './content.js';
import { primed } from './primed.js';
import { countSkip, type SourceStats } from './stats.js';

export interface StagedOptions {
  /** Absolute scan path: a directory inside a work tree (limits the scan to it) or one file. */
  root: string;
  stats: SourceStats;
  /** Added text larger than this many bytes in one file is skipped and counted. */
  maxFileSize: number;
  /**
   * Called once the diff is read with the paths the commit adds or changes (added, modified,
   * renamed: the new path), relative to the scanned directory, `.leakhoundignore` not applied
   * (submodule pointers are not among them: the diff ignores submodules): what the config-file
   * check would otherwise ask git for a second time.
   */
  onChangedPaths?: (paths: string[]) => void;
}

/** Raw statuses of what a commit adds or changes (type changes and unmerged paths are not). */
const CHANGED = ['A', 'M', 'R', 'C'];

/** Flags shared by staged and history diffs: plumbing-stable output whatever the user's config. */
export const DIFF_FLAGS = [
  '--raw',
  '-p',
  '-z',
  '-U0',
  '--inter-hunk-context=0',
  '--no-color',
  '--no-ext-diff',
  '--no-textconv',
  '--src-prefix=a/',
  '--dst-prefix=b/',
  '-M',
  '--relative',
  '--ignore-submodules=all',
] as const;

/**
 * The pre-commit source: what `git commit` would record. Reads the index through
 * `git diff --cached` (against HEAD, or the empty tree before the first commit; during a merge,
 * against the first parent), keeps only the lines the commit adds, and yields one Fragment per
 * run of added lines, `startLine` being that line's number in the staged file. The working file
 * is never read. Binary files and symlinks are counted and skipped; unmerged paths are warned about.
 */
export async function* stagedFragments(options: StagedOptions): AsyncGenerator<Fragment> {
  const { stats, maxFileSize } = options;
  const { cwd, pathspec } = locate(options.root);
  const args = ['diff', '--cached', ...DIFF_FLAGS, '--diff-filter=ACMRTU', '--', ...pathspec.map((p) => `:(literal)${p}`)];
  // The diff starts beside the work-tree check (two git processes at once, not one after the other);
  // outside a work tree the check's message is the one reported.
  const events = primed(diffEvents(cwd, args, maxFileSize));
  try {
    await assertWorkTree(cwd);
  } catch (err) {
    events.cancel();
    throw err;
  }
  const ignored = leakhoundIgnore(cwd, pathspec);
  const binaries: string[] = [];
  const changed: string[] = [];
  for await (const event of events) {
    if (event.type === 'file' && CHANGED.includes(event.entry.status)) changed.push(event.entry.path);
    if (ignored(event)) continue;
    if (event.type === 'file' && event.binary && isRegular(event.entry.dstMode)) binaries.push(event.entry.path);
    else yield* toFragments(event, stats, maxFileSize);
  }
  options.onChangedPaths?.(changed);
  if (binaries.length === 0) return;
  // git calls a file binary by content (a NUL byte) or by attributes (`-diff`, `binary`). An attribute
  // must not hide a secret: re-read those files as text; real binary content is still skipped (by NUL sniffing).
  const byAttribute = await attributeBinary(cwd, binaries);
  for (let i = 0; i < binaries.length - byAttribute.length; i++) countSkip(stats, 'binary');
  if (byAttribute.length === 0) return;
  for (let i = 0; i < byAttribute.length; i += 500) {
    const batch = byAttribute.slice(i, i + 500).map((p) => `:(literal)${p}`);
    for await (const event of diffEvents(cwd, ['diff', '--cached', ...DIFF_FLAGS, '--text', '--diff-filter=ACMRT', '--', ...batch], maxFileSize)) {
      yield* toFragments(event, stats, maxFileSize);
    }
  }
}

async function* diffEvents(cwd: string, args: string[], maxFileSize: number): AsyncGenerator<DiffEvent> {
  const parser = new DiffParser(maxFileSize);
  for await (const chunk of gitStream(cwd, args)) yield* parser.push(chunk);
  yield* parser.end();
}

function isRegular(mode: string): boolean {
  return mode === '100644' || mode === '100755';
}

/**
 * Of `paths`, those whose `diff` attribute may have made git call them binary, per the index's
 * .gitattributes: unset (`-diff`, the `binary` macro) or naming a driver (`diff=x`, which
 * `diff.x.binary` can make binary). Only `unspecified` and `set` leave it to the content.
 */
async function attributeBinary(cwd: string, paths: string[]): Promise<string[]> {
  const out = (await git(cwd, ['check-attr', '--cached', '-z', '--stdin', 'diff'], paths.map((p) => `${p}\0`).join(''))).toString('utf8').split('\0');
  const byAttribute = new Set<string>();
  for (let i = 0; i + 2 < out.length; i += 3) if (out[i + 2] !== 'unspecified' && out[i + 2] !== 'set') byAttribute.add(out[i]!);
  return paths.filter((p) => byAttribute.has(p));
}

/**
 * `.leakhoundignore` of the scan root (a directory), as the worktree source honours it: paths it
 * matches are not scanned in staged or history scans either. Read from disk, not from the index.
 */
export function leakhoundIgnore(cwd: string, pathspec: readonly string[]): (event: DiffEvent) => boolean {
  if (pathspec.length > 0) return () => false;
  let text: string;
  try {
    text = readFileSync(join(cwd, '.leakhoundignore'), 'utf8');
  } catch {
    return () => false;
  }
  const rules = ignore().add(text);
  return (event) => event.type === 'file' && rules.ignores(event.entry.path);
}

function* toFragments(event: DiffEvent, stats: SourceStats, maxFileSize: number): Generator<Fragment> {
  if (event.type !== 'file') return;
  const { entry } = event;
  if (entry.status === 'U') {
    countSkip(stats, 'unmerged');
    stats.warnings.push(`${entry.path} is unmerged: resolve the conflict and stage it`);
    return;
  }
  yield* addedFragments(event, { kind: 'staged', path: entry.path }, stats, maxFileSize);
}

/** Fragments for one file event (shared with the history source). Counts the file in `stats`. */
export function* addedFragments<O extends Fragment['origin']>(
  event: Extract<DiffEvent, { type: 'file' }>,
  origin: O,
  stats: SourceStats,
  maxFileSize: number,
): Generator<Fragment> {
  const mode = event.entry.dstMode;
  if (mode === '120000' || mode === '160000') {
    countSkip(stats, mode === '120000' ? 'symlink' : 'submodule');
    return;
  }
  if (event.binary) {
    countSkip(stats, 'binary');
    return;
  }
  if (event.tooLarge !== undefined) {
    countSkip(stats, 'too-large');
    stats.warnings.push(`skipped ${origin.path}: ${event.tooLarge} bytes added is over the ${maxFileSize}-byte limit (--max-file-size)`);
    return;
  }
  if (event.runs.length === 0) return;
  let size = 0;
  for (const run of event.runs) size += run.content.length;
  if (size > maxFileSize) {
    countSkip(stats, 'too-large');
    stats.warnings.push(`skipped ${origin.path}: ${size} bytes added is over the ${maxFileSize}-byte limit (--max-file-size)`);
    return;
  }
  const texts: { startLine: number; content: Buffer }[] = [];
  for (const run of event.runs) {
    const text = toScannableText(run.content);
    if (!text) {
      countSkip(stats, 'binary');
      return;
    }
    texts.push({ startLine: run.startLine, content: text });
  }
  stats.scanned++;
  stats.bytes += size;
  for (const t of texts) {
    if (t.content.length <= CHUNKED_ABOVE) {
      yield { origin, content: t.content, startLine: t.startLine };
      continue;
    }
    // A huge run (the cap was raised): overlapping chunks keep the detector's memory bounded.
    for (const c of chunkText([t.content], CHUNK_BYTES, CHUNK_OVERLAP)) {
      yield { origin, content: c.content, startLine: t.startLine + c.startLine - 1, startColumn: c.startColumn, owns: c.owns };
    }
  }
}
