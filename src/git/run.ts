import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { GitError } from '../errors.js';

/**
 * Git process helpers: the only place that spawns git. Arguments are passed as an array (no
 * shell); callers put refs after `--end-of-options` and paths after `--`. Errors become GitError
 * with one line: git missing, not a repository, or git's own first `fatal:`/`error:` line.
 */

export interface GitResult {
  stdout: Buffer;
  stderr: string;
  code: number;
}

/**
 * Settings forced on every git child (command-line scope, so they beat the repository's own
 * config): a scanned repository is untrusted input and must not make git run its programs.
 * `core.fsmonitor` is a command that `ls-files`, `diff --cached` and `check-attr` run;
 * `merge.renormalize` would pass merged blobs through clean filters during `--remerge-diff`.
 * (Textconv and external diff drivers are refused by `--no-textconv --no-ext-diff`; merge drivers,
 * which `--remerge-diff` runs, are named per repository: see `mergeDriverOverrides`.)
 */
export const SAFE_CONFIG: readonly (readonly [string, string])[] = [
  ['core.fsmonitor', 'false'],
  ['merge.renormalize', 'false'],
  ['log.showSignature', 'false'],
];

/** Extra config (key, value) pairs for one git child, on top of SAFE_CONFIG. */
export type GitConfig = readonly (readonly [string, string])[];

/**
 * Environment for git children: English messages, no prompts, no pager, SAFE_CONFIG (appended to
 * any GIT_CONFIG_COUNT the user set). Hook variables (GIT_INDEX_FILE) pass through.
 */
function gitEnv(extra: GitConfig = []): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, LC_ALL: 'C', LANGUAGE: 'C', GIT_TERMINAL_PROMPT: '0', GIT_PAGER: 'cat', GIT_OPTIONAL_LOCKS: '0' };
  const given = Number(env['GIT_CONFIG_COUNT'] ?? '0');
  let n = Number.isInteger(given) && given > 0 ? given : 0;
  for (const [key, value] of [...SAFE_CONFIG, ...extra]) {
    env[`GIT_CONFIG_KEY_${n}`] = key;
    env[`GIT_CONFIG_VALUE_${n}`] = value;
    n++;
  }
  env['GIT_CONFIG_COUNT'] = String(n);
  return env;
}

/** Runs git and buffers its output. Resolves with any exit code; rejects only when git cannot start. */
export function gitRaw(cwd: string, args: readonly string[], input?: string | Buffer, config: GitConfig = []): Promise<GitResult> {
  return new Promise((resolve, reject) => {
    const child = spawn('git', args, { cwd, env: gitEnv(config), stdio: [input === undefined ? 'ignore' : 'pipe', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout?.on('data', (c: Buffer) => out.push(c));
    child.stderr?.on('data', (c: Buffer) => err.push(c));
    child.on('error', (e) => reject(spawnError(e, cwd)));
    child.on('close', (code) => resolve({ stdout: Buffer.concat(out), stderr: Buffer.concat(err).toString('utf8'), code: code ?? -1 }));
    if (input !== undefined && child.stdin) {
      child.stdin.on('error', () => undefined);
      child.stdin.end(input);
    }
  });
}

/** Queries now running, by directory and arguments (see gitRawShared). */
const inFlight = new Map<string, Promise<GitResult>>();

/**
 * gitRaw without input or extra config, where a caller asking the same question of the same
 * directory while it is being answered shares that answer (the staged source and the hygiene
 * check both start by asking where the work tree is). Nothing is kept once the query settles.
 */
export function gitRawShared(cwd: string, args: readonly string[]): Promise<GitResult> {
  const key = `${cwd}\0${args.join('\0')}`;
  let running = inFlight.get(key);
  if (!running) {
    running = gitRaw(cwd, args);
    inFlight.set(key, running);
    const forget = (): void => void inFlight.delete(key);
    running.then(forget, forget);
  }
  return running;
}

/** Where `dir` sits in its work tree: the question both the staged source and the hygiene check ask first. */
export const WORK_TREE_QUERY = ['rev-parse', '--is-inside-work-tree', '--show-toplevel', '--show-prefix'] as const;

/** Runs git; throws GitError unless it exits 0. */
export async function git(cwd: string, args: readonly string[], input?: string | Buffer): Promise<Buffer> {
  const r = await gitRaw(cwd, args, input);
  if (r.code !== 0) throw gitFailure(args, r.stderr, cwd);
  return r.stdout;
}

/**
 * Streams git's stdout chunk by chunk (one long-running process, bounded memory: the child is
 * paused while the consumer works). Throws GitError after the last chunk if git failed. Breaking
 * out of the loop kills the child.
 */
export async function* gitStream(cwd: string, args: readonly string[], config: GitConfig = []): AsyncGenerator<Buffer> {
  const child = spawn('git', args, { cwd, env: gitEnv(config), stdio: ['ignore', 'pipe', 'pipe'] });
  const err: Buffer[] = [];
  let errBytes = 0;
  child.stderr.on('data', (c: Buffer) => {
    if (errBytes < 64 * 1024) err.push(c);
    errBytes += c.length;
  });
  let spawnErr: Error | undefined;
  const closed = new Promise<number>((resolve) => {
    child.on('error', (e) => {
      spawnErr = e;
      resolve(-1);
    });
    child.on('close', (code) => resolve(code ?? -1));
  });
  let finished = false;
  try {
    for await (const chunk of child.stdout) yield chunk as Buffer;
    const code = await closed;
    finished = true;
    if (spawnErr) throw spawnError(spawnErr, cwd);
    if (code !== 0) throw gitFailure(args, Buffer.concat(err).toString('utf8'), cwd);
  } finally {
    if (!finished && child.exitCode === null) child.kill();
  }
}

function spawnError(e: Error, cwd: string): GitError {
  if ('code' in e && e.code === 'ENOENT') {
    return new GitError(existsSync(cwd) ? 'git is not installed (or not on PATH); install git to scan staged changes or history' : `path not found: ${cwd}`, { cause: e });
  }
  return new GitError(`cannot run git: ${e.message}`, { cause: e });
}


/**
 * Config that neutralises every merge driver the repository defines (`merge.<name>.driver`, in any
 * config file git reads): `--remerge-diff` would otherwise run it as a shell command. Each becomes
 * `false`, i.e. a conflict, which is what the remerge shows anyway.
 */
export async function mergeDriverOverrides(cwd: string): Promise<GitConfig> {
  const r = await gitRaw(cwd, ['config', '-z', '--get-regexp', '^merge\\..+\\.driver$']);
  if (r.code !== 0) return [];
  const out: [string, string][] = [];
  for (const record of r.stdout.toString('utf8').split('\0')) {
    const key = record.split('\n', 1)[0];
    if (key) out.push([key, 'false']);
  }
  return out;
}

/** A GitError from a failed command, naming the first meaningful line of git's stderr. */
export function gitFailure(args: readonly string[], stderr: string, cwd: string): GitError {
  const lines = stderr.split('\n').map((l) => l.trim()).filter((l) => l !== '');
  if (lines.some((l) => /not a git repository/i.test(l))) return new GitError(`not a git repository: ${cwd} (run leakhound inside a git work tree, or scan without --staged/--history)`);
  const line = lines.find((l) => /^(fatal|error):/.test(l)) ?? lines[0] ?? 'no message';
  const sub = args.find((a) => !a.startsWith('-') && !a.includes('=')) ?? 'git';
  return new GitError(`git ${sub} failed: ${line.replace(/^(fatal|error):\s*/, '')}`);
}
