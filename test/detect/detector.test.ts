import { describe, expect, it } from 'vitest';
import { parseAllowMarker } from '../../src/detect/allow.js';
import { shannonEntropy } from '../../src/detect/entropy.js';
import { fingerprint } from '../../src/detect/fingerprint.js';
import { isPlaceholder } from '../../src/detect/placeholder.js';
import { GENERIC_PROVIDER, detectText, rule } from '../helpers/rules.js';

const acme = rule({ id: 'acme-key', pattern: '\\b(acme_[A-Za-z0-9]{16})\\b', keywords: ['acme_'] });
const KEY = 'acme_' + 'Zx81Qp0LmN4tR7vB';

describe('detector', () => {
  it('reports the secret group with 1-based line and column', () => {
    const [f, ...rest] = detectText([acme], `first line\n  token = "${KEY}"\n`);
    expect(rest).toEqual([]);
    expect(f).toMatchObject({ ruleId: 'acme-key', file: 'a.txt', line: 2, endLine: 2, column: 12, endColumn: 33, secret: KEY, lineText: `  token = "${KEY}"` });
  });

  it('keeps line numbers right with CRLF and lone CR line endings', () => {
    expect(detectText([acme], `a\r\nb\r\n${KEY}\r\n`)[0]?.line).toBe(3);
    expect(detectText([acme], `a\rb\r${KEY}\r`)[0]?.line).toBe(3);
  });

  it('counts columns in characters, not bytes', () => {
    expect(detectText([acme], `é€ ${KEY}`)[0]?.column).toBe(4);
  });

  it('runs a rule with caseSensitiveKeywords only where a keyword occurs as written', () => {
    const sid = rule({ id: 'acme-sid', pattern: '(?i)\\b(ac[0-9a-f]{8})\\b', keywords: ['AC'], caseSensitiveKeywords: true });
    expect(detectText([sid], 'react to ac1234abcd here')).toEqual([]);
    expect(detectText([sid], 'react to AC1234abcd here').map((f) => f.secret)).toEqual(['AC1234abcd']);
    // Beside a rule with the same keyword in any case, each keeps its own matching.
    const anyCase = rule({ id: 'acme-any', pattern: '\\b(ac-[0-9]{4})\\b', keywords: ['ac'] });
    expect(detectText([sid, anyCase], 'x ac-1234 y').map((f) => f.ruleId)).toEqual(['acme-any']);
    // Long inputs (windows, gathered lines) too.
    const filler = 'const value = compute(input, options);\n'.repeat(2000);
    expect(detectText([sid], `${filler}react ac1234abcd\n${filler}`)).toEqual([]);
    expect(detectText([sid], `${filler}react AC1234abcd\n${filler}`).map((f) => f.line)).toEqual([2001]);
  });

  it('runs a rule with requiredKeywords only where they all occur too', () => {
    const netrcLike = rule({ id: 'acme-netrc', pattern: 'machine \\S+ password (\\S+)', keywords: ['machine'], requiredKeywords: ['password'] });
    expect(detectText([netrcLike], 'machine h password Zx81Qp0LmN').map((f) => f.secret)).toEqual(['Zx81Qp0LmN']);
    // A pattern may match without a required word (here: `Password`, in another case, is still
    // found); without the word at all the rule does not run.
    const loose = rule({ id: 'acme-loose', pattern: 'machine (\\S{10})', keywords: ['machine'], requiredKeywords: ['password'] });
    expect(detectText([loose], 'machine Zx81Qp0LmN')).toEqual([]);
    expect(detectText([loose], 'machine Zx81Qp0LmN # Password')).toHaveLength(1);
  });

  it('skips rules whose keywords are absent (prefilter), case-insensitively present ones run', () => {
    const upper = rule({ id: 'acme-upper', pattern: '(?i)\\b(acme_[a-z0-9]{16})\\b', keywords: ['acme_'] });
    expect(detectText([upper], KEY.toUpperCase())).toHaveLength(1);
    const noKeyword = rule({ id: 'acme-kw', pattern: '\\b(acme_[A-Za-z0-9]{16})\\b', keywords: ['zzz'] });
    expect(detectText([noKeyword], KEY)).toEqual([]);
  });

  it('applies minEntropy', () => {
    const strict = rule({ id: 'acme-ent', pattern: '\\b(acme_[A-Za-z0-9]{16})\\b', keywords: ['acme_'], minEntropy: 3.5 });
    expect(detectText([strict], 'acme_aaaabbbbaaaabbbb')).toEqual([]);
    expect(detectText([strict], KEY)).toHaveLength(1);
  });

  it('drops placeholders and documented example keys', () => {
    const aws = rule({ id: 'acme-aws', pattern: '\\b(AKIA[A-Z0-9]{16})\\b', keywords: ['akia'] });
    expect(detectText([aws], 'id = AKIAIOSFODNN7EXAMPLE')).toEqual([]);
    expect(detectText([acme], 'acme_${ACME_TOKEN_VALUE}')).toEqual([]);
    expect(detectText([acme], 'acme_XXXXXXXXXXXXXXXX')).toEqual([]);
  });

  it('honours leakhound:allow on the line and allow-next-line on the line before, until a date', () => {
    expect(detectText([acme], `${KEY} // leakhound:allow`)).toEqual([]);
    expect(detectText([acme], `# leakhound:allow-next-line reason="test key"\n${KEY}`)).toEqual([]);
    expect(detectText([acme], `${KEY} # leakhound:allow until=2026-05-31`, 'a.txt', '2026-06-01')).toHaveLength(1);
    expect(detectText([acme], `${KEY} # leakhound:allow until=2026-06-01`, 'a.txt', '2026-06-01')).toEqual([]);
    expect(detectText([acme], `# leakhound:allow\n${KEY}`)).toHaveLength(1);
  });

  it('lets a provider rule win over an overlapping generic rule', () => {
    const generic = rule({ id: 'generic-token', pattern: 'token = "([^"]+)"', keywords: ['token'] }, GENERIC_PROVIDER);
    const found = detectText([generic, acme], `token = "${KEY}"`);
    expect(found.map((f) => f.ruleId)).toEqual(['acme-key']);
  });

  it('scans invalid UTF-8 without crashing and still finds the secret', () => {
    const bytes = Buffer.concat([Buffer.from([0xff, 0xfe, 0xc3, 0x28, 0x0a]), Buffer.from(`x ${KEY}\n`)]);
    const [f] = detectText([acme], bytes);
    expect(f?.line).toBe(2);
    expect(f?.secret).toBe(KEY);
  });

  it('reports one finding per occurrence', () => {
    expect(detectText([acme], `${KEY}\n${KEY}\n`).map((f) => f.line)).toEqual([1, 2]);
  });
});

