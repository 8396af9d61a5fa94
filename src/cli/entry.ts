import { ConfigError, LeakhoundError } from '../errors.js';
import { parseFastScan } from './fast-args.js';
import { warn } from './io.js';

/** Exit codes, as documented in the README. */
export const EXIT = { clean: 0, findings: 1, error: 2 } as const;

/**
 * Runs a command and turns known errors into one line on stderr and exit 2. Anything else is a
 * bug: its stack is printed, still with exit 2.
 */
export async function runGuarded(action: () => Promise<number>): Promise<number> {
  try {
    return await action();
  } catch (err) {
    if (err instanceof ConfigError) {
      warn(`leakhound: ${err.message}`);
      return EXIT.error;
    }
    if (err instanceof LeakhoundError) {
      warn(`leakhound: ${err.message.split('\n')[0]}`);
      return EXIT.error;
    }
    warn(`leakhound: internal error: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
    return EXIT.error;
  }
}

/** Entry point for bin/leakhound.js: plain scans skip yargs; everything else goes through it. */
export async function main(argv: string[] = process.argv.slice(2)): Promise<void> {
  const fast = parseFastScan(argv);
  process.exitCode = await runGuarded(async () => {
    if (fast) {
      const { runScan, toScanArgs } = await import('./scan-command.js');
      return runScan(toScanArgs(fast));
    }
    const { run } = await import('./main.js');
    return run(argv);
  });
}
