#!/usr/bin/env node
// Build step: parses the built-in rule files (rules/*.yml) into dist/rules-bundle.json, with each
// file's sha256, so that scans skip the YAML parser while the files are unchanged.
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { validateRuleFile } from '../dist/rules/validate.js';

const dir = fileURLToPath(new URL('../rules/', import.meta.url));
const files = readdirSync(dir)
  .filter((n) => /\.ya?ml$/.test(n))
  .sort()
  .map((name) => {
    const bytes = readFileSync(join(dir, name));
    let data;
    try {
      data = parse(bytes.toString('utf8'));
      // Only valid files are bundled: the loader trusts bundled data, and an invalid file makes the
      // bundle stale (a file missing from it), so the loader parses the YAML and reports every problem.
      if (validateRuleFile(data, name).problems.length > 0) data = null;
    } catch {
      data = null; // invalid YAML: left to the loader, which reports it
    }
    return { name, sha256: createHash('sha256').update(bytes).digest('hex'), data };
  })
  .filter((f) => f.data !== null);
writeFileSync(fileURLToPath(new URL('../dist/rules-bundle.json', import.meta.url)), JSON.stringify({ version: 2, files }));