describe('fingerprint', () => {
  it('is bound to rule, path and secret, not to the line', () => {
    const a = detectText([acme], `${KEY}`)[0]!;
    const b = detectText([acme], `\n\n\n   ${KEY}`)[0]!;
    expect(a.fingerprint).toBe(b.fingerprint);
    expect(a.fingerprint).toBe(fingerprint('acme-key', 'a.txt', KEY));
    expect(fingerprint('acme-key', 'b.txt', KEY)).not.toBe(a.fingerprint);
    expect(a.fingerprint).not.toContain(KEY);
  });
});

describe('filters', () => {
  it('entropy of known strings', () => {
    expect(shannonEntropy('')).toBe(0);
    expect(shannonEntropy('aaaa')).toBe(0);
    expect(shannonEntropy('abcd')).toBe(2);
  });

  it('placeholder levels', () => {
    expect(isPlaceholder('changeme', 'strict')).toBe(true);
    expect(isPlaceholder('changeme', 'basic')).toBe(false);
    expect(isPlaceholder('YOUR_API_KEY', 'strict')).toBe(true);
    expect(isPlaceholder('<token>', 'basic')).toBe(true);
    expect(isPlaceholder('${DB_PASSWORD}', 'basic')).toBe(true);
    expect(isPlaceholder('s3cr3t-Pa55w0rd', 'strict')).toBe(false);
    // A masked body is a stand-in at every level; a fake body of one other letter is a stand-in
    // only for generic rules (a provider's prefix and shape vouch for it).
    expect(isPlaceholder('sk_live_xxxxxxxxxxxxxxxxxxxxxxxx', 'basic')).toBe(true);
    expect(isPlaceholder('sk_live_************************', 'basic')).toBe(true);
    // Bullets and an ellipsis, as UIs and docs mask a value (escaped in the source: see MASKED).
    expect(isPlaceholder('ab12\u2022\u2022\u2022\u2022cd34', 'strict')).toBe(true);
    expect(isPlaceholder('ab12cd34\u2026', 'strict')).toBe(true);
    expect(isPlaceholder('sk_live_AAAAAAAAAAAAAAAAAAAAAAAA', 'basic')).toBe(false);
    expect(isPlaceholder('sk_live_AAAAAAAAAAAAAAAAAAAAAAAA', 'strict')).toBe(true);
  });

  it('parses allow markers with reason and until', () => {
    expect(parseAllowMarker('x // leakhound:allow reason="rotated" until=2027-01-31')).toEqual({ scope: 'line', reason: 'rotated', until: '2027-01-31' });
    expect(parseAllowMarker('<!-- leakhound:allow-next-line -->')).toEqual({ scope: 'next-line', reason: undefined, until: undefined });
    expect(parseAllowMarker('nothing here')).toBeUndefined();
  });
});

