#!/usr/bin/env node
// Builds, deterministically, a git repository with a long history for the history benchmark.
// Default shape, `node bench/make-history.mjs [dir] [--commits N] [--file-lines N]` (makeHistory; its
// output must stay byte-identical, other measurements rely on it): $TMPDIR/leakhound-bench/history-5000,
// 5,000 commits on main plus 10 side branches of 20 commits merged back, a tag, 200 text files that each
// commit edits (--file-lines N: each starts with N to 2.3N lines, default 60), fake GitHub tokens planted
// every ~97 commits, half of them deleted again a few commits later.
// Large shape, `node bench/make-history.mjs --large [dir] [--commits N] [--files N] [--min-kb N] [--max-kb N] [--seed N]`
// (makeLargeHistory, below): $TMPDIR/leakhound-bench/history-large-20000, 20,000+ commits editing large
// code files, several GB of unique blobs but a few hundred MB of added lines; prints what it measured.
// Written with `git fast-import` (streamed). Writes <dir>/.git/planted.json: the planted tokens (file, token, commit index).
import { spawn, spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { fakeGithubPat, prng, randomString } from './lib.mjs';

const WORDS = 'alpha beta gamma delta epsilon zeta eta theta iota kappa lambda mu nu xi omicron pi rho sigma tau upsilon phi chi psi omega'.split(' ');

export function makeHistory(dir, commits = 5000, fileLines = 60) {
  const rand = prng(5000);
  const pick = (n) => Math.floor(rand() * n);
  const line = () => {
    const n = 4 + pick(8);
    const out = [];
    for (let i = 0; i < n; i++) out.push(WORDS[pick(WORDS.length)]);
    return `${out.join(' ')} ${randomString(rand, 'abcdef0123456789', 8)}`;
  };
  const files = new Map();
  for (let i = 0; i < 200; i++) {
    const lines = [];
    for (let j = 0; j < fileLines + pick(Math.ceil(fileLines * 4 / 3)); j++) lines.push(line());
    files.set(`src/mod${String(i).padStart(3, '0')}/file${i}.txt`, lines);
  }
  const planted = [];
  const pendingDeletes = [];
  let out = [];
  let bytes = 0;
  const emit = (s) => {
    out.push(s);
    bytes += Buffer.byteLength(s);
  };
  const data = (s) => `data ${Buffer.byteLength(s)}\n${s}\n`;
  let mark = 0;
  let ts = 1_600_000_000;
  const ident = (n) => `Dev ${n} <dev${n}@example.com> ${ts} +0000`;
  const commit = (ref, parentMark, mergeMark, changes, msg) => {
    mark++;
    ts += 600;
    const who = ident(pick(12));
    emit(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(msg)}`);
    if (parentMark) emit(`from :${parentMark}\n`);
    if (mergeMark) emit(`merge :${mergeMark}\n`);
    for (const [path, lines] of changes) emit(`M 100644 inline ${path}\n${data(lines.join('\n') + '\n')}`);
    emit('\n');
    return mark;
  };
  const paths = [...files.keys()];
  let head = commit('refs/heads/main', 0, 0, [...files.entries()], 'initial import');
  let mainCount = 1;
  let sideNo = 0;
  while (mainCount < commits) {
    const changes = new Map();
    for (let k = 0; k < 1 + pick(3); k++) {
      const p = paths[pick(paths.length)];
      const lines = files.get(p);
      for (let r = 0; r < 2 + pick(4); r++) lines[pick(lines.length)] = line();
      for (let a = 0; a < pick(6); a++) lines.splice(pick(lines.length), 0, line());
      changes.set(p, lines);
    }
    if (mainCount % 97 === 0) {
      const p = paths[pick(paths.length)];
      const lines = files.get(p);
      const token = fakeGithubPat(rand);
      const at = pick(lines.length);
      lines.splice(at, 0, `github_token = "${token}"`);
      changes.set(p, lines);
      planted.push({ file: p, token, commitIndex: mainCount });
      if (rand() < 0.5) pendingDeletes.push({ p, token, due: mainCount + 3 });
    }
    for (const d of pendingDeletes.filter((x) => x.due === mainCount)) {
      const lines = files.get(d.p);
      const i = lines.findIndex((l) => l.includes(d.token));
      if (i >= 0) lines.splice(i, 1);
      changes.set(d.p, lines);
    }
    head = commit('refs/heads/main', head, 0, [...changes.entries()].map(([p, l]) => [p, [...l]]), `change ${mainCount}`);
    mainCount++;
    if (mainCount % 450 === 0 && sideNo < 10) {
      // A side branch of 20 commits on its own files, merged back into main.
      sideNo++;
      const ref = `refs/heads/side-${sideNo}`;
      let side = head;
      const sideFiles = new Map();
      for (let s = 0; s < 20; s++) {
        const p = `side${sideNo}/notes${s % 4}.txt`;
        const lines = sideFiles.get(p) ?? [];
        for (let a = 0; a < 5; a++) lines.push(line());
        sideFiles.set(p, lines);
        side = commit(ref, side, 0, [[p, [...lines]]], `side ${sideNo}.${s}`);
      }
      head = commit('refs/heads/main', head, side, [...sideFiles.entries()], `merge side-${sideNo}`);
      mainCount++;
    }
  }
  emit(`reset refs/tags/v1\nfrom :${Math.floor(mark / 2)}\n\n`);
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  spawnSync('git', ['init', '-q', '-b', 'main', dir], { env, stdio: 'inherit' });
  const fi = spawnSync('git', ['fast-import', '--quiet'], { cwd: dir, env, input: out.join(''), stdio: ['pipe', 'inherit', 'inherit'], maxBuffer: 1 << 30 });
  if (fi.status !== 0) throw new Error('git fast-import failed');
  spawnSync('git', ['checkout', '-q', '-f', 'main'], { cwd: dir, env, stdio: 'inherit' });
  spawnSync('git', ['gc', '-q'], { cwd: dir, env, stdio: 'inherit' });
  // Expected history findings: one per (file, token); presentAtHead when HEAD still has it.
  writeFileSync(join(dir, '.git', 'planted.json'), JSON.stringify(planted, null, 1));
  return { dir, commits: mark, planted: planted.length, streamMb: bytes / 1048576 };
}

// ---------------------------------------------------------------------------------------------
// Large shape (`--large`, makeLargeHistory): a history like a real project's, where the blobs git
// stores are an order of magnitude more than the lines the commits add. Defaults (LARGE_DEFAULTS):
// 20,000 commits on main, 200 files of 100-220 KB of generated code and config (TypeScript, Python,
// Go, YAML, SQL: functions, types, tables, config sections, never one repeated line); each main
// commit edits 1-3 files (hot files more often) in 1-4 hunks that replace, insert or tweak lines,
// keeping every file near its target size. 20 side branches (10-40 commits on 1-3 files that main
// leaves alone meanwhile) merged back 20-80 commits later, a lightweight tag v1. Fake GitHub tokens
// (bench/lib.mjs fakeGithubPat: right shape, valid checksum, never issued) planted every 97th main
// commit and in every other side branch, about half deleted again 3-60 commits later.
// Measured after building (not estimated): unique blob count and total (cat-file
// --batch-all-objects), the added lines as `git log -p -U0 --all` prints them, the pack size.
// Outputs: <dir>/.git/planted.json ([{ file, token, commit (fast-import mark), branch, presentAtHead }],
// one history finding expected per entry) and, written last (its presence means the repo is
// complete), <dir>/.git/bench-meta.json (shape parameters and measurements; see makeLargeHistory).

/** Parameters of the large shape; makeLargeHistory(dir, overrides) takes any subset. */
export const LARGE_DEFAULTS = Object.freeze({
  commits: 20000, // commits on main, merges included (side-branch commits come on top)
  files: 200,
  minKb: 100, // each file's target size is drawn from [minKb, maxKb)
  maxKb: 220,
  plantEvery: 97, // a token in every plantEvery-th main commit
  sides: 20, // side branches, one opened every sideEvery main commits
  sideEvery: 950,
  seed: 20000,
});
/** Bumped whenever the large shape's content changes, so that a kept repository is rebuilt. */
const LARGE_SHAPE_VERSION = 1;

const NOUNS = (
  'account order invoice customer session report widget payload route cache queue job batch metric event record ' +
  'profile cart item price address shipment vendor region cluster node bucket policy rule quota tenant channel ' +
  'message thread upload asset image document schema field ledger entry balance transfer schedule task worker lease ' +
  'snapshot backup setting feature experiment variant segment audience campaign coupon refund subscription plan ' +
  'catalog product review rating comment notification template locale currency device build release deployment ' +
  'artifact pipeline stage step alert incident sample series window shard replica partition topic cursor page ' +
  'column table view chart dashboard panel member team project milestone label'
).split(' ');
const VERBS = (
  'get list create update remove fetch load save parse render validate normalize resolve merge compute apply build ' +
  'sync refresh archive restore publish enqueue dispatch retry cancel schedule import export encode decode format ' +
  'collect aggregate filter sort group reduce find count mark reset check ensure prepare register attach detach emit handle'
).split(' ');
const ADJS = 'active pending stale default primary remote local cached partial nested shared internal legacy daily hourly recent archived draft final visible'.split(' ');
const FIELDS = 'status count total limit offset weight priority score version retries capacity threshold duration amount quantity level rank size depth ttl position'.split(' ');
const TS_TYPES = ['string', 'number', 'boolean', 'Date', 'string[]', 'number | null', 'Record<string, number>'];
const GO_TYPES = ['string', 'int', 'int64', 'bool', 'float64', 'time.Time', '[]string', 'map[string]int'];
const KINDS = ['ts', 'py', 'go', 'yaml', 'sql'];
const cap = (w) => w[0].toUpperCase() + w.slice(1);

/**
 * Deterministic generator of realistic-looking source text. Every method draws from `rand` only,
 * so the same seed gives the same text. Output is ASCII only (byte length == string length) and
 * holds nothing secret-shaped: no key/token/password names, no long random strings.
 */
class CodeText {
  constructor(rand) {
    this.rand = rand;
  }
  pick(n) {
    return Math.floor(this.rand() * n);
  }
  one(a) {
    return a[this.pick(a.length)];
  }
  /** Numbers as code has them: mostly small, sometimes round, sometimes large. */
  num() {
    const r = this.rand();
    return r < 0.5 ? this.pick(100) : r < 0.8 ? (1 + this.pick(50)) * 50 : this.pick(100000);
  }
  ctx() {
    return { v: this.one(VERBS), n: this.one(NOUNS), n2: this.one(NOUNS), a: this.one(ADJS), a2: this.one(ADJS), f: this.one(FIELDS), f2: this.one(FIELDS) };
  }
  sentence(c) {
    switch (this.pick(5)) {
      case 0: return `Keep ${c.n}s sorted by ${c.f}; the ${c.n2} view relies on it.`;
      case 1: return `${cap(c.a)} ${c.n}s are skipped here (see ${c.v}${cap(c.n2)}, #${1000 + this.pick(9000)}).`;
      case 2: return `TODO(dev${this.pick(24)}): drop this once ${c.n2}.${c.f} is backfilled.`;
      case 3: return `Retry at most ${1 + this.pick(9)} times: ${c.n2} calls are idempotent.`;
      default: return `${cap(c.v)} before ${c.n2} totals are read, or ${c.f} drifts by ${this.num()}.`;
    }
  }
  /** One statement (possibly several lines) in a function body of `kind`, using context `c`. */
  stmt(kind, c) {
    const N = cap(c.n);
    const k = this.pick(10);
    if (kind === 'ts') {
      return [
        [`  const ${c.n}s = await this.${c.n2}Store.list({ ${c.n2}Id, limit: ${this.num()} });`],
        [`  if (${c.n}s.length > ${this.num()}) logger.warn('${c.v} ${c.n}: truncated', { ${c.n2}Id, count: ${c.n}s.length });`],
        [`  const ${c.f} = opts.${c.f} ?? ${this.num()};`],
        [`  const ${c.a}${N}s = ${c.n}s.filter((x) => x.${c.f} === '${c.a2}');`],
        [`  for (const ${c.n} of ${c.n}s) {`, `    ${c.n}.${c.f} = Math.max(${c.n}.${c.f} ?? 0, ${this.num()});`, `  }`],
        [`  await this.events.emit('${c.n}.${c.v}', { id: ${c.n2}Id, at: Date.now() });`],
        [`  // ${this.sentence(c)}`],
        [`  const ${c.f2}Total = ${c.n}s.reduce((sum, x) => sum + x.${c.f2}, 0);`],
        [`  if (!${c.n}s.length) {`, `    throw new NotFoundError(\`${c.n2} \${${c.n2}Id} has no ${c.n}s\`);`, `  }`],
        [`  metrics.increment('${c.n2}.${c.v}.${c.a}', ${this.num()});`],
      ][k];
    }
    if (kind === 'py') {
      return [
        [`    ${c.n}s = self.${c.n2}_repo.list(${c.n2}_id=${c.n2}_id, limit=${this.num()})`],
        [`    if not ${c.n}s:`, `        raise NotFound(f"${c.n2} {${c.n2}_id} has no ${c.n}s")`],
        [`    ${c.f} = kwargs.get("${c.f}", ${this.num()})`],
        [`    ${c.a}_${c.n}s = [x for x in ${c.n}s if x.${c.f} == "${c.a2}"]`],
        [`    for ${c.n} in ${c.n}s:`, `        ${c.n}.${c.f} = max(${c.n}.${c.f} or 0, ${this.num()})`],
        [`    log.debug("${c.v} ${c.n}: %d rows for %s", len(${c.n}s), ${c.n2}_id)`],
        [`    # ${this.sentence(c)}`],
        [`    ${c.f2}_total = sum(x.${c.f2} for x in ${c.n}s)`],
        [`    self.events.emit("${c.n}.${c.v}", id=${c.n2}_id, at=time.time())`],
        [`    self.metrics.incr("${c.n2}.${c.v}.${c.a}", ${this.num()})`],
      ][k];
    }
    if (kind === 'go') {
      return [
        [`\t${c.n}s, err := s.store.List${N}s(ctx, ${c.n2}ID, ${this.num()})`, `\tif err != nil {`, `\t\treturn nil, fmt.Errorf("${c.v} ${c.n}s for %s: %w", ${c.n2}ID, err)`, `\t}`],
        [`\ts.log.Debug("${c.v} ${c.n}", "${c.n2}", ${c.n2}ID, "count", len(${c.n}s))`],
        [`\t${c.f} := s.cfg.${cap(c.f)}Or(${this.num()})`],
        [`\tfor _, x := range ${c.n}s {`, `\t\tif x.${cap(c.f)} > ${this.num()} {`, `\t\t\tx.${cap(c.f2)}++`, `\t\t}`, `\t}`],
        [`\t// ${this.sentence(c)}`],
        [`\ts.metrics.Add("${c.n2}_${c.v}_${c.a}_total", ${this.num()})`],
        [`\tif len(${c.n}s) == 0 {`, `\t\treturn nil, ErrNo${N}s`, `\t}`],
        [`\t${c.f2}Total := 0`],
        [`\tdefer s.trace("${c.v}${N}", time.Now())`],
        [`\tctx, cancel := context.WithTimeout(ctx, ${1 + this.pick(60)}*time.Second)`, `\tdefer cancel()`],
      ][k];
    }
    if (kind === 'yaml') {
      return [
        [`  enabled: ${this.rand() < 0.7}`],
        [`  replicas: ${1 + this.pick(12)}`],
        [`  timeout_ms: ${this.num()}`],
        [`  image: registry.internal/${c.n}-${c.v}:${this.pick(20)}.${this.pick(40)}.${this.pick(10)}`],
        [`  hosts:`, `    - ${c.n2}-${this.pick(40)}.svc.cluster.local`, `    - ${c.n2}-${this.pick(40)}.svc.cluster.local`],
        [`  limits:`, `    cpu: ${(1 + this.pick(40)) * 100}m`, `    memory: ${(1 + this.pick(32)) * 128}Mi`],
        [`  # ${this.sentence(c)}`],
        [`  ${c.f}: ${this.num()}`],
        [`  labels:`, `    team: ${c.n2}`, `    tier: ${c.a}`],
        [`  schedule: "${this.pick(60)} ${this.pick(24)} * * *"`],
      ][k];
    }
    // sql: one row of an INSERT or one column of a CREATE TABLE
    return k < 6 ? [`  (${this.num()}, ${this.num()}, '${c.a}', '${c.n2}-${this.pick(1000)}'),`] : [`  ${c.f}_${c.a} ${this.one(['INTEGER', 'BIGINT', 'TEXT', 'BOOLEAN', 'NUMERIC(12, 2)'])} NOT NULL DEFAULT ${this.pick(100)},`];
  }
  body(kind, c, min, max) {
    const out = [];
    const n = min + this.pick(max - min + 1);
    while (out.length < n) out.push(...this.stmt(kind, c));
    return out;
  }
  /** One top-level block (function, type, table, config section), ending with a blank line. */
  block(kind) {
    const c = this.ctx();
    const N = cap(c.n);
    const A = cap(c.a);
    const V = cap(c.v);
    const r = this.pick(4);
    if (kind === 'ts') {
      if (r === 0) return [`export interface ${N}${A}Options {`, ...Array.from({ length: 3 + this.pick(8) }, () => `  ${this.one(FIELDS)}${this.one(['', '?'])}: ${this.one(TS_TYPES)};`), '}', ''];
      if (r === 1) return [`export const ${c.n.toUpperCase()}_${c.a.toUpperCase()}_LIMITS: Record<string, number> = {`, ...Array.from({ length: 4 + this.pick(12) }, () => `  ${this.one(NOUNS)}: ${this.num()},`), '};', ''];
      return ['/**', ` * ${V}s ${c.a} ${c.n}s for one ${c.n2}. ${this.sentence(c)}`, ' */', `export async function ${c.v}${A}${N}s(${c.n2}Id: string, opts: ${N}Options = {}): Promise<${N}[]> {`, ...this.body(kind, c, 3, 18), `  return ${c.n}s;`, '}', ''];
    }
    if (kind === 'py') {
      if (r === 0) return [`class ${N}${A}Serializer(BaseSerializer):`, ...Array.from({ length: 3 + this.pick(8) }, () => `    ${this.one(FIELDS)} = fields.${this.one(['Integer', 'String', 'Boolean', 'DateTime'])}(required=${this.rand() < 0.5 ? 'True' : 'False'})`), '', ''];
      return [`def ${c.v}_${c.a}_${c.n}s(self, ${c.n2}_id: str, **kwargs) -> list[${N}]:`, `    """${V} ${c.a} ${c.n}s for one ${c.n2}."""`, ...this.body(kind, c, 3, 15), `    return ${c.n}s`, '', ''];
    }
    if (kind === 'go') {
      if (r === 0) return [`type ${N}${A} struct {`, ...Array.from({ length: 3 + this.pick(8) }, () => { const f = this.one(FIELDS); return `\t${cap(f)} ${this.one(GO_TYPES)} \`json:"${f}"\``; }), '}', ''];
      return [`// ${V}${A}${N}s ${c.v}s ${c.a} ${c.n}s for one ${c.n2}.`, `func (s *${cap(c.n2)}Service) ${V}${A}${N}s(ctx context.Context, ${c.n2}ID string) ([]*${N}, error) {`, ...this.body(kind, c, 3, 15), `\treturn ${c.n}s, nil`, '}', ''];
    }
    if (kind === 'yaml') return [`${c.n}-${c.a}-${this.pick(100)}:`, ...this.body(kind, c, 4, 14), ''];
    if (r === 0) return [`CREATE TABLE IF NOT EXISTS ${c.n}_${c.a} (`, '  id BIGSERIAL PRIMARY KEY,', `  ${c.n2}_id BIGINT NOT NULL REFERENCES ${c.n2}s (id),`, ...Array.from({ length: 2 + this.pick(8) }, () => this.stmt('sql', { ...this.ctx() })[0]).filter((l) => !l.startsWith('  (')), '  created_at TIMESTAMPTZ NOT NULL DEFAULT now()', ');', `CREATE INDEX IF NOT EXISTS ${c.n}_${c.a}_${c.f}_idx ON ${c.n}_${c.a} (${c.f});`, ''];
    const rows = Array.from({ length: 3 + this.pick(25) }, () => `  (${this.num()}, ${this.num()}, '${this.one(ADJS)}', '${c.n2}-${this.pick(1000)}'),`);
    rows[rows.length - 1] = rows[rows.length - 1].replace(/,$/, ';');
    return [`INSERT INTO ${c.n}_${c.a} (${c.n2}_id, ${c.f}, state, ref) VALUES`, ...rows, ''];
  }
  /** Whole blocks until at least `n` lines. */
  lines(kind, n) {
    const out = [];
    while (out.length < n) out.push(...this.block(kind));
    return out;
  }
  /** A small edit of one line: another number, another word, or a fresh statement. Never touches a planted token. */
  tweak(kind, line) {
    if (line.includes('ghp_')) return line;
    if (this.rand() < 0.6 && /\d/.test(line)) {
      const t = line.replace(/\d+/, () => String(this.num()));
      if (t !== line) return t;
    }
    if (this.rand() < 0.5) {
      const t = line.replace(/\b(active|pending|stale|default|primary|remote|local|cached|shared|legacy|recent|draft|final)\b/, () => this.one(ADJS));
      if (t !== line) return t;
    }
    return this.stmt(kind, this.ctx())[0];
  }
  /** The line that leaks `token` in a file of `kind` (one line; the token appears once). */
  tokenLine(kind, token) {
    switch (kind) {
      case 'ts': return `const githubToken = '${token}';`;
      case 'py': return `GITHUB_TOKEN = "${token}"`;
      case 'go': return `var githubToken = "${token}"`;
      case 'yaml': return `github_token: ${token}`;
      default: return `-- deploy: GH_TOKEN=${token} ./scripts/migrate.sh`;
    }
  }
}

/** Copies `chunks` of text into a child's stdin in ~8 MB writes, waiting for 'drain' (bounded memory). */
class StreamWriter {
  constructor(stream) {
    this.stream = stream;
    this.parts = [];
    this.size = 0;
    this.total = 0;
  }
  push(s) {
    this.parts.push(s);
    this.size += s.length;
    this.total += s.length;
  }
  async flush(force = false) {
    if (this.size === 0 || (!force && this.size < 8 << 20)) return;
    const buf = Buffer.from(this.parts.join(''), 'latin1');
    this.parts = [];
    this.size = 0;
    if (!this.stream.write(buf)) await once(this.stream, 'drain');
  }
}

function exitOf(child) {
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve(code));
  });
}

