import { join, relative, resolve } from 'node:path';
import { auditConfigFiles, hygieneProvider, shellQuote, type ConfigFileStatus, type HygieneReport } from '../checks/config-files.js';
import { ignoredPaths } from '../checks/git.js';
import { appendToGitignore } from '../checks/gitignore-fix.js';
import { findConfig, loadConfig } from '../config.js';
import { GitError } from '../errors.js';
import { makeFilter } from '../filter.js';
import { REPORTERS, type ReportFormat } from '../report/index.js';
import { neutralise, neutraliseName } from '../report/redact.js';
import { scan, type ScanResult } from '../scan.js';
import { toolVersion, warn, writeReport } from './io.js';

/** Flags shared by `check-ignore` and `fix-ignore`. */
export interface HygieneArgs {
  path: string;
  config: string | undefined;
  rules: string[] | undefined;
  quiet: boolean;
}

/**
 * The hygiene audit alone: a worktree scan (its findings tell which config-named files hold a
 * secret) without the check, then the check, whose statuses the commands need. Outside a work tree
 * this is an error: the audit is all these commands do.
 */
async function audit(args: HygieneArgs): Promise<{ result: ScanResult; report: HygieneReport }> {
  const configPath = args.config !== undefined ? resolve(args.config) : findConfig(args.path);
  const config = configPath ? loadConfig(configPath) : undefined;
  const result = await scan({
    path: args.path,
    hygiene: false,
    rulesDirs: [...(config?.ruleDirs ?? []), ...(args.rules ?? []).map((d) => resolve(d))],
    noBuiltinRules: config?.replaceBuiltinRules ?? false,
    disabledRules: config?.disableRules ?? [],
    allowPaths: config?.allowPaths ?? [],
    allowSecrets: config?.allowSecrets ?? [],
  });
  const report = await auditConfigFiles({ root: result.root, findings: result.findings, stats: result.stats });
  if (!report.repo) throw new GitError(`${args.path} is not inside a git work tree: cannot tell which config files are git-ignored`);
  // The config's allowPaths also hide hygiene problems.
  const filter = makeFilter(config?.allowPaths ?? [], []);
  const findings = report.findings.filter((f) => filter.keep(f));
  const kept = new Set(findings.map((f) => f.file));
  const hidden = new Set(report.findings.filter((f) => !kept.has(f.file)).map((f) => f.file));
  return { result, report: { ...report, files: report.files.filter((s) => !hidden.has(s.file)), findings } };
}

function printWarnings(result: ScanResult, quiet: boolean): void {
  if (quiet) return;
  for (const w of result.stats.warnings) warn(`leakhound: warning: ${neutraliseName(w)}`);
}

/** `leakhound check-ignore [path]`: reports only the config-file hygiene problems. Exit 1 when there are any. */
export async function runCheckIgnore(args: HygieneArgs & { format: string; output: string | undefined }): Promise<number> {
  const { result, report } = await audit(args);
  const text = REPORTERS[args.format as ReportFormat](report.findings, {
    rules: result.rules,
    showSecrets: false,
    color: false,
    toolVersion: toolVersion(),
    extraProviders: [hygieneProvider()],
  });
  writeReport(text, args.output);
  printWarnings(result, args.quiet);
  if (!args.quiet) {
    const n = report.files.length;
    warn(`leakhound: ${n} config file${n === 1 ? '' : 's'} holding secrets; ${report.findings.length} hygiene problem${report.findings.length === 1 ? '' : 's'}`);
  }
  return report.findings.length > 0 ? 1 : 0;
}

/**
 * `leakhound fix-ignore [path]`: appends the missing lines to the right `.gitignore` files and
 * prints the `git rm --cached` commands for tracked files. It never rewrites history and never
 * deletes a file. Exit 0 when nothing is left to do, 1 when commands remain for the user (tracked
 * files, files in history, or a file still not ignored).
 */
export async function runFixIgnore(args: HygieneArgs & { dryRun: boolean }): Promise<number> {
  const { result, report } = await audit(args);
  const repo = report.repo!;
  // Paths as the user types them from here; control characters neutralised (file names are untrusted).
  const shown = (topPath: string): string => neutralise(shellQuote(relative(process.cwd(), join(repo.top, topPath)) || '.'));
  const out: string[] = [];

  const byGitignore = new Map<string, string[]>();
  for (const s of report.files) {
    if (s.ignored || !s.fix) continue;
    const lines = byGitignore.get(s.fix.gitignore);
    if (lines) lines.push(s.fix.line);
    else byGitignore.set(s.fix.gitignore, [s.fix.line]);
  }
  for (const [gitignore, lines] of [...byGitignore].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))) {
    const added = args.dryRun ? [...new Set(lines)] : appendToGitignore(join(repo.top, gitignore), lines);
    out.push(`${args.dryRun ? 'Would append to' : 'Appended to'} ${shown(gitignore)}:`, ...added.map((l) => `  ${neutralise(l)}`), '');
  }

  let remaining = args.dryRun ? report.files.filter((s) => !s.ignored).length : 0;
  if (!args.dryRun && byGitignore.size > 0) {
    const fixed = report.files.filter((s) => !s.ignored);
    const nowIgnored = await ignoredPaths(repo.top, fixed.map((s) => s.topPath));
    const still = fixed.filter((s) => !nowIgnored.has(s.topPath));
    if (still.length > 0) {
      remaining += still.length;
      out.push('Still not ignored (check the .gitignore files by hand: git check-ignore -v -- <file>):', ...still.map((s) => `  ${shown(s.topPath)}`), '');
    }
  }

  const tracked = report.files.filter((s) => s.tracked);
  if (tracked.length > 0) {
    remaining += tracked.length;
    out.push('Stop tracking these files (they stay on disk), then commit:', ...tracked.map((s) => `  git rm --cached -- ${shown(s.topPath)}`), '');
  }
  const inHistory = report.files.filter((s: ConfigFileStatus) => s.commits.length > 0);
  if (inHistory.length > 0) {
    remaining += inHistory.length;
    out.push(
      'In git history: revoke and regenerate every secret these files hold or held. Removing them or rewriting history does not un-leak them:',
      ...inHistory.map((s) => `  ${shown(s.topPath)}  (${s.commits.length} commit${s.commits.length === 1 ? '' : 's'}: git log --all --oneline -- ${shown(s.topPath)})`),
      '',
    );
  }
  if (out.length === 0) out.push('Nothing to fix: every config file that holds secrets is git-ignored and untracked.');
  else out.push('Keep the values in environment variables or a secret manager, and commit a template (e.g. .env.example) with empty values instead.');
  process.stdout.write(`${out.join('\n')}\n`);
  printWarnings(result, args.quiet);
  return remaining > 0 ? 1 : 0;
}
