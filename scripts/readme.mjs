#!/usr/bin/env node
// Regenerates the README's generated sections (flag table, provider table) from the data.
//   node scripts/readme.mjs          rewrite README.md
//   node scripts/readme.mjs --check  exit 1 if README.md is stale
// Needs a build (npm run build).
import { readFileSync, writeFileSync } from 'node:fs';
import { applySections, readmeSections } from '../dist/docs/readme-tables.js';
import { loadRules } from '../dist/rules/load.js';

const path = new URL('../README.md', import.meta.url);
const before = readFileSync(path, 'utf8');
const after = applySections(before, readmeSections(loadRules()));
if (process.argv.includes('--check')) {
  if (after !== before) {
    console.error('README.md is stale: run `npm run build && node scripts/readme.mjs`');
    process.exit(1);
  }
} else if (after !== before) {
  writeFileSync(path, after);
  console.log('README.md updated');
}
