/**
 * A pure, incremental parser for the output of
 * `git diff --cached --raw -p -z -U0 --src-prefix=a/ --dst-prefix=b/` and of
 * `git log --raw -p -z -U0 --format=<HEADER_FORMAT>`. No I/O: bytes in (`push`, any chunking),
 * events out. Only the lines a change ADDS are kept, with their line numbers in the new file.
 *
 * Shape of the input: per commit (history only) a header `\x01sha\0name\0email\0date\0parents\0`,
 * then `\n`, then the `--raw -z` records (`:modes shas status\0path\0[path2\0]`), an empty record
 * (`\0`), then the patch, which is line-based. Paths in `--raw -z` are exact; paths in the patch
 * are C-quoted when unusual, so sections are matched to raw records by their unquoted new path.
 */

/** `--format` for `git log` that this parser understands. */
export const HEADER_FORMAT = '%x01%H%x00%an%x00%ae%x00%aI%x00%P';

/** One `--raw` record. */
export interface RawEntry {
  /** Octal modes, e.g. `100644`; `000000` when absent. */
  srcMode: string;
  dstMode: string;
  /** Blob ids (may be abbreviated); all zeros when absent. */
  srcSha: string;
  dstSha: string;
  /** Status letter: A, C, D, M, R, T, U, X. */
  status: string;
  /** Path after the change (the new path of a rename or copy). */
  path: string;
  /** Path before a rename or copy. */
  oldPath?: string;
}

/** A run of consecutive added lines. */
export interface AddedRun {
  /** 1-based line number, in the new file, of the run's first line. */
  startLine: number;
  /** The added lines, each ending in `\n`. */
  content: Buffer;
}

export interface CommitEvent {
  type: 'commit';
  sha: string;
  author: string;
  email: string;
  date: string;
  parents: string[];
}

export interface FileEvent {
  type: 'file';
  entry: RawEntry;
  /** git called it binary (by content or by attributes); `runs` is then empty. */
  binary: boolean;
  runs: AddedRun[];
  /** Bytes the file adds, when over the parser's `maxAddedBytes`: `runs` is then empty (not kept). */
  tooLarge?: number;
}

export type DiffEvent = CommitEvent | FileEvent;

const NUL = 0;
const LF = 10;
const COLON = 0x3a;
const SOH = 0x01;
const PLUS = 0x2b;

interface Section {
  header: string;
  newPath: string | undefined;
  deleted: boolean;
  binary: boolean;
  runs: AddedRun[];
  /** New-file lines (added or context) still expected in the current hunk. */
  pendingNew: number;
  /** Line number, in the new file, of the next added or context line. */
  newLine: number;
  /** New-file line number of the open run's first line. */
  runStart: number;
  runLines: Buffer[];
  /** Bytes of added lines so far (kept until they pass maxAddedBytes). */
  added: number;
}

/**
 * Incremental parser. Call `push` with each chunk and `end` once; each returns the events that
 * became complete. Throws Error on output it does not understand.
 */
export class DiffParser {
  private buf: Buffer = Buffer.alloc(0);
  /** Chunks after `buf` that hold neither LF nor NUL, so cannot complete what `buf` started (joined lazily: a long line costs linear, not quadratic, copying). */
  private waiting: Buffer[] = [];
  private waitingBytes = 0;
  /** Bytes so far of an added line being passed over (over maxAddedBytes on its own), up to its LF. */
  private skipping: number | undefined;
  private mode: 'raw' | 'patch' = 'raw';
  private entries: RawEntry[] = [];
  private section: Section | undefined;
  private out: DiffEvent[] = [];

  /**
   * @param maxAddedBytes a file adding more than this many bytes keeps no content: its event says
   *   `tooLarge` (memory stays bounded by the longest line, not the largest blob).
   */
  constructor(private readonly maxAddedBytes = Infinity) {}