describe('allow policy', () => {
  it('require-reason honours only markers with a reason; ignore honours none', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const run = (text: string, allowPolicy: 'honour' | 'require-reason' | 'ignore') =>
      new Detector([acme], { today: '2026-06-01', allowPolicy }).detect({ origin: { kind: 'file', path: 'a' }, content: Buffer.from(text), startLine: 1 });
    expect(run(`${KEY} // leakhound:allow`, 'require-reason')[0]?.advice).toEqual(['An allow comment is on this line, but the policy requires reason="…" on it.']);
    expect(run(`${KEY} // leakhound:allow reason="fixture"`, 'require-reason')).toEqual([]);
    expect(run(`${KEY} // leakhound:allow reason="fixture"`, 'ignore')).toHaveLength(1);
    expect(run(`${KEY} // leakhound:allow until=2026-01-01`, 'honour')[0]?.advice).toEqual(['The allow comment on this line expired on 2026-01-01.']);
  });

  it('an allowed secret counts once, however many rules matched it', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const generic = rule({ id: 'generic-token', pattern: 'token = "([^"]+)"', keywords: ['token'] }, GENERIC_PROVIDER);
    const d = new Detector([acme, generic], { today: '2026-06-01' });
    const found = d.detect({ origin: { kind: 'file', path: 'a' }, content: Buffer.from(`token = "${KEY}" // leakhound:allow\n`), startLine: 1 });
    expect(found).toEqual([]);
    expect(d.suppressed.map((s) => s.finding.ruleId)).toEqual(['acme-key']);
  });

  it('an allow comment on the line of an encoded secret covers what it decodes to', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const { makeDecoders } = await import('../../src/rules/regex.js');
    const d = new Detector([acme], { today: '2026-06-01', decoders: makeDecoders() });
    const b64 = Buffer.from(`ACME_TOKEN=${KEY}\nOTHER=1\n`).toString('base64');
    const found = d.detect({ origin: { kind: 'file', path: 'k.yaml' }, content: Buffer.from(`env: ${b64} # leakhound:allow reason="test fixture"\n`), startLine: 1 });
    expect(found).toEqual([]);
    expect(d.suppressed).toHaveLength(1);
    expect(d.suppressed[0]).toMatchObject({ reason: 'test fixture', finding: { encoding: 'base64', secret: KEY } });
  });
});

describe('encoded secrets', () => {
  it('finds a secret inside a base64 block and a %-encoded URL, at the encoded text', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const { makeDecoders } = await import('../../src/rules/regex.js');
    const d = new Detector([acme], { today: '2026-06-01', decoders: makeDecoders() });
    const run = (text: string) => d.detect({ origin: { kind: 'file', path: 'k.yaml' }, content: Buffer.from(text), startLine: 1 });
    const b64 = Buffer.from(`ACME_TOKEN=${KEY}\nOTHER=1\n`).toString('base64');
    const [f] = run(`kind: Secret\ndata:\n  env: ${b64}\n`);
    expect(f).toMatchObject({ ruleId: 'acme-key', line: 3, column: 8, secret: KEY, encoding: 'base64' });
    const [g] = run(`redirect=https%3A%2F%2Fx.example%2F%3Ft%3D${KEY}%26a%3D1`);
    expect(g).toMatchObject({ ruleId: 'acme-key', line: 1, column: 10, secret: KEY, encoding: 'percent' });
    expect(run(`sha512-${Buffer.alloc(64, 7).toString('base64')}`)).toEqual([]);
  });
});

