import { isoDateOf, nowMs } from './clock.js';
import { statSync } from 'node:fs';
import { resolve } from 'node:path';
import { auditConfigFiles, hygieneProvider } from './checks/config-files.js';
import { applyBaseline, type Baseline } from './baseline.js';
import { Detector, type AllowPolicy } from './detect/detector.js';
import { handOver } from './hand-over.js';
import { SourceError } from './errors.js';
import { makeFilter } from './filter.js';
import { makeDecoders } from './rules/regex.js';
import { rulesFor, type RuleSet } from './rules/load.js';
import { emptyStats, type SourceStats } from './sources/stats.js';
import type { HistoryProgress, HistorySelection } from './sources/history.js';
import { primed } from './sources/primed.js';
import { stagedFragments } from './sources/staged.js';
import { stdinFragments } from './sources/stdin.js';
import { listFiles, readFile, worktreeFragments, type ListedFile } from './sources/worktree.js';
import { DetectionWorkers, detectInParallel, measureFile, PARALLEL_MIN_BYTES, threadCount, workerScript, workersAllowed } from './parallel/pool.js';
import type { CompiledRule, Finding, Fragment, ProviderSpec } from './types.js';

export const DEFAULT_MAX_FILE_SIZE = 10 * 1024 * 1024;
export const DEFAULT_TIME_BUDGET_MS = 30_000;

/** What to read. `worktree` (default): files on disk; `stdin`: the given bytes. */
export type SourceSpec =
  | { kind: 'worktree' }
  | { kind: 'stdin'; content: Buffer; name?: string }
  /** What `git commit` would record: the lines the index adds (pre-commit mode). */
  | { kind: 'staged' }
  /** Commits (all refs by default); findings are folded per leak and carry `history`. */
  | ({ kind: 'history'; onProgress?: (p: HistoryProgress) => void } & HistorySelection);

export interface ScanOptions {
  /** Directory or file to scan (default: the current directory). */
  path?: string;
  /** What to read (default: the working tree under `path`). */
  source?: SourceSpec;
  /** Extra rule directories, loaded after the built-in rules. */
  rulesDirs?: string[];
  /** Skip the built-in rules (use only `rulesDirs`). */
  noBuiltinRules?: boolean;
  /** Files larger than this many bytes are skipped (default 10 MiB). */
  maxFileSize?: number;
  /** Rule ids to leave out. */
  disabledRules?: string[];
  /** Honour inline `leakhound:allow` markers (default true). */
  allowMarkers?: boolean;
  /** Today's date (YYYY-MM-DD) for allow-marker expiry; default: the real date. */
  today?: string;
  /** A rule set already loaded (skips loading). */
  ruleSet?: RuleSet;
  /** gitignore-style patterns of paths whose findings are dropped. */
  allowPaths?: string[];
  /** Secrets never reported: exact strings, or RE2 patterns written `/…/`. */
  allowSecrets?: string[];
  /** Check that config files holding secrets are git-ignored and untracked (worktree and staged scans; default true). */
  hygiene?: boolean;
  /** What inline allow comments may do (default `honour`; `allowMarkers: false` means `ignore`). */
  allowPolicy?: AllowPolicy;
  /** Words that mark a value as not a secret (case-insensitive substrings). */
  stopwords?: string[];
  /** Findings whose fingerprints this baseline records are hidden (counted in `hiddenByBaseline`). */
  baseline?: Baseline;
  /** Also scan the decoded text of base64 blocks and %-encoded runs (default true). */
  decode?: boolean;
  /** Most milliseconds of detection per file or diff; past it the file is reported as given up on (default 30 s). */
  timeBudgetMs?: number;
  /**
   * Threads for working-tree scans of 8 MiB or more, the main thread included (default: the
   * machine's cores, at most 8; 1 = no worker threads). Other sources use the main thread only.
   * Workers stay, idle and unreferenced, for later scans of the process (see `kept` in
   * src/parallel/pool.ts: node-re2 cannot be loaded by a new thread once one that loaded it ended).
   */
  threads?: number;
}

export interface ScanResult {
  /** Absolute path that was scanned. */
  root: string;
  findings: Finding[];
  /** Findings hidden by inline allow markers. */
  suppressed: number;
  stats: SourceStats;
  rules: CompiledRule[];
  /** Wall time in milliseconds. */
  elapsedMs: number;
  /** Threads that detected (1 unless a big working-tree scan used worker threads). */
  threads: number;
  /** Findings hidden because the baseline records them. */
  hiddenByBaseline: number;
  /** Providers that findings name but no rule holds (the hygiene check's), for reporters' `extraProviders`. */
  extraProviders?: ProviderSpec[];
}

