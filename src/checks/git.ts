import { GitError } from '../errors.js';
import { gitRaw, gitRawShared, WORK_TREE_QUERY, type GitConfig, type GitResult } from '../git/run.js';

/**
 * The git queries the hygiene check needs, spawned through src/git/run.ts. Every query is one git
 * process over all the paths (on stdin, or in a few chunked argument lists), never one process per
 * file. Paths are relative to the repository top, `/`-separated, NUL-separated on the wire.
 */

function runGit(cwd: string, args: string[], input?: Buffer | string, config: GitConfig = []): Promise<GitResult> {
  return gitRaw(cwd, args, input, config);
}

async function gitOk(cwd: string, args: string[], input?: Buffer | string, okCodes: readonly number[] = [0], config: GitConfig = []): Promise<Buffer> {
  const r = await runGit(cwd, args, input, config);
  if (!okCodes.includes(r.code)) {
    throw new GitError(`git ${args[0] === '--literal-pathspecs' ? args[1] : args[0]} failed (exit ${r.code}): ${r.stderr.trim().split('\n')[0] ?? ''}`);
  }
  return r.stdout;
}

function splitZ(buf: Buffer): string[] {
  return buf.toString('utf8').split('\0').filter((s) => s !== '');
}

/** Where a directory sits in its repository. */
export interface RepoInfo {
  /** Absolute path of the work tree's top. */
  top: string;
  /** The directory's path relative to the top, with a trailing `/` ('' at the top). */
  prefix: string;
}

/** The repository `dir` is in, or undefined outside a work tree (or without git). */
export async function repoInfo(dir: string): Promise<RepoInfo | undefined> {
  let r: GitResult;
  try {
    r = await gitRawShared(dir, WORK_TREE_QUERY);
  } catch {
    return undefined;
  }
  if (r.code !== 0) return undefined;
  const [inside, top, prefix] = r.stdout.toString('utf8').split('\n');
  if (inside !== 'true' || !top) return undefined;
  return { top, prefix: prefix ?? '' };
}

/** Files under `pathspec` (top-relative; '' for all): tracked (in the index) and untracked (ignored or not). */
export async function listPaths(top: string, pathspec: string): Promise<{ tracked: Set<string>; untracked: string[] }> {
  const args = ['--literal-pathspecs', 'ls-files', '-z', '-t', '--cached', '--others'];
  if (pathspec !== '') args.push('--', pathspec);
  const tracked = new Set<string>();
  const untracked: string[] = [];
  for (const entry of splitZ(await gitOk(top, args))) {
    const tag = entry.slice(0, 1);
    const path = entry.slice(2);
    if (tag === '?') untracked.push(path);
    else tracked.add(path);
  }
  return { tracked, untracked };
}

/**
 * The paths git's ignore rules exclude (every .gitignore level, .git/info/exclude,
 * core.excludesFile, negations), tracked or not: `git check-ignore --no-index`, all paths in one
 * process on stdin.
 */
export async function ignoredPaths(top: string, paths: readonly string[]): Promise<Set<string>> {
  if (paths.length === 0) return new Set();
  // Exit 1 means "none of them is ignored".
  const out = await gitOk(top, ['check-ignore', '--no-index', '-z', '--stdin'], `${paths.join('\0')}\0`, [0, 1]);
  return new Set(splitZ(out));
}

/**
 * For each path that some commit on any ref touched: the commits (newest first). Pathspecs go in
 * chunks that fit a command line. Without any commit, git prints nothing.
 */
export async function historyOf(top: string, paths: readonly string[]): Promise<Map<string, string[]>> {
  const result = new Map<string, string[]>();
  const wanted = new Set(paths);
  for (const chunk of chunks(paths, 24_000)) {
    const out = await gitOk(top, ['--literal-pathspecs', 'log', '--all', '--format=%x01%H', '--name-only', '-z', '--no-renames', '--', ...chunk]);
    for (const record of out.toString('utf8').split('\x01')) {
      if (record === '') continue;
      const [sha, ...names] = record.split('\0');
      if (!sha) continue;
      for (const raw of names) {
        const name = raw.replace(/^\n/, '');
        if (name === '' || !wanted.has(name)) continue;
        const list = result.get(name);
        if (list) {
          if (list[list.length - 1] !== sha) list.push(sha);
        } else result.set(name, [sha]);
      }
    }
  }
  return result;
}

function* chunks(paths: readonly string[], maxChars: number): Generator<string[]> {
  let chunk: string[] = [];
  let size = 0;
  for (const p of paths) {
    if (chunk.length > 0 && size + p.length + 1 > maxChars) {
      yield chunk;
      chunk = [];
      size = 0;
    }
    chunk.push(p);
    size += p.length + 1;
  }
  if (chunk.length > 0) yield chunk;
}

/**
 * Paths the index changes relative to HEAD (added, copied, modified, renamed): what a commit would
 * add. Before the first commit git compares with the empty tree.
 */
export async function stagedPaths(cwd: string): Promise<string[]> {
  // Names are top-relative from any directory of the work tree (diff.relative forced off), so this
  // can be asked before the top is known.
  return splitZ(await gitOk(cwd, ['diff', '--cached', '--name-only', '-z', '--no-renames', '--diff-filter=ACMR'], undefined, [0], [['diff.relative', 'false']]));
}

/** The index's content of each path (one `ls-files -s` and one `cat-file --batch` process). Paths not in the index are left out. */
export async function indexContents(top: string, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  if (paths.length === 0) return result;
  const wanted = new Set(paths);
  const shaOf = new Map<string, string>();
  for (const entry of splitZ(await gitOk(top, ['ls-files', '-s', '-z']))) {
    // <mode> SP <sha> SP <stage> TAB <path>
    const tab = entry.indexOf('\t');
    const path = entry.slice(tab + 1);
    const [mode, sha, stage] = entry.slice(0, tab).split(' ');
    if (!wanted.has(path) || stage !== '0' || !sha || mode === '160000') continue;
    shaOf.set(path, sha);
  }
  const order = [...new Set(shaOf.values())];
  if (order.length === 0) return result;
  const out = await gitOk(top, ['cat-file', '--batch'], `${order.join('\n')}\n`);
  const blobs = new Map<string, Buffer>();
  let at = 0;
  for (const sha of order) {
    const nl = out.indexOf(0x0a, at);
    if (nl < 0) break;
    const header = out.subarray(at, nl).toString('utf8').split(' ');
    at = nl + 1;
    if (header[1] === 'missing') continue;
    const size = Number(header[2]);
    blobs.set(sha, out.subarray(at, at + size));
    at += size + 1;
  }
  for (const [path, sha] of shaOf) {
    const b = blobs.get(sha);
    if (b) result.set(path, b);
  }
  return result;
}
