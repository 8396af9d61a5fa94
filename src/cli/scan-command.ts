import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { parseBaseline, type Baseline } from '../baseline.js';
import { findConfig, loadConfig, type Config } from '../config.js';
import type { AllowPolicy } from '../detect/detector.js';
import { ConfigError, UsageError } from '../errors.js';
import type { ReportFormat } from '../report/index.js';
import { neutraliseName } from '../report/redact.js';
import { DEFAULT_MAX_FILE_SIZE, scan, type ScanOptions, type ScanResult, type SourceSpec } from '../scan.js';
import type { HistoryProgress } from '../sources/history.js';
import { parseSize } from './flags.js';
import { toolVersion, warn, writeReport } from './io.js';

/** Parsed flags of `leakhound scan`. */
export interface ScanArgs {
  path: string;
  format: string;
  output: string | undefined;
  showSecrets: boolean;
  maxFileSize: string | undefined;
  /** `--threads` as typed (validated in scanOptionsFrom). */
  threads?: string | undefined;
  config: string | undefined;
  rules: string[] | undefined;
  color: boolean;
  quiet: boolean;
  stdin: boolean;
  /** Run the config-file hygiene check (default true; `--no-hygiene`). */
  hygiene?: boolean;
  staged?: boolean;
  history?: boolean;
  range?: string | undefined;
  branch?: string | undefined;
  sinceCommit?: string | undefined;
  progress?: boolean;
  /** Baseline file whose findings are hidden. */
  baseline?: string | undefined;
  /** Policy for inline allow comments. */
  allowComments?: string | undefined;
}

/** The values of SCAN_FLAGS as parsed (by yargs or the fast path), keyed by flag name. */
export interface RawScanFlags {
  path: string;
  format: string;
  output?: string | undefined;
  'show-secrets': boolean;
  'max-file-size'?: string | undefined;
  threads?: string | undefined;
  config?: string | undefined;
  rules?: string[] | undefined;
  color: boolean;
  stdin: boolean;
  quiet: boolean;
  hygiene: boolean;
  staged: boolean;
  history: boolean;
  range?: string | undefined;
  branch?: string | undefined;
  'since-commit'?: string | undefined;
  progress: boolean;
  baseline?: string | undefined;
  'allow-comments'?: string | undefined;
}

/** Parsed flags -> the scan command's arguments. */
export function toScanArgs(a: RawScanFlags): ScanArgs {
  return {
    path: a.path,
    format: a.format,
    output: a.output,
    showSecrets: a['show-secrets'],
    maxFileSize: a['max-file-size'],
    threads: a.threads,
    config: a.config,
    rules: a.rules,
    color: a.color,
    quiet: a.quiet,
    stdin: a.stdin,
    hygiene: a.hygiene,
    staged: a.staged,
    history: a.history,
    range: a.range,
    branch: a.branch,
    sinceCommit: a['since-commit'],
    progress: a.progress,
    baseline: a.baseline,
    allowComments: a['allow-comments'],
  };
}

/** Runs a scan and prints its report. Returns the exit code: 0 clean, 1 findings. */
export async function runScan(args: ScanArgs): Promise<number> {
  const format = args.format as ReportFormat;
  const result = await scan(await scanOptionsFrom(args));
  const { REPORTERS } = await import('../report/index.js');
  const report = REPORTERS[format](result.findings, {
    rules: result.rules,
    showSecrets: args.showSecrets,
    color: args.color && args.output === undefined && process.stdout.isTTY === true && process.env['NO_COLOR'] === undefined,
    toolVersion: toolVersion(),
    extraProviders: result.extraProviders ?? [],
  });
  writeReport(report, args.output);
  if (!args.quiet) printSummary(result);
  return result.findings.length > 0 ? 1 : 0;
}

/**
 * The scan options a command line asks for: flags first, then the config file (found by walking
 * up from the scanned path, or --config), then defaults. Shared by `scan` and `baseline`.
 */
export async function scanOptionsFrom(args: ScanArgs, options: { withBaseline?: boolean } = {}): Promise<ScanOptions> {
  const config = resolveConfig(args.config, args.path);
  const maxFileSize = args.maxFileSize !== undefined ? parseSizeFlag(args.maxFileSize) : (config?.maxFileSize ?? DEFAULT_MAX_FILE_SIZE);
  const baselinePath = args.baseline !== undefined ? resolve(args.baseline) : config?.baseline;
  const policy = (args.allowComments ?? config?.allowComments ?? 'honour') as AllowPolicy;
  return {
    path: args.stdin ? '.' : args.path,
    source: args.stdin ? await stdinSource(args) : gitSource(args),
    rulesDirs: [...(config?.ruleDirs ?? []), ...(args.rules ?? []).map((d) => resolve(d))],
    noBuiltinRules: config?.replaceBuiltinRules ?? false,
    disabledRules: config?.disableRules ?? [],
    allowPaths: config?.allowPaths ?? [],
    allowSecrets: config?.allowSecrets ?? [],
    stopwords: config?.stopwords ?? [],
    hygiene: args.hygiene ?? true,
    allowPolicy: policy,
    maxFileSize,
    ...(args.threads !== undefined ? { threads: parseThreadsFlag(args.threads) } : {}),
    ...(options.withBaseline !== false && baselinePath !== undefined ? { baseline: readBaselineFile(baselinePath) } : {}),
  };
}