describe('partners', () => {
  it('names a nearby partner, and a required partner gates the finding', () => {
    const token = rule({ id: 'acme-token', pattern: '(?i)auth_?token\\s*=\\s*([0-9a-f]{32})', keywords: ['token'], partner: { name: 'Account id', pattern: '\\bAC[0-9a-f]{32}\\b', withinLines: 2, required: true } });
    const sid = 'AC' + '0123456789abcdef'.repeat(2);
    const tok = 'fedcba9876543210'.repeat(2);
    expect(detectText([token], `sid=${sid}\n\nauth_token = ${tok}`)[0]?.partner).toEqual({ name: 'Account id', line: 1 });
    expect(detectText([token], `sid=${sid}\n\n\n\nauth_token = ${tok}`)).toEqual([]);
    expect(detectText([token], `auth_token = ${tok}`)).toEqual([]);
  });
});

describe('time budget', () => {
  it('gives up on a fragment past its budget, keeps what it found, and names it', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const many = Array.from({ length: 40 }, (_, i) => rule({ id: `acme-r${i}`, pattern: `\\b(acme_[A-Za-z0-9]{16})\\b`, keywords: ['acme_'] }));
    const d = new Detector(many, { today: '2026-06-01', timeBudgetMs: 0 });
    const big = Buffer.from(`${'x'.repeat(1 << 20)} ${KEY}\n`);
    const found = d.detect({ origin: { kind: 'file', path: 'huge.txt' }, content: big, startLine: 1 });
    expect(d.gaveUp).toEqual(['huge.txt']);
    expect(found.length).toBeLessThan(40);
    const unbounded = new Detector(many, { today: '2026-06-01' });
    expect(unbounded.detect({ origin: { kind: 'file', path: 'huge.txt' }, content: big, startLine: 1 })).toHaveLength(1);
    expect(unbounded.gaveUp).toEqual([]);
    // Fragments up to 64 KiB are not timed: every rule runs.
    const small = Buffer.from(`${'x'.repeat(60_000)} ${KEY}\n`);
    expect(d.detect({ origin: { kind: 'file', path: 'small.txt' }, content: small, startLine: 1 })).toHaveLength(1);
    expect(d.gaveUp).toEqual(['huge.txt']);
  });
});

describe('windows on large inputs', () => {
  it('a keyword hit inside an earlier window still extends it by its own context', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    // The secret sits two lines after the second hit, beyond the first hit's two lines of context.
    const spanning = rule({ id: 'acme-span', pattern: 'acmekey[^!]*?(acme_[A-Za-z0-9]{16})', keywords: ['acmekey'] });
    const text = `${'// filler line\n'.repeat(3000)}acmekey ${'x'.repeat(600)}\n${'y'.repeat(100)} acmekey ${'z'.repeat(500)}\n${'w'.repeat(600)}\n${KEY}\n`;
    const run = (windows: boolean) =>
      new Detector([spanning], { today: '2026-06-01', windows })
        .detect({ origin: { kind: 'file', path: 'big.txt' }, content: Buffer.from(text), startLine: 1 })
        .map((f) => `${f.line}:${f.secret}`);
    expect(run(false)).toEqual([`3004:${KEY}`]);
    expect(run(true)).toEqual(run(false));
  });
});

describe('gathered lines (scope: line) on large inputs', () => {
  it('find exactly what a whole-input run finds, wherever the keyword lines sit', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const fc = (await import('fast-check')).default;
    const lineRule = rule({ id: 'acme-line', pattern: '(?m)(?:^|[^A-Za-z0-9_])acme_token[ \\t]*=[ \\t]*"?(acme_[A-Za-z0-9]{16})', keywords: ['acme_token'] });
    expect(lineRule.scope).toBe('line');
    const pieces = ['// filler line without the word\n', `acme_token = "${KEY}"\n`, `x=acme_token=${KEY}\n`, 'acme_token = "short"\n', '\n', `acme_token=${KEY}`];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: pieces.length - 1 }), { minLength: 1, maxLength: 400 }), (picks) => {
        const text = Buffer.from(`${'// filler line\n'.repeat(300)}${picks.map((i) => pieces[i]).join('')}`);
        const run = (windows: boolean) =>
          new Detector([lineRule], { today: '2026-06-01', windows })
            .detect({ origin: { kind: 'file', path: 'big.txt' }, content: text, startLine: 1 })
            .map((f) => `${f.line}:${f.column}:${f.secret}`);
        expect(run(true)).toEqual(run(false));
      }),
      { numRuns: 200 },
    );
  });
});