/**
 * Measures a built repository (no estimates): unique blobs (`git cat-file --batch-all-objects`:
 * count and total bytes) and the added lines as `git log -p -U0 --all` prints them (lines starting
 * with `+` inside hunks, so not the `+++ b/path` headers; bytes = content plus its newline, the `+`
 * not counted). Streams git's output: memory stays small whatever the history size.
 * Resolves to { blobs, blobBytes, addedLines, addedBytes }.
 */
export async function measureHistory(dir, env = process.env) {
  const check = spawnSync('git', ['cat-file', '--batch-all-objects', '--batch-check=%(objecttype) %(objectsize)'], { cwd: dir, env, encoding: 'latin1', maxBuffer: 1 << 30 });
  if (check.status !== 0) throw new Error(`git cat-file --batch-check failed in ${dir}`);
  let blobs = 0;
  let blobBytes = 0;
  for (const l of check.stdout.split('\n')) {
    if (!l.startsWith('blob ')) continue;
    blobs++;
    blobBytes += Number(l.slice(5));
  }
  const log = spawn('git', ['log', '-p', '-U0', '--all'], { cwd: dir, env, stdio: ['ignore', 'pipe', 'inherit'] });
  const done = exitOf(log);
  let addedLines = 0;
  let addedBytes = 0;
  let inHunk = false;
  let rest = Buffer.alloc(0);
  for await (const chunk of log.stdout) {
    const buf = rest.length ? Buffer.concat([rest, chunk]) : chunk;
    let s = 0;
    for (let nl = buf.indexOf(10, s); nl >= 0; s = nl + 1, nl = buf.indexOf(10, s)) {
      const c = buf[s];
      if (c === 0x40 && buf[s + 1] === 0x40) inHunk = true; // @@ hunk header
      else if (c === 0x2b) {
        if (inHunk) {
          addedLines++;
          addedBytes += nl - s; // content + newline (the '+' replaces no byte of the file)
        }
      } else if (c !== 0x2d && c !== 0x5c) inHunk = false; // not '-' nor '\ No newline': a header line
    }
    rest = buf.subarray(s);
  }
  if ((await done) !== 0) throw new Error(`git log -p failed in ${dir}`);
  return { blobs, blobBytes, addedLines, addedBytes };
}

