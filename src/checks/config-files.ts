// Sync file calls: a few small files, and node:fs/promises would cost the pre-commit hook its load time.
import { closeSync, constants, fstatSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import ignore from 'ignore';
import { fingerprint } from '../detect/fingerprint.js';
import { adviceFor, adviceLines } from '../report/advice.js';
import type { SourceStats } from '../sources/stats.js';
import type { Finding, ProviderSpec, Severity } from '../types.js';
import { Classifier } from './classify.js';
import { historyOf, ignoredPaths, indexContents, listPaths, repoInfo, stagedPaths, type RepoInfo } from './git.js';
import { ignoreFixFor, type IgnoreFix } from './gitignore-fix.js';
import { builtinHygieneSpec, type FileKindSpec, type HygieneSpec } from './spec.js';

/** The hygiene rules: one per problem a secret-bearing config file can have. */
export const HYGIENE_RULES = {
  'config-file-not-ignored': {
    name: 'Config file that holds secrets is not git-ignored',
    severity: 'high',
    description: 'No .gitignore level, .git/info/exclude or core.excludesFile ignores the file, so `git add -A` would commit it. Fix: append the line the finding gives to the .gitignore it names (`leakhound fix-ignore` does it).',
  },
  'config-file-tracked': {
    name: 'Config file that holds secrets is tracked by git',
    severity: 'high',
    description: 'The file is in the index: committed, or staged to be. Ignore rules do not apply to tracked files. Fix: `git rm --cached -- <file>` (keeps the file on disk) and commit.',
  },
  'config-file-in-history': {
    name: 'Config file that holds secrets is in git history',
    severity: 'critical',
    description: 'A commit on some ref holds the file: every secret it held is leaked to anyone with a clone. Fix: revoke and regenerate those secrets; removing the file or rewriting history does not un-leak them.',
  },
} as const satisfies Record<string, { name: string; severity: Severity; description: string }>;

export type HygieneRuleId = keyof typeof HYGIENE_RULES;

/** The provider hygiene findings name (from the data file), for reporters' `extraProviders`. */
export function hygieneProvider(spec: HygieneSpec = builtinHygieneSpec()): ProviderSpec {
  return spec.provider;
}

/** `leakhound explain` text for a hygiene rule id, or undefined for any other id. */
export function explainHygieneRule(ruleId: string): string[] | undefined {
  if (!Object.hasOwn(HYGIENE_RULES, ruleId)) return undefined;
  const rule = HYGIENE_RULES[ruleId as HygieneRuleId];
  const provider = hygieneProvider();
  return [`${ruleId}: ${rule.name} (${provider.name})`, '', rule.description, '', ...adviceLines(adviceFor(provider))];
}

/** Bytes of a file read for content tests. */
const CONTENT_LIMIT = 1024 * 1024;

/** The state of one secret-bearing file. */
export interface ConfigFileStatus {
  /** Path relative to the scanned root, `/`-separated (as findings have it). */
  file: string;
  /** Path relative to the repository top. */
  topPath: string;
  kind: FileKindSpec;
  /** Whether git's ignore rules exclude it. */
  ignored: boolean;
  /** Whether it is in the index (tracked, or staged to be). */
  tracked: boolean;
  /** Commits on any ref that touch it, newest first (worktree mode only). */
  commits: string[];
  /** Where to ignore it, when it is not ignored. */
  fix: IgnoreFix | undefined;
}

export interface HygieneOptions {
  /** Absolute path of the scanned directory (or file). */
  root: string;
  /**
   * The detector's findings for this scan (to know which config-named files hold a secret). May be
   * a promise: the check's first git queries then overlap the detection.
   */
  findings: readonly Finding[] | Promise<readonly Finding[]>;
  stats: SourceStats;
  /** `worktree` (default): files on disk; `staged`: what the index would commit. */
  mode?: 'worktree' | 'staged';
  spec?: HygieneSpec;
  /**
   * Staged mode: the paths the commit adds or changes, relative to the scanned directory, when the
   * caller reads the staged diff anyway (the staged source); otherwise git is asked.
   */
  stagedPaths?: Promise<string[]>;
}

export interface HygieneReport {
  /** Undefined outside a git work tree (the check was skipped, with a warning in stats). */
  repo: RepoInfo | undefined;
  files: ConfigFileStatus[];
  findings: Finding[];
}

export const NOT_A_REPO_WARNING = 'not a git repository: cannot tell which config files are git-ignored; the config-file check was skipped';

/**
 * Finds the secret-bearing config files under `root` (by name and content, from the data file) and
 * checks each against git: ignored? tracked? in history? Git is the source of truth (`git
 * check-ignore --no-index` over every ignore level, `.git/info/exclude` and core.excludesFile).
 * Outside a repository it adds one warning to `stats` and returns nothing.
 */
export async function auditConfigFiles(options: HygieneOptions): Promise<HygieneReport> {
  const spec = options.spec ?? builtinHygieneSpec();
  const mode = options.mode ?? 'worktree';
  const isFile = statSync(options.root).isFile();
  const dir = isFile ? dirname(options.root) : options.root;
  // Staged: what the commit adds comes from the caller's diff, or is asked for beside where the work
  // tree is (two git processes at once).
  const asked = mode === 'staged' && !options.stagedPaths ? stagedPaths(dir) : undefined;
  asked?.catch(() => undefined); // outside a repository it fails, and is not awaited
  const repo = await repoInfo(dir);
  if (!repo) {
    options.stats.warnings.push(NOT_A_REPO_WARNING);
    return { repo: undefined, files: [], findings: [] };
  }
  const prefix = repo.prefix;
  const pathspec = isFile ? `${prefix}${basename(options.root)}` : prefix.replace(/\/$/, '');
  const underRoot = (topPath: string): boolean => (isFile ? topPath === pathspec : topPath.startsWith(prefix));
  const rel = (topPath: string): string => topPath.slice(prefix.length);
  const classifier = new Classifier(spec);
  // Paths leakhound is told not to look at (`.leakhoundignore` at the scan root) are left out here too.
  const skip = await leakhoundIgnore(dir);

  let tracked: Set<string>;
  let candidates: string[];
  if (mode === 'staged') {
    candidates = options.stagedPaths ? (await options.stagedPaths).map((p) => prefix + p) : asked ? (await asked).filter(underRoot) : [];
    tracked = new Set(candidates);
  } else {
    const listed = await listPaths(repo.top, pathspec);
    tracked = listed.tracked;
    candidates = [...new Set([...listed.tracked, ...listed.untracked])];
  }
  const withSecret = new Set((await options.findings).map((f) => f.file));
  candidates = candidates.filter((p) => !skip(rel(p)) && classifier.isCandidate({ path: rel(p), secretFound: withSecret.has(rel(p)) })).sort();

  const needContent = candidates.filter((p) => classifier.needsContent({ path: rel(p), secretFound: withSecret.has(rel(p)) }));
  const contents = mode === 'staged' ? await indexContents(repo.top, needContent) : await readAll(repo.top, needContent);
  const bearing: { topPath: string; kind: FileKindSpec }[] = [];
  for (const p of candidates) {
    const bytes = contents.get(p);
    const kind = classifier.classify({ path: rel(p), secretFound: withSecret.has(rel(p)) }, bytes?.subarray(0, CONTENT_LIMIT).toString('utf8'));
    if (kind) bearing.push({ topPath: p, kind });
  }
  const paths = bearing.map((b) => b.topPath);
  const ignored = await ignoredPaths(repo.top, paths);
  const history = mode === 'worktree' ? await historyOf(repo.top, paths) : new Map<string, string[]>();

  const files: ConfigFileStatus[] = bearing.map(({ topPath, kind }) => {
    const isIgnored = ignored.has(topPath);
    return {
      file: rel(topPath),
      topPath,
      kind,
      ignored: isIgnored,
      tracked: tracked.has(topPath),
      commits: history.get(topPath) ?? [],
      fix: isIgnored ? undefined : ignoreFixFor(repo.top, topPath),
    };
  });
  const findings = files.flatMap((s) => findingsFor(s, mode, prefix, spec.provider));
  return { repo, files, findings };
}

/** A predicate for the paths `.leakhoundignore` in `dir` excludes (none when there is no such file). */
async function leakhoundIgnore(dir: string): Promise<(rel: string) => boolean> {
  let text: string;
  try {
    text = readFileSync(join(dir, '.leakhoundignore'), 'utf8');
  } catch {
    return () => false;
  }
  const rules = ignore().add(text);
  return (rel) => rel !== '' && !rel.startsWith('..') && rules.ignores(rel);
}

async function readAll(top: string, paths: readonly string[]): Promise<Map<string, Buffer>> {
  const result = new Map<string, Buffer>();
  const queue = [...paths];
  const worker = async (): Promise<void> => {
    for (let p = queue.shift(); p !== undefined; p = queue.shift()) {
      const bytes = await readHead(join(top, p));
      if (bytes) result.set(p, bytes);
    }
  };
  await Promise.all(Array.from({ length: Math.min(16, queue.length) }, worker));
  return result;
}

/** The first CONTENT_LIMIT bytes of a regular file, or undefined when it cannot be read. */
async function readHead(path: string): Promise<Buffer | undefined> {
  try {
    // O_NONBLOCK: a FIFO named like a config file must not hang the open (it is then skipped as not a file).
    const fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
    try {
      const st = fstatSync(fd);
      if (!st.isFile()) return undefined;
      const size = Math.min(st.size, CONTENT_LIMIT);
      const buf = Buffer.allocUnsafe(size);
      const bytesRead = readSync(fd, buf, 0, size, 0);
      return buf.subarray(0, bytesRead);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
}

/** Quotes a path for a POSIX shell when it needs it. */
export function shellQuote(path: string): string {
  return /^[A-Za-z0-9_./@%+=:,-]+$/.test(path) ? path : `'${path.replace(/'/g, `'\\''`)}'`;
}

const SAFE_ALTERNATIVE =
  'Keep the values out of git: environment variables or a secret manager, and commit a template (e.g. .env.example) with empty values instead.';

function makeFinding(ruleId: HygieneRuleId, status: ConfigFileStatus, mode: 'worktree' | 'staged', provider: ProviderSpec, advice: string[]): Finding {
  const rule = HYGIENE_RULES[ruleId];
  return {
    ruleId,
    ruleName: rule.name,
    providerId: provider.id,
    providerName: provider.name,
    severity: rule.severity,
    origin: { kind: mode === 'staged' ? 'staged' : 'file', path: status.file },
    file: status.file,
    line: 1,
    endLine: 1,
    column: 1,
    endColumn: 1,
    secret: '',
    lineText: '',
    entropy: 0,
    fingerprint: fingerprint(ruleId, status.file, ''),
    advice,
  };
}

/** The findings for one file: one per problem, each with the exact fix. */
export function findingsFor(status: ConfigFileStatus, mode: 'worktree' | 'staged', rootPrefix: string, provider: ProviderSpec): Finding[] {
  const out: Finding[] = [];
  const what = `${status.kind.name} (${status.kind.id})`;
  const quoted = shellQuote(status.file);
  if (!status.ignored && status.fix) {
    const gi = status.fix.gitignore.startsWith(rootPrefix) ? status.fix.gitignore.slice(rootPrefix.length) : `<repository top>/${status.fix.gitignore}`;
    out.push(
      makeFinding('config-file-not-ignored', status, mode, provider, [
        `${what} is not git-ignored: add the line \`${status.fix.line}\` to ${gi} (or run \`leakhound fix-ignore\`)`,
        SAFE_ALTERNATIVE,
      ]),
    );
  }
  if (status.tracked) {
    const advice =
      mode === 'staged'
        ? [`this commit would add ${what} to git: unstage it with \`git rm --cached -- ${quoted}\` (the file stays on disk)`]
        : [`${what} is tracked by git: stop tracking it with \`git rm --cached -- ${quoted}\` and commit (the file stays on disk)`];
    if (status.ignored) advice.push('It is git-ignored, but ignore rules do not apply to files git already tracks.');
    advice.push(SAFE_ALTERNATIVE);
    out.push(makeFinding('config-file-tracked', status, mode, provider, advice));
  }
  // Once a file is ignored and untracked, its past is a history-scan matter: `scan --history`
  // reports each secret it held with the commit that introduced it and the revoke advice. A tree
  // scan then reports nothing for the file, so the fix is visible as a clean result.
  if (status.commits.length > 0 && out.length > 0) {
    const first = status.commits[status.commits.length - 1]!;
    const n = status.commits.length;
    out.push(
      makeFinding('config-file-in-history', status, mode, provider, [
        `${what} is in ${n} commit${n === 1 ? '' : 's'} (first ${first.slice(0, 12)}): revoke and regenerate every secret it holds or ever held; removing it or rewriting history does not un-leak it`,
        `see the commits: git log --all --oneline -- ${quoted}`,
      ]),
    );
  }
  return out;
}
