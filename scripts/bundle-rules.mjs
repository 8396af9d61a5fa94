#!/usr/bin/env node
// Build step: parses the built-in rule files (rules/*.yml) into dist/rules-bundle.json, with each
// file's sha256, so that scans skip the YAML parser while the files are unchanged. Each rule's
// default `scope` and its secret's capture group are worked out here (src/rules/compile.ts does the
// same for rules read from YAML).
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';
import { secretGroupOf } from '../dist/rules/compile.js';
import { isLineLocal } from '../dist/rules/line-local.js';
import { validateRuleFile } from '../dist/rules/validate.js';
import { loadRules } from '../dist/rules/load.js';
import { Detector } from '../dist/detect/detector.js';

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
      // Each rule's default scope is judged from its pattern here, once, not at every start-up.
      else {
        for (const rule of data.rules) {
          rule.scope ??= isLineLocal(rule.pattern) ? 'line' : 'window';
          rule.bundledSecretGroup = secretGroupOf(rule.pattern);
        }
      }
    } catch {
      data = null; // invalid YAML: left to the loader, which reports it
    }
    const { size, mtimeMs } = statSync(join(dir, name));
    return { name, sha256: createHash('sha256').update(bytes).digest('hex'), size, mtimeMs, data };
  })
  .filter((f) => f.data !== null);
// The documentation fields (playbooks, examples, references, descriptions: 44% of the data) go to a
// second file that src/rules/bundle.ts reads only when one of them is first used: a clean scan,
// such as the pre-commit hook's, never reads them.
const docs = { providers: {}, rules: {} };
for (const { data } of files) {
  docs.providers[data.provider.id] = data.provider.remediation;
  delete data.provider.remediation;
  for (const rule of data.rules) {
    docs.rules[rule.id] = { examples: rule.examples, negativeExamples: rule.negativeExamples, references: rule.references, description: rule.description };
    for (const field of ['examples', 'negativeExamples', 'references', 'description']) delete rule[field];
  }
}
writeFileSync(fileURLToPath(new URL('../dist/rules-docs.json', import.meta.url)), JSON.stringify(docs));
// allowSecrets lists are shared by many rules (the generic families repeat theirs, 96% of their
// bytes): each distinct pattern is stored once, in `shared`, and rules hold its index.
const shared = [];
const sharedIndex = new Map();
for (const { data } of files) {
  for (const rule of data.rules) {
    if (!rule.allowSecrets) continue;
    rule.allowSecrets = rule.allowSecrets.map((pattern) => {
      if (!sharedIndex.has(pattern)) sharedIndex.set(pattern, shared.push(pattern) - 1);
      return sharedIndex.get(pattern);
    });
  }
}
// The keyword trie a detector over exactly these rules builds at start-up, stored so that it need
// not be built (a detector checks the keyword list is the same before taking it).
const { rules } = loadRules([dir]);
const trie = new Detector(rules, { today: '2000-01-01' }).trieSnapshot();
// ASCII JSON (other characters as \u escapes): read and parsed as a one-byte string at every start-up,
// a fifth to a third faster than with the two non-ASCII characters the rules hold.
const asciiJson = (value) => JSON.stringify(value).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`);
writeFileSync(fileURLToPath(new URL('../dist/rules-bundle.json', import.meta.url)), asciiJson({ version: 5, docs: 'rules-docs.json', shared, trie, files }));