  push(chunk: Buffer): DiffEvent[] {
    if (this.skipping !== undefined) {
      const nl = chunk.indexOf(LF);
      if (nl < 0) {
        this.skipping += chunk.length;
        return [];
      }
      this.skippedLine(this.skipping + nl);
      chunk = chunk.subarray(nl + 1);
      if (chunk.length === 0) return this.take();
    }
    if (this.buf.length > 0 && chunk.indexOf(LF) < 0 && chunk.indexOf(NUL) < 0) {
      this.waiting.push(chunk);
      this.waitingBytes += chunk.length;
      // An added line longer than the cap: its file keeps no content, so neither need this line.
      const s = this.section;
      if (this.mode === 'patch' && this.buf[0] === PLUS && s && s.pendingNew > 0 && this.buf.length + this.waitingBytes > this.maxAddedBytes) {
        this.skipping = this.buf.length + this.waitingBytes;
        this.buf = Buffer.alloc(0);
        this.waiting = [];
        this.waitingBytes = 0;
      }
      return [];
    }
    this.buf = this.buf.length === 0 ? chunk : Buffer.concat([this.buf, ...this.waiting.splice(0), chunk]);
    this.waitingBytes = 0;
    this.drain(false);
    return this.take();
  }

  end(): DiffEvent[] {
    if (this.skipping !== undefined) this.skippedLine(this.skipping);
    if (this.waiting.length > 0) this.buf = Buffer.concat([this.buf, ...this.waiting.splice(0)]);
    this.waitingBytes = 0;
    this.drain(true);
    this.closeSection();
    this.flushEntries();
    return this.take();
  }

  private take(): DiffEvent[] {
    const out = this.out;
    this.out = [];
    return out;
  }

  private drain(final: boolean): void {
    let pos = 0;
    const buf = this.buf;
    while (pos < buf.length) {
      if (this.mode === 'raw') {
        const c = buf[pos]!;
        if (c === COLON) {
          const used = this.parseRaw(buf, pos);
          if (used === 0) break;
          pos += used;
        } else if (c === NUL) {
          pos++;
          this.mode = 'patch';
        } else if (c === LF) {
          pos++;
        } else {
          this.mode = 'patch';
        }
        continue;
      }
      if (buf[pos] === SOH) {
        const used = this.parseHeader(buf, pos);
        if (used === 0) break;
        pos += used;
        continue;
      }
      let nl = buf.indexOf(LF, pos);
      if (nl < 0) {
        if (!final) break;
        nl = buf.length;
      }
      this.patchLine(buf.subarray(pos, nl), nl < buf.length ? buf.subarray(pos + 1, nl + 1) : undefined);
      pos = nl + 1;
    }
    this.buf = pos >= buf.length ? Buffer.alloc(0) : Buffer.from(buf.subarray(pos));
    if (final && this.buf.length > 0) throw new Error(`diff parse: truncated output (${this.buf.length} bytes left)`);
  }

  /** Parses one raw record at `pos`; returns bytes used, 0 when incomplete. */
  private parseRaw(buf: Buffer, pos: number): number {
    const metaEnd = buf.indexOf(NUL, pos);
    if (metaEnd < 0) return 0;
    const pathEnd = buf.indexOf(NUL, metaEnd + 1);
    if (pathEnd < 0) return 0;
    const meta = buf.toString('latin1', pos + 1, metaEnd).split(' ');
    if (meta.length < 5) throw new Error(`diff parse: bad raw record "${meta.join(' ')}"`);
    const status = meta[4]!.charAt(0);
    const first = buf.toString('utf8', metaEnd + 1, pathEnd);
    let end = pathEnd + 1;
    let entry: RawEntry;
    if (status === 'R' || status === 'C') {
      const secondEnd = buf.indexOf(NUL, end);
      if (secondEnd < 0) return 0;
      entry = { srcMode: meta[0]!, dstMode: meta[1]!, srcSha: meta[2]!, dstSha: meta[3]!, status, path: buf.toString('utf8', end, secondEnd), oldPath: first };
      end = secondEnd + 1;
    } else {
      entry = { srcMode: meta[0]!, dstMode: meta[1]!, srcSha: meta[2]!, dstSha: meta[3]!, status, path: first };
    }
    this.entries.push(entry);
    return end - pos;
  }

