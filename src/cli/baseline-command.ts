import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { baselineFrom, formatBaseline, parseBaseline, pruneBaseline } from '../baseline.js';
import { LeakhoundError } from '../errors.js';
import { scan } from '../scan.js';
import { warn } from './io.js';
import { scanOptionsFrom, toScanArgs, type RawScanFlags } from './scan-command.js';

export const DEFAULT_BASELINE_FILE = '.leakhound-baseline.json';

/**
 * `leakhound baseline create [path] [-o FILE]`: records the current findings' fingerprints (no
 * secret, no timestamp), keeping the reasons of entries the file already had.
 * `leakhound baseline prune [path] [--baseline FILE]`: drops entries that match no finding any more.
 * Both scan exactly as `leakhound scan` would with the same flags and config.
 */
export async function runBaseline(action: 'create' | 'prune', flags: RawScanFlags, file: string | undefined): Promise<number> {
  const target = resolve(file ?? flags.baseline ?? DEFAULT_BASELINE_FILE);
  const args = toScanArgs({ ...flags, baseline: undefined });
  const result = await scan(await scanOptionsFrom(args, { withBaseline: false }));
  const previous = existsSync(target) ? parseBaseline(readFileSync(target, 'utf8'), target) : undefined;
  if (action === 'create') {
    const baseline = baselineFrom(result.findings, previous);
    write(target, formatBaseline(baseline));
    if (!flags.quiet) warn(`leakhound: baseline ${target}: ${baseline.entries.length} finding${baseline.entries.length === 1 ? '' : 's'} recorded`);
    return 0;
  }
  if (!previous) throw new LeakhoundError(`no baseline to prune at ${target} (create one with \`leakhound baseline create\`)`);
  const { baseline, dropped } = pruneBaseline(previous, result.findings);
  write(target, formatBaseline(baseline));
  if (!flags.quiet) warn(`leakhound: baseline ${target}: ${dropped} stale entr${dropped === 1 ? 'y' : 'ies'} dropped, ${baseline.entries.length} kept`);
  return 0;
}

function write(path: string, text: string): void {
  try {
    writeFileSync(path, text);
  } catch (err) {
    throw new LeakhoundError(`cannot write ${path}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
