import { execFileSync } from 'node:child_process';
import { existsSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { runCli } from './helpers/cli.js';
import { tempDir } from './helpers/tmp.js';

/**
 * Recall and precision on the labeled third-party corpus beside the repository (`../shared/corpus`).
 * A user's clone has no `../shared`: then this is skipped.
 */
const CORPUS = fileURLToPath(new URL('../../shared/corpus', import.meta.url));
const present = existsSync(join(CORPUS, 'score.mjs'));

interface Score {
  total: { recall: number; precision: number; labels: number; matched: number; falsePositives: number };
  sources: Record<string, { recall: number; precision: number }>;
}

describe.skipIf(!present)('labeled corpus (../shared/corpus)', () => {
  it('overall recall >= 60% with precision >= 90%', () => {
    const r = runCli(['scan', CORPUS, '--format', 'json', '-q']);
    expect(r.code).toBe(1);
    const findings = join(tempDir(), 'findings.json');
    writeFileSync(findings, r.stdout);
    const score = JSON.parse(execFileSync(process.execPath, [join(CORPUS, 'score.mjs'), '--suite', CORPUS, '--findings', findings, '--json'], { encoding: 'utf8', maxBuffer: 64 << 20 })) as Score;
    const summary = { recall: Number(score.total.recall.toFixed(3)), precision: Number(score.total.precision.toFixed(3)) };
    expect(summary.recall).toBeGreaterThanOrEqual(0.6);
    expect(summary.precision).toBeGreaterThanOrEqual(0.9);
  });
});