/** Total size in bytes of the files under `dir` (recursive). */
function duBytes(dir) {
  let n = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = join(dir, e.name);
    n += e.isDirectory() ? duBytes(p) : e.isFile() ? statSync(p).size : 0;
  }
  return n;
}

/** Reads <dir>/.git/bench-meta.json, or undefined when absent (the repository is incomplete or not built). */
export function readLargeMeta(dir) {
  const f = join(dir, '.git', 'bench-meta.json');
  return existsSync(f) ? JSON.parse(readFileSync(f, 'utf8')) : undefined;
}

/** Whether `meta` (readLargeMeta) describes a repository built with these parameters by this shape version. */
export function largeMetaMatches(meta, overrides = {}) {
  const params = { ...LARGE_DEFAULTS, ...overrides };
  return meta !== undefined && meta.shapeVersion === LARGE_SHAPE_VERSION && JSON.stringify(meta.params) === JSON.stringify(params);
}

/**
 * Builds the large-shape repository in `dir` (removed first), deterministically for given
 * parameters, streaming the fast-import input (memory: the 200 files' current text, not the
 * history). Then `git repack -a -d -F` and `git gc` (git's own delta chains), measureHistory,
 * planted.json and bench-meta.json.
 * `log` receives progress lines. Resolves to the meta object written to bench-meta.json:
 * { shapeVersion, params, commits, mainCommits, sideCommits, merges, planted, blobs, blobBytes,
 *   addedLines, addedBytes, packBytes, gitDirBytes, fastImportBytes, seconds: { import, gc, measure, total } }.
 */
