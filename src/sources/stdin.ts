import type { Fragment } from '../types.js';
import { toScannableText } from './content.js';
import { countSkip, type SourceStats } from './stats.js';

/** Standard input (already read) as one fragment named `name`. Binary input is counted and skipped. */
export async function* stdinFragments(content: Buffer, name: string, stats: SourceStats): AsyncGenerator<Fragment> {
  const text = toScannableText(content);
  if (!text) {
    countSkip(stats, 'binary');
    stats.warnings.push('standard input looks binary (it has NUL bytes); not scanned');
    return;
  }
  stats.scanned++;
  stats.bytes += content.length;
  yield { origin: { kind: 'stdin', path: name }, content: text, startLine: 1 };
}
