#!/usr/bin/env node
// Build step: parses rules/hygiene/config-files.yml into dist/hygiene-bundle.json with the sha256
// of the file's text, so that scans (and the pre-commit hook) skip the YAML parser while the file is
// unchanged: same size and mtime, or else same sha256 (`npm pack` resets mtimes). Only valid data is bundled;
// src/checks/spec.ts falls back to the YAML (and validates it) when the bundle is missing or stale.
import assert from 'node:assert';
import { createHash } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateHygieneSpec } from '../dist/checks/spec.js';

const source = fileURLToPath(new URL('../rules/hygiene/config-files.yml', import.meta.url));
const text = readFileSync(source, 'utf8');
let data;
try {
  data = parse(text);
} catch {
  process.exit(0); // invalid YAML: left to the loader, which reports it
}
// Only valid data is bundled, as the validated spec: the loader takes it as it is (no validation, no
// pattern compiling at start-up).
const { spec, problems } = validateHygieneSpec(data, source);
if (!spec || problems.length > 0) process.exit(0);
// The spec must survive JSON unchanged (plain data only), or the loader would get something else.
assert.deepStrictEqual(JSON.parse(JSON.stringify(spec)), spec);
writeFileSync(fileURLToPath(new URL('../dist/hygiene-bundle.json', import.meta.url)), JSON.stringify({ version: 4, sha256: createHash('sha256').update(text).digest('hex'), size: statSync(source).size, mtimeMs: statSync(source).mtimeMs, spec }));