export async function makeLargeHistory(dir, overrides = {}, log = (s) => console.error(s)) {
  const P = { ...LARGE_DEFAULTS, ...overrides };
  const t0 = performance.now();
  const rand = prng(P.seed);
  const pick = (n) => Math.floor(rand() * n);
  const text = new CodeText(rand);

  // The files: path -> { kind, lines, bytes (length of lines.join('\n') + '\n'), target }.
  const files = new Map();
  const taken = new Set();
  for (let i = 0; files.size < P.files; i++) {
    const kind = KINDS[i % KINDS.length];
    const [v, n, n2] = [text.one(VERBS), text.one(NOUNS), text.one(NOUNS)];
    const path = {
      ts: `web/src/${n}/${n2}${cap(v)}.ts`,
      py: `backend/${n}/${n2}_${v}.py`,
      go: `internal/${n}/${n2}_${v}.go`,
      yaml: `deploy/${text.one(['prod', 'staging', 'canary'])}/${n}-${n2}.yaml`,
      sql: `db/migrations/${String(i).padStart(4, '0')}_${v}_${n}.sql`,
    }[kind];
    if (taken.has(path)) continue;
    taken.add(path);
    const target = (P.minKb + pick(P.maxKb - P.minKb)) * 1024;
    const lines = [];
    let bytes = 0;
    while (bytes < target) {
      for (const l of text.block(kind)) {
        lines.push(l);
        bytes += l.length + 1;
      }
    }
    files.set(path, { kind, lines, bytes, target });
  }
  const paths = [...files.keys()];
  // Hot and cold files: a fixed shuffled order, picked with a bias to its front.
  const order = [...paths];
  for (let i = order.length - 1; i > 0; i--) {
    const j = pick(i + 1);
    [order[i], order[j]] = [order[j], order[i]];
  }
  const locked = new Set(); // files an open side branch owns: main leaves them alone
  const pickFile = (exclude) => {
    for (;;) {
      const p = order[Math.floor(order.length * rand() ** 1.6)];
      if (!locked.has(p) && !exclude.has(p)) return p;
    }
  };
  /** Lines added by one hunk: mostly small fixes, some features, a few big rewrites. */
  const hunkLines = () => {
    const r = rand();
    return r < 0.55 ? 1 + pick(12) : r < 0.85 ? 12 + pick(100) : r < 0.97 ? 110 + pick(400) : 500 + pick(1500);
  };
  /** One edit of file `p` in 1-4 hunks; the file's size is pulled back toward its target. */
  const edit = (p) => {
    const f = files.get(p);
    for (let h = 1 + pick(4); h > 0; h--) {
      const a = hunkLines();
      let at = pick(f.lines.length);
      if (a <= 8 && rand() < 0.6) {
        // Tweak a few lines in place.
        for (let i = at; i < Math.min(at + a, f.lines.length); i++) {
          const t = text.tweak(f.kind, f.lines[i]);
          f.bytes += t.length - f.lines[i].length;
          f.lines[i] = t;
        }
        continue;
      }
      // Replace a region starting at a block boundary with new blocks; remove more when the file is over its target.
      for (let k = 0; k < 40 && at < f.lines.length && f.lines[at] !== ''; k++) at++;
      at = Math.min(at + 1, f.lines.length);
      const add = text.lines(f.kind, a);
      const remove = Math.min(f.lines.length - at, Math.round(add.length * (f.bytes / f.target) * (0.7 + 0.6 * rand())));
      const removed = f.lines.splice(at, remove, ...add);
      for (const l of removed) f.bytes -= l.length + 1;
      for (const l of add) f.bytes += l.length + 1;
    }
  };

  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const env = { ...process.env, GIT_CONFIG_NOSYSTEM: '1', GIT_CONFIG_GLOBAL: '/dev/null' };
  const git = (...a) => {
    const r = spawnSync('git', a, { cwd: dir, env, stdio: 'inherit' });
    if (r.status !== 0) throw new Error(`git ${a[0]} failed in ${dir}`);
  };
  git('init', '-q', '-b', 'main', dir);
  // A scratch pack, rewritten below: whole objects (--depth=0: fast-import's only delta base would be
  // the previous blob, usually another file) at zlib level 1 (twice as fast as the default).
  const fi = spawn('git', ['-c', 'pack.compression=1', 'fast-import', '--quiet', '--done', '--depth=0'], { cwd: dir, env, stdio: ['pipe', 'inherit', 'inherit'] });
  const fiDone = exitOf(fi);
  const out = new StreamWriter(fi.stdin);
  out.push('feature done\n');

  const data = (s) => `data ${s.length}\n${s}\n`;
  let mark = 0;
  let ts = 1_500_000_000;
  /** Emits one commit of the current text of `changed` paths; returns its mark. */
  const commit = (ref, parentMark, mergeMark, changed, msg) => {
    mark++;
    ts += 60 + pick(3000);
    const dev = pick(24);
    const who = `Dev ${dev} <dev${dev}@example.com> ${ts} +0000`;
    out.push(`commit ${ref}\nmark :${mark}\nauthor ${who}\ncommitter ${who}\n${data(msg)}`);
    if (parentMark) out.push(`from :${parentMark}\n`);
    if (mergeMark) out.push(`merge :${mergeMark}\n`);
    for (const p of changed) out.push(`M 100644 inline ${p}\n${data(files.get(p).lines.join('\n') + '\n')}`);
    out.push('\n');
    return mark;
  };
  const message = () => {
    const c = text.ctx();
    return `${text.one(['fix', 'feat', 'refactor', 'chore', 'perf'])}(${c.n2}): ${c.v} ${c.a} ${c.n}s\n\n${text.sentence(c)}\n`;
  };
  const planted = [];
  const pendingDeletes = []; // { p, token, due } on main
  /** Plants a fresh fake token in file `p` at a block boundary; records it for `branch`. */
  const plant = (p, branch) => {
    const f = files.get(p);
    const token = fakeGithubPat(rand);
    let at = pick(f.lines.length);
    while (at < f.lines.length && f.lines[at] !== '') at++;
    const l = text.tokenLine(f.kind, token);
    f.lines.splice(at, 0, l);
    f.bytes += l.length + 1;
    planted.push({ file: p, token, commit: mark + 1, branch });
    return token;
  };

  let head = commit('refs/heads/main', 0, 0, paths, 'initial import');
  let mainCount = 1;
  let sideNo = 0;
  let sideCommits = 0;
  let merges = 0;
  let side; // the open side branch: { no, mark, owned: string[], mergeAt }
  let nextReport = 2000;
  while (mainCount < P.commits) {
    const changed = new Set();
    for (let k = 0, n = rand() < 0.7 ? 1 : rand() < 0.73 ? 2 : 3; k < n; k++) {
      const p = pickFile(changed);
      edit(p);
      changed.add(p);
    }
    if (mainCount % P.plantEvery === 0) {
      const p = pickFile(new Set());
      const token = plant(p, 'main');
      changed.add(p);
      if (rand() < 0.5) pendingDeletes.push({ p, token, due: mainCount + 3 + pick(58) });
    }
    for (const d of pendingDeletes) {
      if (d.due !== mainCount) continue;
      if (locked.has(d.p)) {
        d.due++; // a side branch owns the file for now
        continue;
      }
      const f = files.get(d.p);
      const i = f.lines.findIndex((l) => l.includes(d.token));
      if (i < 0) continue; // an edit already replaced it
      f.bytes -= f.lines[i].length + 1;
      f.lines.splice(i, 1);
      changed.add(d.p);
    }
    head = commit('refs/heads/main', head, 0, changed, message());
    mainCount++;
    if (side && mainCount >= side.mergeAt) {
      head = commit('refs/heads/main', head, side.mark, side.owned, `Merge branch 'side-${side.no}'\n`);
      for (const p of side.owned) locked.delete(p);
      side = undefined;
      mainCount++;
      merges++;
    } else if (!side && mainCount % P.sideEvery === 0 && sideNo < P.sides) {
      // A side branch from here on 1-3 files of its own; main goes on without them until the merge.
      sideNo++;
      const ref = `refs/heads/side-${sideNo}`;
      const owned = [];
      for (let k = 1 + pick(3); k > 0; k--) {
        const p = pickFile(new Set(owned));
        owned.push(p);
        locked.add(p);
      }
      const n = 10 + pick(31);
      const plantAt = sideNo % 2 === 1 ? pick(n) : -1;
      let m = head;
      for (let s = 0; s < n; s++) {
        const ch = new Set([owned[pick(owned.length)], owned[pick(owned.length)]]);
        for (const p of ch) edit(p);
        if (s === plantAt) {
          const p = owned[pick(owned.length)];
          plant(p, `side-${sideNo}`);
          ch.add(p);
        }
        m = commit(ref, m, 0, ch, message());
        sideCommits++;
      }
      side = { no: sideNo, mark: m, owned, mergeAt: mainCount + 20 + pick(61) };
    }
    await out.flush();
    if (mainCount >= nextReport) {
      log(`  ${mainCount} main commits, ${(out.total / 1073741824).toFixed(2)} GB fast-import input, ${((performance.now() - t0) / 1000).toFixed(0)} s`);
      nextReport += 2000;
    }
  }
  if (side) {
    head = commit('refs/heads/main', head, side.mark, side.owned, `Merge branch 'side-${side.no}'\n`);
    mainCount++;
    merges++;
  }
  out.push(`reset refs/tags/v1\nfrom :${Math.floor(mark / 2)}\n\ndone\n`);
  await out.flush(true);
  fi.stdin.end();
  if ((await fiDone) !== 0) throw new Error('git fast-import failed');
  const tImport = performance.now();
  log(`  fast-import done (${mark} commits, ${(out.total / 1073741824).toFixed(2)} GB input) in ${((tImport - t0) / 1000).toFixed(0)} s; git repack -a -d -F, git gc ...`);
  git('checkout', '-q', '-f', 'main');
  // The pack a real repository has: deltas found by git's own search (window 10, depth 50), default
  // compression. -F because a plain `git gc` reuses fast-import's whole objects as they are; one
  // thread, so the pack is the same on every build. Then gc: packed refs, commit-graph.
  git('-c', 'pack.threads=1', 'repack', '-a', '-d', '-F', '-q');
  git('gc', '-q');
  const tGc = performance.now();
  log(`  repack and gc done in ${((tGc - tImport) / 1000).toFixed(0)} s; measuring blobs and added lines ...`);
  const m = await measureHistory(dir, env);
  const tMeasure = performance.now();
  for (const p of planted) p.presentAtHead = files.get(p.file).lines.some((l) => l.includes(p.token));
  // Expected history findings: one per (file, token).
  writeFileSync(join(dir, '.git', 'planted.json'), JSON.stringify(planted, null, 1));
  const packDir = join(dir, '.git', 'objects', 'pack');
  const meta = {
    shapeVersion: LARGE_SHAPE_VERSION,
    params: P,
    commits: mark,
    mainCommits: mainCount,
    sideCommits,
    merges,
    sideBranches: sideNo,
    planted: planted.length,
    ...m,
    packBytes: readdirSync(packDir).filter((n) => n.endsWith('.pack')).reduce((s, n) => s + statSync(join(packDir, n)).size, 0),
    gitDirBytes: duBytes(join(dir, '.git')),
    fastImportBytes: out.total,
    seconds: { import: +((tImport - t0) / 1000).toFixed(1), gc: +((tGc - tImport) / 1000).toFixed(1), measure: +((tMeasure - tGc) / 1000).toFixed(1), total: +((tMeasure - t0) / 1000).toFixed(1) },
  };
  writeFileSync(join(dir, '.git', 'bench-meta.json'), JSON.stringify(meta, null, 1) + '\n');
  return meta;
}