function parseThreadsFlag(text: string): number {
  const n = /^\d+$/.test(text.trim()) ? Number(text) : NaN;
  if (!Number.isInteger(n) || n < 1 || n > 64) throw new UsageError(`--threads: expected a whole number from 1 to 64, got "${text}"`);
  return n;
}

/** Reads and validates a baseline file; a missing or malformed one is a ConfigError (exit 2). */
export function readBaselineFile(path: string): Baseline {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new ConfigError(`cannot read baseline ${path}: ${err instanceof Error ? err.message : String(err)}`, [], { cause: err });
  }
  return parseBaseline(text, path);
}

/** The source for --staged / --history (worktree otherwise); rejects contradictory flags. */
function gitSource(args: ScanArgs): SourceSpec {
  const historyOnly = args.range !== undefined || args.branch !== undefined || args.sinceCommit !== undefined;
  if (args.staged && (args.history || historyOnly)) throw new UsageError('--staged cannot be combined with --history, --range, --branch or --since-commit');
  if (args.staged) return { kind: 'staged' };
  if (!args.history && !historyOnly) return { kind: 'worktree' };
  const showProgress = args.progress !== false && process.stderr.isTTY === true && !process.env.CI && !args.quiet;
  return {
    kind: 'history',
    ...(args.range !== undefined ? { range: args.range } : {}),
    ...(args.branch !== undefined ? { branch: args.branch } : {}),
    ...(args.sinceCommit !== undefined ? { sinceCommit: args.sinceCommit } : {}),
    ...(showProgress ? { onProgress: progressLine() } : {}),
  };
}

/** A progress reporter that rewrites one stderr line (TTY only); cleared on the last call. */
function progressLine(): (p: HistoryProgress) => void {
  return (p) => {
    const secs = p.elapsedMs / 1000;
    const rate = secs > 0 ? p.commits / secs : 0;
    const eta = p.total !== undefined && rate > 0 && p.total > p.commits ? ` ETA ${Math.ceil((p.total - p.commits) / rate)} s` : '';
    const of = p.total !== undefined ? `/${p.total}` : '';
    const done = p.total !== undefined && p.commits >= p.total;
    process.stderr.write(
      done ? '\r\x1b[2K' : `\r\x1b[2Kleakhound: ${p.commits}${of} commits, ${(p.bytes / 1048576).toFixed(1)} MB, ${Math.round(rate)} commits/s${eta}`,
    );
  };
}

/** Standard input as the source; --stdin reads no repository, so the git flags are refused, not ignored. */
async function stdinSource(args: ScanArgs): Promise<SourceSpec> {
  if (args.staged || args.history || args.range !== undefined || args.branch !== undefined || args.sinceCommit !== undefined) {
    throw new UsageError('--stdin cannot be combined with --staged, --history, --range, --branch or --since-commit');
  }
  return { kind: 'stdin', content: await readStdin(), name: args.path === '.' ? '<stdin>' : args.path };
}

async function readStdin(): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function resolveConfig(flag: string | undefined, scanPath: string): Config | undefined {
  if (flag !== undefined) return loadConfig(resolve(flag));
  const found = findConfig(scanPath);
  return found ? loadConfig(found) : undefined;
}

function parseSizeFlag(text: string): number {
  const n = parseSize(text);
  if (n === undefined || n <= 0) throw new UsageError(`--max-file-size: expected a size such as 1048576, 500k or 10m, got "${text}"`);
  return n;
}

/** The summary line (and any warnings) on stderr. Never contains a secret. */
export function printSummary(result: ScanResult): void {
  for (const w of result.stats.warnings) warn(`leakhound: warning: ${neutraliseName(w)}`);
  const s = result.stats;
  const skipped = Object.entries(s.skipped)
    .sort()
    .map(([k, v]) => `${v} ${k}`)
    .join(', ');
  const mb = (s.bytes / 1024 / 1024).toFixed(2);
  warn(
    `leakhound: scanned ${s.commits !== undefined ? `${s.commits} commit${s.commits === 1 ? '' : 's'}, ` : ''}${s.scanned} file${s.scanned === 1 ? '' : 's'} (${mb} MB) in ${Math.round(result.elapsedMs)} ms` +
      (result.threads > 1 ? ` on ${result.threads} threads` : '') +
      (skipped ? `; skipped ${skipped}` : '') +
      (result.suppressed ? `; ${result.suppressed} allowed inline` : '') +
      (result.hiddenByBaseline ? `; ${result.hiddenByBaseline} hidden by the baseline` : '') +
      `; ${result.findings.length} finding${result.findings.length === 1 ? '' : 's'}`,
  );
}