  /** Parses a commit header at `pos`; returns bytes used, 0 when incomplete. */
  private parseHeader(buf: Buffer, pos: number): number {
    const fields: string[] = [];
    let at = pos + 1;
    for (let i = 0; i < 5; i++) {
      const e = buf.indexOf(NUL, at);
      if (e < 0) return 0;
      fields.push(buf.toString('utf8', at, e));
      at = e + 1;
    }
    this.closeSection();
    this.flushEntries();
    const [sha, author, email, date, parents] = fields as [string, string, string, string, string];
    this.out.push({ type: 'commit', sha, author, email, date, parents: parents === '' ? [] : parents.split(' ') });
    this.mode = 'raw';
    return at - pos;
  }

  /** `added`: the line after its first byte with its LF, when it has one (a view, not a copy). */
  private patchLine(line: Buffer, added: Buffer | undefined): void {
    const s = this.section;
    const first = line[0];
    if (s && s.pendingNew > 0) {
      if (first === PLUS) {
        if (s.runLines.length === 0) s.runStart = s.newLine;
        s.added += line.length;
        if (s.added > this.maxAddedBytes) {
          s.runs = [];
          s.runLines = [];
          s.newLine++;
          if (--s.pendingNew === 0) this.endRun(s);
          return;
        }
        if (added) s.runLines.push(added);
        else s.runLines.push(line.subarray(1), LF_BUF);
        s.newLine++;
        if (--s.pendingNew === 0) this.endRun(s);
        return;
      }
      if (first === 0x20 || first === undefined) {
        // A context line (only with context or diff.interHunkContext): it ends a run of added lines.
        this.endRun(s);
        s.newLine++;
        s.pendingNew--;
        return;
      }
      if (first === 0x2d || first === 0x5c) return;
    }
    // Removed lines, context lines and "\ No newline at end of file" carry nothing we keep.
    if (first === 0x2d || first === 0x20 || first === 0x5c) return;
    if (s && s.pendingNew > 0) this.closeHunk(s);
    const text = line.toString('utf8');
    if (text.startsWith('diff --git ')) {
      this.closeSection();
      this.section = { header: text.slice(11), newPath: undefined, deleted: false, binary: false, runs: [], pendingNew: 0, newLine: 0, runStart: 0, runLines: [], added: 0 };
      return;
    }
    if (!s) return; // e.g. "* Unmerged path x"
    if (text.startsWith('@@ ')) {
      const h = parseHunkHeader(text);
      if (!h) throw new Error(`diff parse: bad hunk header "${text}"`);
      this.closeHunk(s);
      s.pendingNew = h.newCount;
      s.newLine = h.newStart;
    } else if (text.startsWith('+++ ')) {
      if (text !== '+++ /dev/null') s.newPath = stripPrefix(unquotePatchPath(text.slice(4)), 'b/');
    } else if (text.startsWith('rename to ') || text.startsWith('copy to ')) {
      s.newPath = unquoteCPath(text.slice(text.indexOf(' to ') + 4));
    } else if (text.startsWith('deleted file mode ')) {
      s.deleted = true;
    } else if (text.startsWith('Binary files ') && text.endsWith(' differ')) {
      s.binary = true;
    }
  }

  /** Books an added line of `length` bytes (with its "+") whose content was not kept. */
  private skippedLine(length: number): void {
    this.skipping = undefined;
    const s = this.section;
    if (!s) return;
    s.added += Math.max(length, this.maxAddedBytes + 1);
    s.runs = [];
    s.runLines = [];
    s.newLine++;
    if (--s.pendingNew === 0) this.endRun(s);
  }

  private endRun(s: Section): void {
    // One line: its view is the content (a huge line is not copied again).
    if (s.runLines.length > 0) s.runs.push({ startLine: s.runStart, content: s.runLines.length === 1 ? s.runLines[0]! : Buffer.concat(s.runLines) });
    s.runLines = [];
  }

  private closeHunk(s: Section): void {
    this.endRun(s);
    s.pendingNew = 0;
  }