const MB = (b) => (b / 1048576).toFixed(1);
/** One line describing a large-shape repository from its meta (bench-meta.json). */
export function describeLarge(meta) {
  return (
    `${meta.commits} commits (${meta.mainCommits} on main incl. ${meta.merges} merges, ${meta.sideCommits} on ${meta.sideBranches} side branches), ` +
    `${meta.blobs} unique blobs totalling ${MB(meta.blobBytes)} MB, added lines ${MB(meta.addedBytes)} MB (${meta.addedLines} lines, git log -p -U0 --all), ` +
    `pack ${MB(meta.packBytes)} MB (.git ${MB(meta.gitDirBytes)} MB), ${meta.planted} planted tokens`
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const args = process.argv.slice(2);
  const VALUE_FLAGS = ['--commits', '--file-lines', '--files', '--min-kb', '--max-kb', '--seed'];
  const num = (flag) => (args.includes(flag) ? Number(args[args.indexOf(flag) + 1]) : undefined);
  const positional = args.find((a, k) => !a.startsWith('--') && !VALUE_FLAGS.includes(args[k - 1]));
  const t0 = performance.now();
  if (args.includes('--large')) {
    const overrides = {};
    for (const [flag, key] of [['--commits', 'commits'], ['--files', 'files'], ['--min-kb', 'minKb'], ['--max-kb', 'maxKb'], ['--seed', 'seed']]) {
      if (num(flag) !== undefined) overrides[key] = num(flag);
    }
    const dir = positional ?? join(tmpdir(), 'leakhound-bench', `history-large-${overrides.commits ?? LARGE_DEFAULTS.commits}`);
    const meta = await makeLargeHistory(dir, overrides);
    const s = meta.seconds;
    console.log(`built ${dir} in ${s.total} s (fast-import ${s.import} s, repack and gc ${s.gc} s, measuring ${s.measure} s): ${describeLarge(meta)}`);
  } else {
    const commits = num('--commits') ?? 5000;
    const fileLines = num('--file-lines') ?? 60;
    const dir = positional ?? join(tmpdir(), 'leakhound-bench', `history-${commits}`);
    const r = makeHistory(dir, commits, fileLines);
    console.log(`built ${r.dir}: ${r.commits} commits, ${r.planted} planted tokens in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
    if (!existsSync(join(dir, '.git'))) process.exitCode = 1;
  }
}