export { rulesFor };

/** Runs fragments through a detector; returns sorted findings. */
export async function detectAll(fragments: AsyncIterable<Fragment>, detector: Detector): Promise<Finding[]> {
  const findings: Finding[] = [];
  for await (const fragment of fragments) {
    for (const f of detector.detect(fragment)) findings.push(f);
  }
  return sortFindings(findings);
}

export function sortFindings(findings: Finding[]): Finding[] {
  return findings.sort((a, b) => (a.file < b.file ? -1 : a.file > b.file ? 1 : a.line - b.line || a.column - b.column || (a.ruleId < b.ruleId ? -1 : 1)));
}

/** Today's UTC date as YYYY-MM-DD. */
export function todayIso(): string {
  return isoDateOf(Date.now());
}

/** The fragments of a source. The one place that picks a source by kind. */
function openSource(source: SourceSpec, root: string, stats: SourceStats, options: ScanOptions, order: Map<string, number>, onChangedPaths?: (paths: string[]) => void): AsyncIterable<Fragment> {
  switch (source.kind) {
    case 'worktree':
      return worktreeFragments({ root, stats, maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE });
    case 'stdin':
      return stdinFragments(source.content, source.name ?? '<stdin>', stats);
    case 'staged':
      return stagedFragments({ root, stats, maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, ...(onChangedPaths ? { onChangedPaths } : {}) });
    case 'history':
      return lazyHistory(source, root, stats, options, order);
  }
}

/**
 * A working-tree scan that spreads big trees over worker threads (`script`), started while the
 * files are being listed; a tree under PARALLEL_MIN_BYTES, or a single file, gets the plain
 * sequential scan.
 */
async function detectWorktree(
  root: string,
  stats: SourceStats,
  options: ScanOptions,
  detector: Detector,
  detectorOptions: { today: string; allowMarkers: boolean; allowPolicy: AllowPolicy; timeBudgetMs: number; decode: boolean },
  script: URL,
  used: { threads: number },
): Promise<Finding[]> {
  const maxFileSize = options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE;
  if (!statSync(root).isDirectory()) return detectAll(worktreeFragments({ root, stats, maxFileSize }), detector);
  const setup = {
    ...detectorOptions,
    rulesDirs: options.rulesDirs ?? [],
    noBuiltinRules: options.noBuiltinRules ?? false,
    disabledRules: options.disabledRules ?? [],
    maxFileSize,
  };
  // One worker more each time the files listed so far pass another PARALLEL_MIN_BYTES (up to the
  // thread count): a tree of n such steps gets min(threads, n + 1) threads, and workers load their
  // rules while the listing goes on.
  const maxThreads = threadCount(options.threads);
  const files = [];
  let total = 0;
  let workers: DetectionWorkers | undefined;
  /** False once no more workers can be had (see DetectionWorkers.spawn). */
  let more = true;
  try {
    for await (const file of listFiles(root, stats)) {
      files.push(file);
      total += measureFile(file);
      const running = workers?.threads.length ?? 0;
      if (more && running + 1 < maxThreads && total > (running + 1) * PARALLEL_MIN_BYTES) {
        workers ??= await DetectionWorkers.create(script, setup);
        more = workers.spawn();
      }
    }
  } catch (err) {
    workers?.release();
    throw err;
  }
  if (!workers || workers.threads.length === 0) return detectAll(listedFragments(files, maxFileSize, stats), detector);
  used.threads = workers.threads.length + 1;
  detector.prepareForLargeInput();
  return sortFindings(await detectInParallel(files, workers, detector, stats));
}

async function* listedFragments(files: ListedFile[], maxFileSize: number, stats: SourceStats): AsyncGenerator<Fragment> {
  for (const file of files) yield* readFile(file, maxFileSize, stats);
}

/** History code is imported only when a history scan runs (keeps the pre-commit hook lean). */
async function* lazyHistory(
  source: Extract<SourceSpec, { kind: 'history' }>,
  root: string,
  stats: SourceStats,
  options: ScanOptions,
  order: Map<string, number>,
): AsyncGenerator<Fragment> {
  const { historyFragments } = await import('./sources/history.js');
  yield* historyFragments({ ...source, root, stats, maxFileSize: options.maxFileSize ?? DEFAULT_MAX_FILE_SIZE, order });
}