  private closeSection(): void {
    const s = this.section;
    if (!s) return;
    this.section = undefined;
    this.closeHunk(s);
    if (s.deleted) return;
    const path = s.newPath ?? pathFromGitHeader(s.header);
    const i = this.entries.findIndex((e) => e.path === path && e.status !== 'U' && e.status !== 'D');
    if (i < 0) throw new Error(`diff parse: patch for "${path}" has no raw record`);
    const [entry] = this.entries.splice(i, 1) as [RawEntry];
    if (s.added > this.maxAddedBytes) this.out.push({ type: 'file', entry, binary: s.binary, runs: [], tooLarge: s.added });
    else this.out.push({ type: 'file', entry, binary: s.binary, runs: s.runs });
  }

  /** Raw records left without a patch section: unmerged paths become events (no runs); others (deletions) are dropped. */
  private flushEntries(): void {
    for (const entry of this.entries) if (entry.status === 'U') this.out.push({ type: 'file', entry, binary: false, runs: [] });
    this.entries = [];
  }
}

const LF_BUF = Buffer.from('\n');

/** Parses `@@ -a[,b] +c[,d] @@…`. Counts default to 1. */
export function parseHunkHeader(line: string): { oldStart: number; oldCount: number; newStart: number; newCount: number } | undefined {
  const m = /^@@@* -(\d+)(?:,(\d+))? \+(\d+)(?:,(\d+))? @@/.exec(line);
  if (!m) return undefined;
  return { oldStart: Number(m[1]), oldCount: m[2] === undefined ? 1 : Number(m[2]), newStart: Number(m[3]), newCount: m[4] === undefined ? 1 : Number(m[4]) };
}

function stripPrefix(path: string, prefix: string): string {
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

/** A path on a `---`/`+++` line: C-quoted, or plain with a trailing tab when it has a space. */
function unquotePatchPath(text: string): string {
  const name = text.endsWith('\t') ? text.slice(0, -1) : text;
  return name.startsWith('"') ? unquoteCPath(name) : name;
}

/** The new path from `a/X b/Y` (the part after `diff --git `), quoted or not. */
export function pathFromGitHeader(header: string): string {
  if (header.endsWith('"')) {
    const start = findQuotedStart(header);
    return stripPrefix(unquoteCPath(header.slice(start)), 'b/');
  }
  // Unquoted: only a rename/copy can have different names, and those have "rename to" lines,
  // so here both names are the same: "a/" + X + " b/" + X.
  const len = (header.length - 5) / 2;
  return header.slice(header.length - len);
}

/** Index of the opening quote of the last C-quoted string in `text`. */
function findQuotedStart(text: string): number {
  for (let i = text.length - 2; i >= 0; i--) {
    if (text[i] !== '"') continue;
    let backslashes = 0;
    for (let j = i - 1; j >= 0 && text[j] === '\\'; j--) backslashes++;
    if (backslashes % 2 === 0 && (i === 0 || text[i - 1] === ' ')) return i;
  }
  return 0;
}

const ESCAPES: Record<string, number> = { a: 7, b: 8, t: 9, n: 10, v: 11, f: 12, r: 13, '"': 34, '\\': 92 };

/** Undoes git's C-style path quoting (`"a\tb\303\274"`); returns plain text unchanged. */
export function unquoteCPath(text: string): string {
  if (!text.startsWith('"') || !text.endsWith('"') || text.length < 2) return text;
  const bytes: number[] = [];
  const body = Buffer.from(text.slice(1, -1), 'utf8');
  for (let i = 0; i < body.length; i++) {
    const c = body[i]!;
    if (c !== 0x5c) {
      bytes.push(c);
      continue;
    }
    const n = String.fromCharCode(body[i + 1] ?? 0);
    if (n >= '0' && n <= '7') {
      bytes.push(parseInt(body.toString('latin1', i + 1, i + 4), 8));
      i += 3;
    } else {
      bytes.push(ESCAPES[n] ?? body[i + 1]!);
      i += 1;
    }
  }
  return Buffer.from(bytes).toString('utf8');
}
