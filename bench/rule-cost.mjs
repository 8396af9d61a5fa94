#!/usr/bin/env node
// Where scan time goes, per rule: for each rule, the time to place its windows or gather its lines
// and to run its pattern, over a directory's files, the way the detector does it.
//   node bench/rule-cost.mjs DIR [--top 25] [--rules EXTRA_DIR]
// Needs a build. Use it to find rules whose keywords are too common or whose patterns are slow.
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Detector, HitsByKeyword } from '../dist/detect/detector.js';
import { BUILTIN_RULES_DIR, loadRules } from '../dist/rules/load.js';

const args = process.argv.slice(2);
const dir = args[0];
const top = Number(args[args.indexOf('--top') + 1] || 25);
const extra = args.includes('--rules') ? [args[args.indexOf('--rules') + 1]] : [];
const files = [];
const walk = (d) => {
  for (const e of readdirSync(d, { withFileTypes: true })) {
    const p = join(d, e.name);
    if (e.isDirectory()) {
      if (e.name !== '.git' && e.name !== 'node_modules') walk(p);
    } else if (e.isFile()) files.push(readFileSync(p));
  }
};
walk(dir);
const { rules } = loadRules([BUILTIN_RULES_DIR, ...extra]);
const detector = new Detector(rules, { today: '2026-01-01' });
const stats = new Map();
let prefilterMs = 0;
for (const b of files) {
  let t = performance.now();
  const { hits, counts } = detector['keywordHits'](b);
  const candidates = detector['candidates'](counts);
  const byKeyword = new HitsByKeyword(hits, counts, detector['newlineId']);
  prefilterMs += performance.now() - t;
  const ran = new Set();
  for (const r of candidates) {
    // A line group (rules sharing keywords) runs as one: its row is `group:` and its first rule,
    // the time its joint filter and its members on the filter's lines take.
    const group = detector['groupOf'].get(r);
    if (group && ran.has(group)) continue;
    if (group) ran.add(group);
    const id = group ? `group:${r.id}+${group.members.length - 1}` : r.id;
    const s = stats.get(id) ?? { find: 0, exec: 0, files: 0, bytes: 0 };
    t = performance.now();
    const views = detector['viewsFor'](r, b, byKeyword);
    s.find += performance.now() - t;
    t = performance.now();
    const sink = { fragment: { origin: { kind: 'file', path: 'x' }, content: b, startLine: 1 }, raw: [], lines: undefined };
    for (const view of views) {
      if (group) detector['matchGroup'](group, view, sink);
      else {
        r.regex.lastIndex = 0;
        while (r.regex.exec(view.text)) {}
      }
    }
    s.exec += performance.now() - t;
    s.files++;
    s.bytes += views.reduce((n, v) => n + v.text.length, 0);
    stats.set(id, s);
  }
}
const rows = [...stats.entries()].sort((a, b) => b[1].find + b[1].exec - (a[1].find + a[1].exec));
const sum = (k) => rows.reduce((n, [, s]) => n + s[k], 0);
const mb = files.reduce((n, b) => n + b.length, 0) / 1048576;
console.log(`${files.length} files, ${mb.toFixed(1)} MB, ${rules.length} rules; keyword scan ${prefilterMs.toFixed(0)} ms, windows ${sum('find').toFixed(0)} ms, patterns ${sum('exec').toFixed(0)} ms`);
console.log(`${'rule'.padEnd(40)} ${'windows'.padStart(8)} ${'pattern'.padStart(8)} ${'files'.padStart(6)} ${'MB run'.padStart(7)}`);
for (const [id, s] of rows.slice(0, top)) console.log(`${id.padEnd(40)} ${s.find.toFixed(0).padStart(6)}ms ${s.exec.toFixed(0).padStart(6)}ms ${String(s.files).padStart(6)} ${(s.bytes / 1048576).toFixed(1).padStart(7)}`);