/**
 * Scans a directory (or one file) and returns its findings without printing anything.
 * Throws SourceError when the path cannot be read and ConfigError for bad rules.
 */
export async function scan(options: ScanOptions = {}): Promise<ScanResult> {
  const started = nowMs();
  const root = resolve(options.path ?? '.');
  try {
    statSync(root);
  } catch (err) {
    throw new SourceError(`path not found or not readable: ${options.path ?? '.'}`, { cause: err });
  }
  const source = options.source ?? { kind: 'worktree' };
  const hygiene = (options.hygiene ?? true) && (source.kind === 'worktree' || source.kind === 'staged');
  const stats = emptyStats();
  const order = new Map<string, number>();
  const script = source.kind === 'worktree' && !options.ruleSet && threadCount(options.threads) > 1 && workersAllowed() ? workerScript() : undefined;
  // The staged source reads the diff anyway: it tells the hygiene check which paths the commit changes.
  const stagedPaths = source.kind === 'staged' && hygiene ? handOver<string[]>() : undefined;
  // A source read on this thread starts now, before the rules load, so that git (the staged diff,
  // the work-tree query, git ls-files) answers while they do.
  const fragments = script ? undefined : primed(openSource(source, root, stats, options, order, stagedPaths?.resolve));
  // And so does the hygiene check: its git queries overlap the rule loading and the detection, and it
  // waits for the findings only where it needs them (config-named files count when a secret was found).
  // A detection failure is reported by `await detected` below.
  const findingsForHygiene = handOver<Finding[]>();
  const hygienePromise = hygiene
    ? auditConfigFiles({ root, findings: findingsForHygiene.promise, stats, mode: source.kind === 'staged' ? 'staged' : 'worktree', ...(stagedPaths ? { stagedPaths: stagedPaths.promise } : {}) })
    : undefined;
  hygienePromise?.catch(() => undefined); // awaited below; this only keeps an early failure from going unhandled
  let ruleSet: RuleSet;
  try {
    ruleSet = rulesFor(options);
  } catch (err) {
    fragments?.cancel();
    throw err;
  }
  const detectorOptions = {
    today: options.today ?? todayIso(),
    allowMarkers: options.allowMarkers ?? true,
    allowPolicy: options.allowPolicy ?? 'honour',
    timeBudgetMs: options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS,
  } as const;
  const detector = new Detector(ruleSet.rules, { ...detectorOptions, ...(options.decode === false ? {} : { decoders: makeDecoders() }) });
  const filter = makeFilter(options.allowPaths ?? [], options.allowSecrets ?? [], options.stopwords ?? []);
  const used = { threads: 1 };
  const detecting = fragments ? detectAll(fragments, detector) : detectWorktree(root, stats, options, detector, { ...detectorOptions, decode: options.decode !== false }, script!, used);
  const detected = detecting.then((all) => all.filter((f) => filter.keep(f)));
  findingsForHygiene.resolve(detected);
  let findings = await detected;
  if (source.kind === 'history') {
    const { attributeHistory } = await import('./sources/history-attribution.js');
    findings = sortFindings(await attributeHistory(findings, order, root));
  }
  const extraProviders: ProviderSpec[] = [];
  if (hygienePromise) {
    const hygiene = await hygienePromise;
    findings = sortFindings([...findings, ...hygiene.findings.filter((f) => filter.keep(f))]);
    extraProviders.push(hygieneProvider());
  }
  for (const path of detector.gaveUp) {
    stats.warnings.push(`gave up on ${path} after ${options.timeBudgetMs ?? DEFAULT_TIME_BUDGET_MS} ms (time budget): some rules did not run on it`);
  }
  if (stats.scanned === 0 && (stats.skipped['unreadable'] ?? 0) > 0) {
    throw new SourceError(`nothing could be read: ${stats.warnings.find((w) => w.startsWith('cannot')) ?? 'every file was unreadable'}`);
  }
  let hiddenByBaseline = 0;
  if (options.baseline) {
    const { kept, hidden } = applyBaseline(findings, options.baseline);
    findings = kept;
    hiddenByBaseline = hidden.length;
  }
  return {
    root,
    findings,
    hiddenByBaseline,
    suppressed: detector.suppressed.length,
    stats,
    rules: ruleSet.rules,
    elapsedMs: nowMs() - started,
    threads: used.threads,
    extraProviders,
  };
}
