import { nowMs } from '../clock.js';
import { readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { isAbsolute, join } from 'node:path';
import { GitError, UsageError } from '../errors.js';
import { DiffParser, HEADER_FORMAT, type CommitEvent, type DiffEvent } from '../git/diff-parse.js';
import { assertRepository, countCommits, isAncestor, isShallow, locate, verifyCommit } from '../git/repo.js';
import { gitRaw, gitStream, mergeDriverOverrides, type GitConfig } from '../git/run.js';
import type { Fragment, Origin } from '../types.js';
import { DIFF_FLAGS, addedFragments, leakhoundIgnore } from './staged.js';
import type { SourceStats } from './stats.js';

/** Which commits a history scan walks. With none set: every commit reachable from any ref (`--all`). */
export interface HistorySelection {
  /** `A..B` (B defaults to HEAD): commits reachable from B and not from A. */
  range?: string;
  /** One ref (branch, tag, commit): the commits reachable from it. */
  branch?: string;
  /** Commits after this one, up to `branch` (or HEAD): the same as `SHA..HEAD`. */
  sinceCommit?: string;
}

export interface HistoryProgress {
  commits: number;
  /** Commits the walk will visit, when known. */
  total: number | undefined;
  bytes: number;
  elapsedMs: number;
}

export interface HistoryOptions extends HistorySelection {
  /** Absolute scan path: a directory in a work tree (limits the scan to it) or one file. */
  root: string;
  stats: SourceStats;
  maxFileSize: number;
  /** Filled with each commit's position in the walk (0 = newest); used for attribution. */
  order?: Map<string, number>;
  /** Called at most every 200 ms while scanning. Setting it also counts the commits first (for an ETA). */
  onProgress?: (p: HistoryProgress) => void;
}

/**
 * Resolves the selection into `git log` revision arguments, verifying every ref
 * (`rev-parse --verify --end-of-options <ref>^{commit}`) so that none can become an option.
 */
export async function resolveRevisions(cwd: string, sel: HistorySelection): Promise<{ revs: string[]; label: string }> {
  const given = [sel.range, sel.sinceCommit].filter((x) => x !== undefined).length;
  if (given > 1) throw new UsageError('--range and --since-commit cannot be used together');
  if (sel.range !== undefined && sel.branch !== undefined) throw new UsageError('--range and --branch cannot be used together (put the branch in the range: A..branch)');
  let from: string | undefined;
  let to: string | undefined;
  let label: string;
  if (sel.range !== undefined) {
    if (sel.range.includes('...')) throw new UsageError(`--range: A...B (symmetric difference) is not supported; use A..B, got "${sel.range}"`);
    const m = /^(.*?)\.\.(?!\.)(.*)$/.exec(sel.range);
    if (!m || m[1] === '') throw new UsageError(`--range: expected A..B (B defaults to HEAD), got "${sel.range}"`);
    from = m[1]!;
    to = m[2] === '' ? 'HEAD' : m[2]!;
    label = `range ${sel.range}`;
  } else if (sel.sinceCommit !== undefined) {
    from = sel.sinceCommit;
    to = sel.branch ?? 'HEAD';
    label = `commits after ${sel.sinceCommit}`;
  } else if (sel.branch !== undefined) {
    to = sel.branch;
    label = `branch ${sel.branch}`;
  } else {
    return { revs: ['--all'], label: 'all refs' };
  }
  const toSha = await verifyCommit(cwd, to!, sel.branch !== undefined && from === undefined ? 'branch' : 'revision');
  if (from === undefined) return { revs: [toSha], label };
  const fromSha = await verifyCommit(cwd, from, 'revision');
  if ((await isShallow(cwd)) && !(await isAncestor(cwd, fromSha, toSha))) {
    throw new GitError(
      `${label}: this is a shallow clone and ${from} is not in the fetched history of ${to}; run git fetch --unshallow (or check out with fetch-depth: 0)`,
    );
  }
  return { revs: [toSha, `^${fromSha}`], label };
}

/**
 * Caps on git's own memory during `git log -p`, so that it does not grow with the repository: git
 * otherwise maps pack files in 1 GiB windows (up to 8 GiB) and caches 96 MiB of delta bases. On a
 * 20,459-commit repository with a 159 MB pack (bench/make-history.mjs --large) these took git's
 * peak RSS from 294 MB to 127 MB for about 20% more git time (49 s to 59 s).
 */
const BOUNDED_GIT_MEMORY: GitConfig = [
  ['core.deltaBaseCacheLimit', '32m'],
  ['core.packedGitWindowSize', '32m'],
  ['core.packedGitLimit', '96m'],
];

/**
 * The history source: one streaming `git log -p` over the selected commits (merges as
 * `--remerge-diff`, i.e. only what the merge itself changed), yielding the lines each commit adds
 * with the path and line number they have at that commit. Throws GitError when the selection
 * holds no commits (a scan that read nothing is not a clean scan).
 */
export async function* historyFragments(options: HistoryOptions): AsyncGenerator<Fragment> {
  const { stats, maxFileSize } = options;
  const { cwd, pathspec } = locate(options.root);
  await assertRepository(cwd);
  const { revs, label } = await resolveRevisions(cwd, options);
  if (revs.length === 1 && (await isShallow(cwd))) {
    stats.warnings.push('this is a shallow clone: only the fetched commits were scanned (run git fetch --unshallow to scan all history)');
  }
  const started = nowMs();
  let total: number | undefined;
  if (options.onProgress) void countCommits(cwd, revs).then((n) => (total = n), () => undefined);
  let commits = 0;
  stats.commits = 0;
  const order = options.order;
  let commit: CommitEvent | undefined;
  let lastReport = 0;
  const args = [
    'log',
    ...DIFF_FLAGS,
    '--diff-merges=remerge',
    '--root',
    '--no-show-signature',
    '--irreversible-delete',
    `--format=${HEADER_FORMAT}`,
    ...(revs[0] === '--all' ? revs : ['--end-of-options', ...revs]),
    '--',
    ...pathspec.map((p) => `:(literal)${p}`),
  ];
  // An attribute (`-diff`, `binary`, `diff=x` with `diff.x.binary`) must not hide a secret: when
  // any attributes file could say so, diff everything as text; binary content is still skipped
  // (addedFragments sniffs each run for NUL bytes).
  if (await attributesMayMarkBinary(cwd)) args.splice(args.indexOf('--format=' + HEADER_FORMAT), 0, '--text');
  const ignored = leakhoundIgnore(cwd, pathspec);
  const parser = new DiffParser(maxFileSize);
  const handle = function* (events: DiffEvent[]): Generator<Fragment> {
    for (const event of events) {
      if (event.type === 'commit') {
        commit = event;
        order?.set(event.sha, commits++);
        stats.commits = commits;
        continue;
      }
      if (!commit) throw new GitError('git log: file change before any commit header');
      if (ignored(event)) continue;
      const origin: Origin = { kind: 'commit', sha: commit.sha, path: event.entry.path, author: commit.author, email: commit.email, date: commit.date };
      yield* addedFragments(event, origin, stats, maxFileSize);
    }
  };
  const noMergeDrivers = await mergeDriverOverrides(cwd);
  for await (const chunk of gitStream(cwd, args, [...noMergeDrivers, ...BOUNDED_GIT_MEMORY])) {
    yield* handle(parser.push(chunk));
    if (options.onProgress) {
      const now = nowMs();
      if (now - lastReport >= 200) {
        lastReport = now;
        options.onProgress({ commits, total, bytes: stats.bytes, elapsedMs: now - started });
      }
    }
  }
  yield* handle(parser.end());
  options.onProgress?.({ commits, total: commits, bytes: stats.bytes, elapsedMs: nowMs() - started });
  if (commits === 0) throw new GitError(`${label} contains no commits: nothing was scanned`);
}

/**
 * Whether any attributes file git reads for `git log` (every .gitattributes in the work tree or
 * index, `info/attributes`, `core.attributesFile` or its XDG default) mentions `diff` or `binary`,
 * i.e. could make git print "Binary files differ" for a text file.
 */
export async function attributesMayMarkBinary(cwd: string): Promise<boolean> {
  const files: string[] = [];
  const top = await gitRaw(cwd, ['rev-parse', '--show-toplevel']);
  const topDir = top.code === 0 ? top.stdout.toString('utf8').replace(/\n$/, '') : undefined;
  const listed = await gitRaw(cwd, ['ls-files', '-z', '--cached', '--others', '--exclude-standard', '--full-name', '--', ':(top,glob)**/.gitattributes']);
  if (topDir !== undefined && listed.code === 0) for (const p of listed.stdout.toString('utf8').split('\0')) if (p !== '') files.push(join(topDir, p));
  const gitDir = await gitRaw(cwd, ['rev-parse', '--git-common-dir']);
  if (gitDir.code === 0) {
    const d = gitDir.stdout.toString('utf8').replace(/\n$/, '');
    files.push(join(isAbsolute(d) ? d : join(cwd, d), 'info', 'attributes'));
  }
  const configured = await gitRaw(cwd, ['config', '--path', '--get', 'core.attributesFile']);
  if (configured.code === 0) files.push(configured.stdout.toString('utf8').replace(/\n$/, ''));
  else files.push(join(process.env['XDG_CONFIG_HOME'] || join(homedir(), '.config'), 'git', 'attributes'));
  if (process.env['GIT_ATTR_NOSYSTEM'] === undefined) files.push('/etc/gitattributes');
  for (const f of files) {
    let text: string;
    try {
      text = readFileSync(f, 'utf8');
    } catch {
      continue;
    }
    if (/(^|[\s-])(diff|binary)\b/m.test(text)) return true;
  }
  // A bare repository reads attributes from HEAD's tree instead: be safe.
  return topDir === undefined;
}
