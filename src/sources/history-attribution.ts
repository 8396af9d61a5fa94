import { locate } from '../git/repo.js';
import { gitRaw } from '../git/run.js';
import type { Finding } from '../types.js';

/**
 * Folds history findings into one per leak and attributes it.
 *
 * One leak = one fingerprint: the same rule, the same secret and the same path (as the
 * fingerprint already binds them, so a baseline entry matches the history finding too). The same
 * secret under another path (a copy, a rename that also edited the file) is another finding.
 * The reported finding is the one from the commit that introduced the secret: the oldest commit
 * in the walk that adds it (git log order, newest first, so the last one seen). `commitCount`
 * counts the distinct commits that add it. `presentAtHead` is true when HEAD still holds the
 * secret: in the same file, or (for one-line secrets) anywhere in HEAD's tree, e.g. after a rename.
 */
export async function attributeHistory(findings: Finding[], order: ReadonlyMap<string, number>, root: string): Promise<Finding[]> {
  const groups = new Map<string, Finding[]>();
  for (const f of findings) {
    if (f.origin.kind !== 'commit') continue;
    const g = groups.get(f.fingerprint);
    if (g) g.push(f);
    else groups.set(f.fingerprint, [f]);
  }
  const { cwd } = locate(root);
  const present = await presentAtHead([...groups.values()].map((g) => g[0]!), cwd);
  const out: Finding[] = [];
  for (const [fp, group] of groups) {
    const rank = (f: Finding): number => (f.origin.kind === 'commit' ? (order.get(f.origin.sha) ?? 0) : 0);
    let first = group[0]!;
    for (const f of group) if (rank(f) > rank(first) || (rank(f) === rank(first) && f.line < first.line)) first = f;
    const o = first.origin;
    if (o.kind !== 'commit') continue;
    const commits = new Set(group.map((f) => (f.origin.kind === 'commit' ? f.origin.sha : '')));
    out.push({
      ...first,
      history: {
        introducedBy: { sha: o.sha, author: o.author, email: o.email, date: o.date },
        commitCount: commits.size,
        presentAtHead: present.has(fp),
      },
    });
  }
  return out;
}

/** Fingerprints whose secret HEAD still holds. */
async function presentAtHead(findings: Finding[], cwd: string): Promise<Set<string>> {
  const found = new Set<string>();
  if (findings.length === 0) return found;
  const head = await gitRaw(cwd, ['rev-parse', '--verify', '--quiet', 'HEAD^{tree}']);
  if (head.code !== 0) return found;
  // 1. The same path at HEAD (paths are relative to cwd: `HEAD:./path`).
  const byPath = findings.filter((f) => !f.file.includes('\n'));
  const paths = [...new Set(byPath.map((f) => f.file))];
  const r = await gitRaw(cwd, ['cat-file', '--batch'], paths.map((p) => `HEAD:./${p}\n`).join(''));
  const blobs = parseBatch(r.stdout, paths);
  for (const f of byPath) {
    const blob = blobs.get(f.file);
    if (blob && blob.includes(Buffer.from(f.secret))) found.add(f.fingerprint);
  }
  // 2. Anywhere in HEAD's tree, for one-line secrets not found at their path.
  const rest = findings.filter((f) => !found.has(f.fingerprint) && !/[\r\n]/.test(f.secret));
  if (rest.length > 0) {
    const g = await gitRaw(cwd, ['grep', '--no-color', '-I', '-F', '-o', '-h', '-f', '-', 'HEAD', '--'], rest.map((f) => `${f.secret}\n`).join(''));
    const matched = new Set(g.stdout.toString('utf8').split('\n'));
    for (const f of rest) if (matched.has(f.secret)) found.add(f.fingerprint);
  }
  return found;
}

/** Splits `git cat-file --batch` output (one answer per requested name, in order). */
function parseBatch(out: Buffer, names: string[]): Map<string, Buffer> {
  const result = new Map<string, Buffer>();
  let pos = 0;
  for (const name of names) {
    const nl = out.indexOf(10, pos);
    if (nl < 0) break;
    const header = out.toString('utf8', pos, nl).split(' ');
    pos = nl + 1;
    if (header[1] === 'missing' || header.length < 3) continue;
    const size = Number(header[2]);
    if (header[1] === 'blob') result.set(name, out.subarray(pos, pos + size));
    pos += size + 1;
  }
  return result;
}
