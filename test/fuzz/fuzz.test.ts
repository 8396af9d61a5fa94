import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseBaseline } from '../../src/baseline.js';
import { loadConfig } from '../../src/config.js';
import { parseAllowMarker } from '../../src/detect/allow.js';
import { Detector } from '../../src/detect/detector.js';
import { LeakhoundError } from '../../src/errors.js';
import { makeDecoders } from '../../src/rules/regex.js';
import { BUILTIN_RULES_DIR, loadRules } from '../../src/rules/load.js';
import { tempDir } from '../helpers/tmp.js';

/** Fixed seed and bounded runs, so CI is reproducible; FUZZ_RUNS raises the count locally. */
const SEED = 20261122;
const RUNS = Number(process.env['FUZZ_RUNS'] ?? 300);
const params = { seed: SEED, numRuns: RUNS };

const { rules } = loadRules([BUILTIN_RULES_DIR]);
const detector = new Detector(rules, { today: '2026-06-01', decoders: makeDecoders() });
const detect = (bytes: Buffer) => detector.detect({ origin: { kind: 'file', path: 'fuzz.txt' }, content: bytes, startLine: 1 });

/** Tokens close to real formats: known prefixes with random tails of random length. */
const PREFIXES = ['ghp_', 'github_pat_', 'AKIA', 'sk_live_', 'xoxb-', 'glpat-', 'npm_', 'sk-proj-', 'eyJ', '-----BEGIN RSA PRIVATE KEY-----\n', 'postgres://u:', 'password=', 'api_key: '];
const nearMiss = fc.tuple(fc.constantFrom(...PREFIXES), fc.string({ unit: fc.constantFrom(...'ABCDEFabcdef0123456789_-+/=.:@\n "\''.split('')), maxLength: 90 })).map(([p, t]) => p + t);

describe(`fuzz (seed ${SEED}, ${RUNS} runs each)`, () => {
  it('detector: random bytes never throw, and every finding lies inside the input', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 2048 }), (arr) => {
        const bytes = Buffer.from(arr);
        const lines = bytes.toString('latin1').split(/\r\n|\r|\n/).length;
        for (const f of detect(bytes)) {
          expect(f.line).toBeGreaterThanOrEqual(1);
          expect(f.endLine).toBeLessThanOrEqual(lines);
          expect(f.column).toBeGreaterThanOrEqual(1);
        }
      }),
      params,
    );
  });

  it('detector: near-miss tokens in random surroundings never throw; findings carry their secret', () => {
    fc.assert(
      fc.property(fc.array(fc.oneof(nearMiss, fc.string({ maxLength: 40 })), { maxLength: 12 }), (parts) => {
        const text = parts.join(fc.sample(fc.constantFrom(' ', '\n', '\r\n', '"', '='), { seed: parts.length, numRuns: 1 })[0]!);
        for (const f of detect(Buffer.from(text))) {
          expect(f.secret.length).toBeGreaterThan(0);
          if (!f.encoding) expect(text).toContain(f.secret.split(/\r\n|\r|\n/)[0]!);
        }
      }),
      params,
    );
  });

  it('allow-comment parser: any line parses to a marker or nothing, with a well-formed date', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.boolean(), (s, withMarker) => {
        const line = withMarker ? `${s} leakhound:allow ${s}` : s;
        const m = parseAllowMarker(line);
        if (withMarker) expect(m).toBeDefined();
        if (m?.until !== undefined) expect(m.until).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      }),
      params,
    );
  });

  it('config loader: any file content is a config or a LeakhoundError, never a crash', () => {
    const dir = tempDir();
    const file = join(dir, '.leakhound.yml');
    const yamlish = fc.oneof(
      fc.string({ maxLength: 300 }),
      fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify(v)),
      fc.record({ rules: fc.jsonValue({ maxDepth: 2 }), allowPaths: fc.jsonValue({ maxDepth: 1 }), maxFileSize: fc.jsonValue({ maxDepth: 0 }) }).map((v) => JSON.stringify(v)),
    );
    fc.assert(
      fc.property(yamlish, (text) => {
        writeFileSync(file, text);
        try {
          loadConfig(file);
        } catch (err) {
          expect(err).toBeInstanceOf(LeakhoundError);
        }
      }),
      { ...params, numRuns: Math.min(RUNS, 200) },
    );
  });

  it('baseline parser: any text is a baseline or a LeakhoundError', () => {
    fc.assert(
      fc.property(fc.oneof(fc.string({ maxLength: 200 }), fc.jsonValue({ maxDepth: 3 }).map((v) => JSON.stringify({ leakhoundBaseline: 1, entries: [v] }))), (text) => {
        try {
          parseBaseline(text, 'b.json');
        } catch (err) {
          expect(err).toBeInstanceOf(LeakhoundError);
        }
      }),
      params,
    );
  });
});
