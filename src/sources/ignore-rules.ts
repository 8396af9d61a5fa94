import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import ignore, { type Ignore } from 'ignore';

/** gitignore rules of one directory level. `base` is relative to the scan root ('' for the root). */
interface Level {
  base: string;
  rules: Ignore;
}

/**
 * gitignore semantics across levels, as git applies them: `.git/info/exclude`, then each
 * `.gitignore` from the repository top down to the file's directory; a deeper level's match (or
 * negation) overrides a shallower one. `.leakhoundignore` at the scan root only ever excludes.
 */
export class IgnoreStack {
  private readonly levels = new Map<string, Level>();
  private readonly extra: Ignore | undefined;

  constructor(private readonly root: string) {
    const base = ignore();
    let any = false;
    const top = findGitTop(root);
    if (top) {
      any = addFile(base, join(top, '.git', 'info', 'exclude')) || any;
      // .gitignore files above the scan root, down from the repository top.
      const rel = relative(top, root);
      const parts = rel === '' ? [] : rel.split(sep);
      for (let i = 0; i < parts.length; i++) {
        const dir = join(top, ...parts.slice(0, i));
        const text = readIfExists(join(dir, '.gitignore'));
        if (text !== undefined) {
          // Re-anchor patterns of an ancestor level: test paths relative to that ancestor.
          this.ancestors.push({ prefix: parts.slice(i).join('/'), rules: ignore().add(text) });
        }
      }
    }
    if (any) this.levels.set('', { base: '', rules: base });
    const extra = readIfExists(join(root, '.leakhoundignore'));
    this.extra = extra === undefined ? undefined : ignore().add(extra);
  }

  /** Levels above the scan root: paths are tested as `<prefix>/<path>`. */
  private readonly ancestors: { prefix: string; rules: Ignore }[] = [];

  /**
   * Registers the `.gitignore` of directory `dirRel` (relative to root, '' for root). Call it only
   * for directories whose listing holds a `.gitignore` (a failed read per directory is costly).
   */
  enterDirectory(dirRel: string): void {
    const text = readIfExists(join(this.root, dirRel, '.gitignore'));
    if (text === undefined) return;
    const existing = this.levels.get(dirRel);
    if (existing) existing.rules.add(text);
    else this.levels.set(dirRel, { base: dirRel, rules: ignore().add(text) });
  }

  /** Whether `rel` (relative to root, `/`-separated) is ignored. `isDir` adds the trailing slash gitignore needs. */
  ignores(rel: string, isDir: boolean): boolean {
    const path = isDir ? `${rel}/` : rel;
    if (this.extra?.ignores(path)) return true;
    let ignored = false;
    for (const a of this.ancestors) {
      const r = a.rules.test(`${a.prefix}/${path}`);
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    // Levels from the root down to the file's own directory: the root, then the directory ending
    // at each '/' of `rel` (most trees have few .gitignore files, and often none).
    if (this.levels.size === 0) return ignored;
    for (let end = 0; end !== -1; end = rel.indexOf('/', end + 1)) {
      const base = rel.slice(0, end);
      const level = this.levels.get(base);
      if (!level) continue;
      const r = level.rules.test(end === 0 ? path : path.slice(end + 1));
      if (r.ignored) ignored = true;
      else if (r.unignored) ignored = false;
    }
    return ignored;
  }
}

/**
 * `.leakhoundignore` at the scan root as a predicate on paths relative to it (a path is excluded
 * when it or a parent directory matches); never excludes when there is no such file.
 */
export function leakhoundIgnoreOf(root: string): (rel: string) => boolean {
  const text = readIfExists(join(root, '.leakhoundignore'));
  if (text === undefined) return () => false;
  const rules = ignore().add(text);
  return (rel) => rules.ignores(rel);
}

/** The nearest directory at or above `dir` that holds `.git`, or undefined. */
export function findGitTop(dir: string): string | undefined {
  let cur = dir;
  for (;;) {
    if (existsSync(join(cur, '.git'))) return cur;
    const up = dirname(cur);
    if (up === cur) return undefined;
    cur = up;
  }
}

function readIfExists(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

function addFile(rules: Ignore, path: string): boolean {
  const text = readIfExists(path);
  if (text === undefined) return false;
  rules.add(text);
  return true;
}
