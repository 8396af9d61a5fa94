#!/usr/bin/env node
// Build step: parses rules/hygiene/config-files.yml into dist/hygiene-bundle.json with the sha256
// of the file's text, so that scans (and the pre-commit hook) skip the YAML parser while the file is
// unchanged: same size and mtime, or else same sha256 (`npm pack` resets mtimes). Only valid data is bundled;
// src/checks/spec.ts falls back to the YAML when the bundle is missing or stale, and validates the
// data either way (for bundled data, all but compiling its patterns, which this step did).
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
// Only valid data is bundled: the loader then skips compiling its patterns again.
if (validateHygieneSpec(data, source).problems.length > 0) process.exit(0);
writeFileSync(fileURLToPath(new URL('../dist/hygiene-bundle.json', import.meta.url)), JSON.stringify({ version: 3, sha256: createHash('sha256').update(text).digest('hex'), size: statSync(source).size, mtimeMs: statSync(source).mtimeMs, data }));