describe('gathered lines shared between keyword sets', () => {
  /** HitsByKeyword over `text` for `keywords` (the last scanner keyword is "\n", as the detector's). */
  async function hitsFor(keywords: string[], text: Buffer) {
    const { HitsByKeyword } = await import('../../src/detect/detector.js');
    const { KeywordScanner } = await import('../../src/detect/keyword-scanner.js');
    const scanner = new KeywordScanner([...keywords, '\n']);
    const hits = scanner.scan(text);
    const counts = new Int32Array(keywords.length + 1);
    for (let i = 0; i < hits.count; i++) counts[hits.ids[i]!]!++;
    return new HitsByKeyword(hits, counts);
  }

  it('match in lines gathered for other keywords when those hold all of them and at most half as many bytes more', async () => {
    // Lines with "password" are lines with "pass"; a few lines have "pass" alone; "token" lines are others.
    const lines: string[] = [];
    for (let i = 0; i < 400; i++) lines.push(i % 10 === 0 ? `password${i} = x` : i % 10 === 5 ? `token${i} = ${'y'.repeat(20)}` : i % 40 === 3 ? `pass${i} = z` : `filler ${i}`);
    lines.push('password400 = x'); // pass lines before and after every token line
    const text = Buffer.from(lines.join('\n'));
    const byKeyword = await hitsFor(['pass', 'password', 'token'], text);
    const pass = byKeyword.gatheredLines([0], text)!;
    const password = byKeyword.gatheredLines([1], text)!;
    expect(password).toBe(pass); // 40 password lines, 10 more pass lines: within half as many bytes more
    const token = byKeyword.gatheredLines([2], text)!;
    expect(token.text.length).toBeGreaterThan(pass.text.length); // so only coverage keeps it apart
    expect(token).not.toBe(pass); // not held by the pass lines
    expect(token.text.toString()).toContain('token5 = y');
    // Held, but with far more bytes (context lines): gathered apart.
    const sparse = Buffer.from(lines.map((line, i) => (i % 40 === 0 ? line : `filler ${i}`)).join('\n'));
    const wide = await hitsFor(['pass', 'password'], sparse);
    const passWithContext = wide.gatheredLines([0], sparse, 2);
    expect(passWithContext).toBeDefined();
    const passwordAlone = wide.gatheredLines([1], sparse)!;
    expect(passwordAlone).not.toBe(passWithContext);
    expect(passwordAlone.text.toString().split('\n').filter((l) => l !== '').every((l) => l.startsWith('password'))).toBe(true);
  });

  it('find what a whole-input run finds, for rules whose keyword lines hold one another', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const fc = (await import('fast-check')).default;
    const broad = rule({ id: 'acme-broad', pattern: '(?m)(?:^|[^A-Za-z0-9_])acme[a-z_]*[ \\t]*=[ \\t]*"?(acme_[A-Za-z0-9]{16})', keywords: ['acme'] });
    const narrow = rule({ id: 'acme-narrow', pattern: '(?m)acme_token_v2[ \\t]*:[ \\t]*(acme_[A-Za-z0-9]{16})', keywords: ['acme_token_v2'] });
    const pieces = ['// filler line\n', `acme_key = "${KEY}"\n`, `acme_token_v2: ${KEY}\n`, 'acme = "short"\n', `other: ${KEY}\n`];
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: pieces.length - 1 }), { minLength: 1, maxLength: 400 }), (picks) => {
        const text = Buffer.from(`${'// filler line\n'.repeat(300)}${picks.map((i) => pieces[i]).join('')}`);
        const run = (windows: boolean) =>
          new Detector([broad, narrow], { today: '2026-06-01', windows })
            .detect({ origin: { kind: 'file', path: 'big.txt' }, content: text, startLine: 1 })
            .map((f) => `${f.line}:${f.column}:${f.ruleId}:${f.secret}`);
        expect(run(true)).toEqual(run(false));
      }),
      { numRuns: 200 },
    );
  });
});

