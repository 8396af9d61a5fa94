import type { Finding } from '../../src/types.js';
import { TEST_PROVIDER } from '../helpers/rules.js';

const SECRET = ['acme', 'Zx81Qp0LmN4tR7vBq2Wd'].join('_');

/** Fixed findings for the reporters' golden files. */
export const SAMPLE_FINDINGS: Finding[] = [
  {
    ruleId: 'acme-key',
    ruleName: 'Acme API key',
    providerId: TEST_PROVIDER.id,
    providerName: TEST_PROVIDER.name,
    severity: 'critical',
    origin: { kind: 'file', path: 'config/app.env' },
    file: 'config/app.env',
    line: 3,
    endLine: 3,
    column: 11,
    endColumn: 35,
    secret: SECRET,
    lineText: `ACME_KEY="${SECRET}"`,
    entropy: 4.32,
    fingerprint: 'b1946ac92492d2347c6235b4d2611184',
  },
  {
    ruleId: 'acme-key',
    ruleName: 'Acme API key',
    providerId: TEST_PROVIDER.id,
    providerName: TEST_PROVIDER.name,
    severity: 'critical',
    origin: { kind: 'commit', sha: 'a'.repeat(40), path: 'src/old.js', author: 'Dev One', email: 'dev@example.com', date: '2026-01-02T03:04:05Z' },
    file: 'src/old.js',
    line: 10,
    endLine: 10,
    column: 14,
    endColumn: 38,
    secret: SECRET,
    lineText: `const key = '${SECRET}'; \u001b[2J`,
    entropy: 4.32,
    fingerprint: '7d793037a0760186574b0282f2f435e7',
    history: { introducedBy: { sha: 'a'.repeat(40), author: 'Dev One', email: 'dev@example.com', date: '2026-01-02T03:04:05Z' }, commitCount: 3, presentAtHead: false },
  },
];

export const SAMPLE_SECRET = SECRET;
