import { statSync } from 'node:fs';
import { basename, dirname } from 'node:path';
import { GitError } from '../errors.js';
import { git, gitRaw, gitRawShared, WORK_TREE_QUERY } from './run.js';

/** Where to run git for a scan path, and the pathspec that limits it (relative to `cwd`). */
export interface GitLocation {
  /** Directory git runs in (the scan path, or a file's folder). */
  cwd: string;
  /** Literal pathspecs after `--`; empty means the whole of `cwd` (with `--relative`). */
  pathspec: string[];
}

/** Maps a scan path (absolute) to a git working directory and pathspec. */
export function locate(root: string): GitLocation {
  let isFile = false;
  try {
    isFile = statSync(root).isFile();
  } catch {
    // scan() has already checked the path; a race is reported by git itself.
  }
  return isFile ? { cwd: dirname(root), pathspec: [basename(root)] } : { cwd: root, pathspec: [] };
}

/** Throws GitError unless `cwd` is inside a git work tree. */
export async function assertWorkTree(cwd: string): Promise<void> {
  const r = await gitRawShared(cwd, WORK_TREE_QUERY);
  if (r.code !== 0 || r.stdout.toString().split('\n')[0] !== 'true') {
    throw new GitError(`not a git repository: ${cwd} (run leakhound inside a git work tree, or scan without --staged/--history)`);
  }
}

/** Full id of the commit `ref` names; GitError (naming the ref) when it names none. */
export async function verifyCommit(cwd: string, ref: string, what = 'revision'): Promise<string> {
  const r = await gitRaw(cwd, ['rev-parse', '--verify', '--quiet', '--end-of-options', `${ref}^{commit}`]);
  const sha = r.stdout.toString().trim();
  if (r.code !== 0 || !/^[0-9a-f]{40,64}$/.test(sha)) {
    const shallow = await isShallow(cwd);
    throw new GitError(
      `unknown ${what} "${ref}": no such commit in this repository` +
        (shallow ? ' (this is a shallow clone that may lack it: run git fetch --unshallow, or check out with fetch-depth: 0)' : ''),
    );
  }
  return sha;
}

/** Throws GitError unless `cwd` is inside a git repository (a work tree or a bare repository). */
export async function assertRepository(cwd: string): Promise<void> {
  const r = await gitRaw(cwd, ['rev-parse', '--git-dir']);
  if (r.code !== 0) throw new GitError(`not a git repository: ${cwd} (run leakhound inside a git repository, or scan without --history)`);
}

export async function isShallow(cwd: string): Promise<boolean> {
  const r = await gitRaw(cwd, ['rev-parse', '--is-shallow-repository']);
  return r.code === 0 && r.stdout.toString().trim() === 'true';
}

/** Whether `ancestor` is an ancestor of (or equal to) `descendant`. */
export async function isAncestor(cwd: string, ancestor: string, descendant: string): Promise<boolean> {
  const r = await gitRaw(cwd, ['merge-base', '--is-ancestor', ancestor, descendant]);
  if (r.code > 1) throw new GitError(`git merge-base failed: ${r.stderr.split('\n')[0] ?? ''}`);
  return r.code === 0;
}

/** Number of commits the revision arguments select. */
export async function countCommits(cwd: string, revs: readonly string[]): Promise<number> {
  const out = await git(cwd, ['rev-list', '--count', ...revs, '--']);
  return Number(out.toString().trim());
}
