import yargs from 'yargs';
import { UsageError } from '../errors.js';
import { EXIT } from './entry.js';
import { DEFAULT_BASELINE_FILE, runBaseline } from './baseline-command.js';
import { runExplain } from './explain-command.js';
import { runCheckIgnore, runFixIgnore } from './fix-ignore-command.js';
import { CHECK_IGNORE_FLAGS, FIX_IGNORE_FLAGS, SCAN_FLAGS } from './flags.js';
import { toolVersion } from './io.js';
import { runRulesCheck, runRulesList } from './rules-command.js';
import { runScan, toScanArgs } from './scan-command.js';

/**
 * Parses argv with yargs, runs the command and returns the exit code; errors propagate to
 * `runGuarded` (entry.ts), which prints known ones in one line and exits 2.
 */
export async function run(argv: string[]): Promise<number> {
  let code: number = EXIT.clean;
  const parser = yargs(argv)
    .scriptName('leakhound')
    .usage('$0 <command> [options]')
    .command(
      'scan [path]',
      'Scan a directory or file for leaked secrets',
      (y) => y.positional('path', { type: 'string', default: '.', describe: 'Directory or file to scan' }).options(SCAN_FLAGS),
      async (a) => {
        code = await runScan(toScanArgs(a));
      },
    )
    .command(
      'baseline <action> [path]',
      'Record the current findings so later scans hide them (create), or drop entries that match nothing now (prune)',
      (y) =>
        y
          .positional('action', { choices: ['create', 'prune'] as const, demandOption: true })
          .positional('path', { type: 'string', default: '.', describe: 'Directory to scan' })
          .options(SCAN_FLAGS)
          .option('file', { type: 'string', alias: 'f', describe: `Baseline file (default: --baseline, or ${DEFAULT_BASELINE_FILE})` }),
      async (a) => {
        code = await runBaseline(a.action, a, a.file ?? a.output);
      },
    )
    .command('rules <action>', 'List the rules, or check every rule file and its examples', (y) =>
      y
        .positional('action', { choices: ['list', 'check'] as const, demandOption: true })
        .option('rules', { type: 'string', array: true, describe: 'Extra rule directory (repeatable)' })
        .option('only', { type: 'boolean', default: false, describe: 'check: only the --rules directories, not the built-in rules' }),
      (a) => {
        code = a.action === 'list' ? runRulesList(a.rules) : runRulesCheck(a.rules, a.only);
      },
    )
    .command(
      'hook <action>',
      'Install or remove the git pre-commit hook (husky, or .git/hooks)',
      (y) =>
        y
          .positional('action', { choices: ['install', 'uninstall'] as const, demandOption: true })
          .option('command', { type: 'string', describe: 'install: how the hook runs leakhound (default: npx --no-install leakhound when installed in the project)' }),
      async (a) => {
        const { runHook } = await import('./hook-command.js');
        code = await runHook(a.action, process.cwd(), a.command);
      },
    )
    .command(
      'explain <rule-id>',
      "Print a rule's revoke-and-regenerate playbook",
      (y) => y.positional('rule-id', { type: 'string', demandOption: true }).option('rules', { type: 'string', array: true }),
      (a) => {
        code = runExplain(a['rule-id'], a.rules);
      },
    )
    .command(
      'check-ignore [path]',
      'Audit only config files that hold secrets: are they git-ignored, untracked, out of history?',
      (y) => y.positional('path', { type: 'string', default: '.', describe: 'Directory inside a git work tree' }).options(CHECK_IGNORE_FLAGS),
      async (a) => {
        code = await runCheckIgnore({ path: a.path, config: a.config, rules: a.rules, quiet: a.quiet, format: a.format, output: a.output });
      },
    )
    .command(
      'fix-ignore [path]',
      'Append the missing lines to .gitignore and print the git rm --cached commands (never rewrites history or deletes a file)',
      (y) => y.positional('path', { type: 'string', default: '.', describe: 'Directory inside a git work tree' }).options(FIX_IGNORE_FLAGS),
      async (a) => {
        code = await runFixIgnore({ path: a.path, config: a.config, rules: a.rules, quiet: a.quiet, dryRun: a['dry-run'] });
      },
    )
    .demandCommand(1, 'name a command: scan, hook, rules, explain, check-ignore, fix-ignore (see --help)')
    .strict()
    .version(toolVersion())
    .help()
    .alias('h', 'help')
    .alias('v', 'version')
    .wrap(Math.min(100, process.stdout.columns ?? 100))
    .fail((msg, err) => {
      // Throwing stops yargs from running the command after a validation failure.
      throw err ?? new UsageError(`${msg.split('\n')[0]} (see leakhound --help)`);
    })
    .exitProcess(false);
  await parser.parseAsync();
  return code;
}
