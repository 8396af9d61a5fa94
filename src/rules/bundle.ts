import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { sha256 } from '../sha256.js';

/**
 * A build-time snapshot of the built-in rule files as parsed data, so that a scan need not load a
 * YAML parser (the pre-commit hook must start fast). `scripts/bundle-rules.mjs` writes it at build
 * time; it is used only while every rule file still has the content recorded here: a file whose
 * size and mtime are those recorded is taken as unchanged (one stat, the usual case after a build);
 * otherwise its sha256 decides (`npm pack` and git checkouts reset mtimes without changing content).
 */
export interface RuleBundle {
  version: 3;
  files: { name: string; sha256: string; size: number; mtimeMs: number; data: unknown }[];
}

export const BUNDLE_FILE = 'rules-bundle.json';

/** The parsed data of each rule file in `dir` (by file name), or undefined when the bundle is missing or stale. */
export function readBundle(bundlePath: string, dir: string, names: string[]): Map<string, unknown> | undefined {
  let bundle: RuleBundle;
  try {
    bundle = JSON.parse(readFileSync(bundlePath, 'utf8')) as RuleBundle;
  } catch {
    return undefined;
  }
  if (bundle.version !== 3 || bundle.files.length !== names.length) return undefined;
  const out = new Map<string, unknown>();
  for (const entry of bundle.files) {
    if (!names.includes(entry.name)) return undefined;
    try {
      const path = join(dir, entry.name);
      const st = statSync(path);
      const unchanged = st.size === entry.size && st.mtimeMs === entry.mtimeMs;
      if (!unchanged && sha256(readFileSync(path)) !== entry.sha256) return undefined;
    } catch {
      return undefined;
    }
    out.set(entry.name, entry.data);
  }
  return out;
}