describe('gathered lines of several keywords', () => {
  it('are the lines holding any of them, with their context, whole and in order (some keywords absent)', async () => {
    const { HitsByKeyword } = await import('../../src/detect/detector.js');
    const { KeywordScanner } = await import('../../src/detect/keyword-scanner.js');
    const fc = (await import('fast-check')).default;
    const keywords = ['alpha', 'beta', 'gamma', 'delta', 'al'];
    const pieces = ['filler', 'alpha', 'gamma x', 'DELTA', 'alpha delta', 'halo', 'al', ''];
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: pieces.length - 1 }), { minLength: 1, maxLength: 120 }),
        fc.subarray([0, 1, 2, 3, 4], { minLength: 1 }),
        fc.integer({ min: 0, max: 2 }),
        (picks, ids, context) => {
          const lines = picks.map((i) => pieces[i]!);
          const text = Buffer.from(lines.join('\n'));
          const scanner = new KeywordScanner([...keywords, '\n']);
          const hits = scanner.scan(text);
          const counts = new Int32Array(keywords.length + 1);
          for (let i = 0; i < hits.count; i++) counts[hits.ids[i]!]!++;
          const view = new HitsByKeyword(hits, counts).gatheredLines(ids, text, context);
          // The same, the slow way.
          const wanted = new Set<number>();
          lines.forEach((line, n) => {
            if (ids.some((id) => line.toLowerCase().includes(keywords[id]!))) for (let k = n - context; k <= n + context; k++) if (k >= 0 && k < lines.length) wanted.add(k);
          });
          if (wanted.size === 0) {
            expect(view).toBeUndefined();
            return;
          }
          const runs: string[] = [];
          for (let n = 0; n < lines.length; n++) if (wanted.has(n)) runs.push(wanted.has(n - 1) ? runs.pop()! + lines[n]! + (n < lines.length - 1 ? '\n' : '') : lines[n]! + (n < lines.length - 1 ? '\n' : ''));
          const expected = (wanted.has(0) ? '' : '\n') + runs.join('');
          const bytes = [...wanted].reduce((sum, n) => sum + Buffer.byteLength(lines[n]!) + (n < lines.length - 1 ? 1 : 0), 0);
          if (bytes > text.length / 2) {
            expect(view).toBeUndefined();
            return;
          }
          expect(view?.text.toString()).toBe(expected);
        },
      ),
      { numRuns: 400 },
    );
  });
});

describe('candidate rules', () => {
  it('are picked right across the start-over of their per-fragment marks', async () => {
    const { Detector } = await import('../../src/detect/detector.js');
    const acme = rule({ id: 'acme-mark', pattern: '\\b(acme_[A-Za-z0-9]{16})\\b', keywords: ['acme_'] });
    const other = rule({ id: 'other-mark', pattern: '\\b(other_[A-Za-z0-9]{16})\\b', keywords: ['other_'] });
    const detector = new Detector([acme, other], { today: '2026-06-01' });
    (detector as unknown as { candidateMark: number }).candidateMark = 0x3fffffff - 2;
    const run = (text: string): string[] => detector.detect({ origin: { kind: 'file', path: 'f' }, content: Buffer.from(text), startLine: 1 }).map((f) => f.ruleId);
    // Marks left from before the start-over must not make a rule a candidate after it.
    expect(run(`x ${KEY}`)).toEqual(['acme-mark']);
    expect(run('nothing here')).toEqual([]);
    expect(run(`other_Zx81Qp0LmN4tR7vB`)).toEqual(['other-mark']);
    expect(run(`${KEY} and other_Zx81Qp0LmN4tR7vB`)).toEqual(['acme-mark', 'other-mark']);
    expect(run('still nothing')).toEqual([]);
    expect(run(`x ${KEY}`)).toEqual(['acme-mark']);
    // A mark from the cycle before that equals a new one after the start-over counts for nothing.
    const unrelated = rule({ id: 'zzz-mark', pattern: '\\b(acme_[A-Za-z0-9]{16})\\b', keywords: ['zzz'] });
    const fresh = new Detector([unrelated, other], { today: '2026-06-01' });
    const state = fresh as unknown as { candidateMark: number; chosen: Int32Array };
    state.candidateMark = 0x3fffffff;
    state.chosen[0] = 1; // zzz-mark, chosen at mark 1 long ago
    const found = fresh.detect({ origin: { kind: 'file', path: 'f' }, content: Buffer.from(`${KEY} other_Zx81Qp0LmN4tR7vB`), startLine: 1 });
    expect(found.map((f) => f.ruleId)).toEqual(['other-mark']);
  });
});
