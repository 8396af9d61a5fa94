// Builds a deterministic source tree of realistic code and config (default 60 MB) with FAKE
// secrets planted at known places. Usage: node bench/make-tree.mjs DIR [MB]
// Writes DIR/.planted.json: [{ file, line, ruleId }].
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fakeGithubPat, prng, randomString } from './lib.mjs';

const HEX = '0123456789abcdef';
const B64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const WORDS = 'user order account invoice item cart price total session config client server request response handler router service model view token payment customer address email status result error value index count limit offset query filter sort page'.split(' ');

export function makeTree(dir, megabytes = 60, seed = 42) {
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  const rand = prng(seed);
  const pick = (xs) => xs[Math.floor(rand() * xs.length)];
  const ident = () => pick(WORDS) + pick(WORDS).replace(/^./, (c) => c.toUpperCase());
  const uuid = () => [8, 4, 4, 4, 12].map((n) => randomString(rand, HEX, n)).join('-');
  const jsLine = () =>
    pick([
      () => `  const ${ident()} = await ${ident()}.find({ id: ${Math.floor(rand() * 1e6)}, limit: ${Math.floor(rand() * 100)} });`,
      () => `  if (!${ident()}) throw new Error('${pick(WORDS)} ${pick(WORDS)} not found');`,
      () => `  // ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}: see issue #${Math.floor(rand() * 9999)}`,
      () => `  return ${ident()}.map((x) => x.${pick(WORDS)} * ${(rand() * 10).toFixed(2)});`,
      () => `import { ${ident()} } from '../${pick(WORDS)}/${pick(WORDS)}.js';`,
      () => `  const requestId = '${uuid()}';`,
      () => `  const checksum = '${randomString(rand, HEX, 64)}'; // sha256 of the payload`,
      () => `  const password = req.body.password;`,
      () => `  const token = process.env.${pick(WORDS).toUpperCase()}_TOKEN;`,
      () => `export async function ${ident()}(${pick(WORDS)}, ${pick(WORDS)}) {`,
      () => '}',
    ])();
  const configLine = () =>
    pick([
      () => `${pick(WORDS)}_${pick(WORDS)}: ${Math.floor(rand() * 1000)}`,
      () => `  ${pick(WORDS)}: "${pick(WORDS)}-${pick(WORDS)}"`,
      () => `  timeout_ms: ${Math.floor(rand() * 10000)}`,
      () => `  image: registry.example.com/${pick(WORDS)}:${Math.floor(rand() * 9)}.${Math.floor(rand() * 9)}`,
      () => `  password: \${${pick(WORDS).toUpperCase()}_PASSWORD}`,
      () => `  api_key: \${{ secrets.${pick(WORDS).toUpperCase()}_API_KEY }}`,
      () => `  commit: ${randomString(rand, HEX, 40)}`,
      () => `  id: ${uuid()}`,
    ])();
  const pyLine = () =>
    pick([
      () => `    ${pick(WORDS)} = self.${pick(WORDS)}.get("${pick(WORDS)}", ${Math.floor(rand() * 100)})`,
      () => `def ${pick(WORDS)}_${pick(WORDS)}(${pick(WORDS)}, ${pick(WORDS)}=None):`,
      () => `    # ${pick(WORDS)} ${pick(WORDS)} ${pick(WORDS)}`,
      () => `    password = os.environ["${pick(WORDS).toUpperCase()}_PASSWORD"]`,
      () => `    token = settings.${pick(WORDS).toUpperCase()}_TOKEN`,
      () => `    return [x for x in ${pick(WORDS)} if x.${pick(WORDS)} > ${Math.floor(rand() * 50)}]`,
      () => `    digest = hashlib.sha256(${pick(WORDS)}).hexdigest()  # ${randomString(rand, HEX, 64)}`,
      () => `import ${pick(WORDS)}`,
    ])();
  const lockEntry = () =>
    `    "node_modules/${pick(WORDS)}-${pick(WORDS)}": {\n      "version": "${Math.floor(rand() * 9)}.${Math.floor(rand() * 20)}.${Math.floor(rand() * 30)}",\n      "resolved": "https://registry.npmjs.org/${pick(WORDS)}/-/${pick(WORDS)}-1.0.0.tgz",\n      "integrity": "sha512-${randomString(rand, B64, 86)}=="\n    },`;
  const planted = [];
  let total = 0;
  const target = megabytes * 1024 * 1024;
  let n = 0;
  while (total < target) {
    const sub = `packages/${pick(WORDS)}-${n % 40}/src`;
    mkdirSync(join(dir, sub), { recursive: true });
    let file;
    let lines;
    if (n % 25 === 0) {
      file = `${sub}/../package-lock.json`;
      lines = ['{', '  "packages": {'];
      for (let i = 0; i < 400; i++) lines.push(...lockEntry().split('\n'));
      lines.push('  }', '}');
    } else if (n % 7 === 3) {
      file = `${sub}/${ident()}-${n}.${pick(['yml', 'json'])}`;
      lines = [];
      const count = 100 + Math.floor(rand() * 300);
      for (let i = 0; i < count; i++) lines.push(configLine());
    } else if (n % 5 === 1) {
      file = `${sub}/${ident().toLowerCase()}_${n}.py`;
      lines = [];
      const count = 200 + Math.floor(rand() * 500);
      for (let i = 0; i < count; i++) lines.push(pyLine());
    } else {
      file = `${sub}/${ident()}-${n}.${pick(['js', 'ts', 'mjs'])}`;
      lines = [];
      const count = 200 + Math.floor(rand() * 600);
      for (let i = 0; i < count; i++) lines.push(jsLine());
      if (n % 50 === 7) {
        const line = Math.floor(rand() * lines.length);
        lines[line] = `  const githubToken = "${fakeGithubPat(rand)}";`;
        planted.push({ file: file.replace(/[^/]+\/\.\.\//, ''), line: line + 1, ruleId: 'github-pat-classic' });
      }
    }
    const norm = file.replace(/[^/]+\/\.\.\//, '');
    const text = `${lines.join('\n')}\n`;
    writeFileSync(join(dir, norm), text);
    total += Buffer.byteLength(text);
    n++;
  }
  writeFileSync(join(dir, '.planted.json'), JSON.stringify(planted));
  writeFileSync(join(dir, '.leakhoundignore'), '.planted.json\n');
  return { files: n, bytes: total, planted };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const r = makeTree(process.argv[2], Number(process.argv[3] ?? 60));
  console.log(`${r.files} files, ${(r.bytes / 1048576).toFixed(1)} MB, ${r.planted.length} planted secrets`);
}
