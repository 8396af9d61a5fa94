import { nowMs } from '../clock.js';
import type { CompiledRule, Finding, Fragment, RegexMatcher } from '../types.js';
import { base64Runs, couldBeBase64OfText, decodeBase64Run, decodePercentRun, isHexRun, isMostlyText } from './decode.js';
import { markerInForce, parseAllowMarker } from './allow.js';
import { shannonEntropy } from './entropy.js';
import { fingerprint } from './fingerprint.js';
import { LineIndex } from './lines.js';
import { isPlaceholder } from './placeholder.js';
import { type KeywordHits, KeywordScanner, type TrieSnapshot } from './keyword-scanner.js';
import { compileJointFilter } from '../rules/regex.js';
import { maxNewlines } from '../rules/newline-span.js';

/**
 * What inline allow markers may do: `honour` (default) any marker in force; `require-reason`
 * only markers with a non-empty `reason="…"`; `ignore` none (for CI audits).
 */
export type AllowPolicy = 'honour' | 'require-reason' | 'ignore';

export interface DetectorOptions {
  /** Today's date as YYYY-MM-DD, for `until=` on allow markers. */
  today: string;
  /** Honour inline allow markers (default true). False is the same as `allowPolicy: 'ignore'`. */
  allowMarkers?: boolean;
  allowPolicy?: AllowPolicy;
  /**
   * Finders of encoded runs (base64, %-encoding) whose decoded text is scanned too; findings in
   * it are reported at the encoded text's location. Omit to scan only the text as it is.
   */
  decoders?: { percent: RegexMatcher };
  /** Run rules only in windows around their keywords on large inputs (default true). */
  windows?: boolean;
  /** Run `scope: line` rules that share their keywords as one group behind a joint filter (default true; see LineGroup). */
  lineGroups?: boolean;
  /**
   * Most milliseconds to spend on one fragment; past it the detector stops, keeps what it found,
   * and lists the fragment's path in `gaveUp`. RE2 is linear, so this bounds only huge inputs
   * (fragments up to 64 KiB are not timed).
   */
  timeBudgetMs?: number;
}

/** Inputs up to this many bytes are matched whole: windows would cost more than they save. */
export const WINDOW_MIN_INPUT = 32 * 1024;
/** How far a window reaches either side of a keyword hit, at most. */
export const WINDOW_REACH = 2048;
const LINES_OF_CONTEXT = 2;

/** Fragments up to this many bytes are not held to the time budget (see DetectorOptions.timeBudgetMs). */
const UNTIMED_INPUT = 64 * 1024;

/** Hits denser than one per this many bytes mean the whole input is matched instead. */
const DENSE_HITS_EVERY = 512;

/** A text a rule runs over, and where its byte offsets lie in the fragment's content. */
interface TextView {
  text: Buffer;
  /** The content offset of byte `offset` of `text` (offsets count from 0). */
  toContent(offset: number): number;
}

/** Inputs up to this many bytes are matched whole by `scope: line` rules: gathering would cost more. */
export const GATHER_MIN_INPUT = 4096;
/** Gathered lines making up more than this share of the input: match the whole input instead. */
const GATHER_MAX_SHARE = 0.5;

/**
 * Gathered lines (see HitsByKeyword.gatheredLines) are matched in place of others' when they
 * hold all of those and at most this many times their bytes: RE2 reads the extra bytes faster
 * than they would be copied again.
 */
const REUSE_MAX_GROWTH = 1.5;

/** Lines gathered into one buffer: the view, its [start, end) content ranges (flat pairs, ascending), and their total bytes. */
interface GatheredLines {
  view: TextView;
  segments: readonly number[];
  bytes: number;
}

/** Whether every [start, end) range of `inner` lies within one range of `outer` (both flat pairs, ascending and disjoint). */
function covers(outer: readonly number[], inner: readonly number[]): boolean {
  let o = 0;
  for (let i = 0; i < inner.length; i += 2) {
    const from = inner[i]!;
    const to = inner[i + 1]!;
    while (o < outer.length && outer[o + 1]! < to) o += 2;
    if (o >= outer.length || outer[o]! > from) return false;
  }
  return true;
}

/** What gathered lines are cached under: the keyword ids and the lines of context. */
function gatherKey(ids: readonly number[], context: number): string {
  return `${ids.join(',')}+${context}`;
}

/** Two buffers the merges of line lists alternate between (kept between calls, grown as needed). */
const mergeBuffers = [new Int32Array(4096), new Int32Array(4096)];

/**
 * The lines of `a` and `b` (each ascending) in one ascending list, each line once, in merge
 * buffer `which`: valid until that buffer is used again.
 */
function mergeLines(a: Int32Array, b: Int32Array, which: number): Int32Array {
  let out = mergeBuffers[which]!;
  if (out.length < a.length + b.length) {
    out = new Int32Array(2 * (a.length + b.length));
    mergeBuffers[which] = out;
  }
  let i = 0;
  let j = 0;
  let n = 0;
  let last = -1;
  while (i < a.length && j < b.length) {
    const x = a[i]!;
    const y = b[j]!;
    const line = x <= y ? x : y;
    if (x <= y) i++;
    if (y <= x) j++;
    if (line !== last) out[n++] = last = line;
  }
  for (; i < a.length; i++) if (a[i] !== last) out[n++] = last = a[i]!;
  for (; j < b.length; j++) if (b[j] !== last) out[n++] = last = b[j]!;
  return out.subarray(0, n);
}

/** One fragment's keyword hits, grouped by keyword on first use. */
export class HitsByKeyword {
  /**
   * Hit starts grouped by keyword id (counting sort): those of id k are starts[offsets[k] ..
   * offsets[k + 1]), ascending; `lines` holds the 0-based line of each (same indexes).
   */
  private grouped: { starts: Int32Array; lines: Int32Array; offsets: Int32Array } | undefined;
  /** Gathered lines by keyword-id list and context (rules that share keywords share them); null: too many to gather. */
  private readonly gathered = new Map<string, GatheredLines | null>();

  constructor(
    /** The scan's hits, with their lines and the newlines (the scanner's keywords include "\n"). */
    private readonly hits: KeywordHits,
    /** How many hits each keyword id has (see countHits). */
    private readonly counts: Int32Array,
  ) {}

  /**
   * Sorted [start, end) byte spans of every occurrence of the given keywords; undefined when
   * there are more than `limit`.
   */
  spans(ids: readonly number[], scanner: KeywordScanner, limit: number): [number, number][] | undefined {
    const { starts, offsets } = (this.grouped ??= this.group());
    let total = 0;
    for (const id of ids) total += offsets[id + 1]! - offsets[id]!;
    if (total > limit) return undefined;
    const out: [number, number][] = [];
    for (const id of ids) {
      const length = scanner.lengths[id]!;
      for (let i = offsets[id]!; i < offsets[id + 1]!; i++) out.push([starts[i]!, starts[i]! + length]);
    }
    if (ids.length > 1) out.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
    return out;
  }

  /**
   * The lines holding any of the given keywords, each with `context` lines before and after it,
   * whole and in order, in one buffer: each gathered run of lines is preceded by a newline (the
   * one ending the line before it, or one added in front), so a pattern that matches within
   * those lines, plus at most the newline before them, matches there exactly as in the content.
   * Undefined when they make up more than GATHER_MAX_SHARE of it.
   */
  gatheredLines(ids: readonly number[], content: Buffer, context = 0, key = gatherKey(ids, context)): TextView | undefined {
    const cached = this.gathered.get(key);
    if (cached !== undefined) return cached?.view;
    const { lines, offsets } = (this.grouped ??= this.group());
    const newlines = this.hits.newlines.subarray(0, this.hits.newlineCount);
    const lastLine = newlines.length; // the line after the last newline (maybe empty)
    // The lines of the keywords' hits, ascending: each keyword's are (see group), and several
    // keywords' are merged two lists at a time, each line once.
    let hitLines = lines.subarray(offsets[ids[0]!]!, offsets[ids[0]! + 1]!);
    let merges = 0;
    for (let k = 1; k < ids.length; k++) {
      const more = lines.subarray(offsets[ids[k]!]!, offsets[ids[k]! + 1]!);
      // Into the buffer that does not hold hitLines.
      if (more.length > 0) hitLines = mergeLines(hitLines, more, merges++ % 2);
    }
    const lineStart = (line: number): number => (line === 0 ? 0 : newlines[line - 1]! + 1);
    const lineEnd = (line: number): number => (line < lastLine ? newlines[line]! + 1 : content.length);
    /** [start, end) byte ranges of runs of whole lines, end after the run's last newline (or at the content's end). */
    const segments: number[] = [];
    let bytes = 0;
    let runFirst = -1;
    let runLast = -2;
    const close = (): void => {
      if (runFirst < 0) return;
      const from = lineStart(runFirst);
      const to = lineEnd(runLast);
      segments.push(from, to);
      bytes += to - from;
    };
    for (const line of hitLines) {
      const first = Math.max(0, line - context);
      const last = Math.min(lastLine, line + context);
      if (first <= runLast + 1) {
        if (last > runLast) runLast = last;
        continue;
      }
      close();
      runFirst = first;
      runLast = last;
    }
    close();
    if (segments.length === 0 || bytes > content.length * GATHER_MAX_SHARE) {
      this.gathered.set(key, null);
      return undefined;
    }
    // Lines already gathered for other keywords that hold all of these, and not many more: matched
    // there instead of copying these again (keyword sets overlap: "pass" lines hold "password" lines).
    for (const other of this.gathered.values()) {
      if (other && other.bytes <= bytes * REUSE_MAX_GROWTH && covers(other.segments, segments)) {
        this.gathered.set(key, other);
        return other.view;
      }
    }
    const lead = segments[0]! > 0 ? 1 : 0;
    const text = Buffer.allocUnsafe(bytes + lead);
    if (lead) text[0] = 0x0a;
    /** Where each segment starts in `text`. */
    const starts = new Int32Array(segments.length / 2);
    let at = lead;
    for (let k = 0; k < segments.length; k += 2) {
      const from = segments[k]!;
      const to = segments[k + 1]!;
      starts[k / 2] = at;
      // A native copy even for short lines: measured faster than a byte loop here (313 against 405 ms
      // of gathering over bench/make-tree.mjs's tree, bench/rule-cost.mjs).
      at += content.copy(text, at, from, to);
    }
    const view: TextView = {
      text,
      toContent: (offset: number) => {
        let lo = 0;
        let hi = starts.length - 1;
        while (lo < hi) {
          const mid = (lo + hi + 1) >> 1;
          if (starts[mid]! <= offset) lo = mid;
          else hi = mid - 1;
        }
        return segments[2 * lo]! + (offset - starts[lo]!);
      },
    };
    this.gathered.set(key, { view, segments, bytes });
    return view;
  }

  private group(): { starts: Int32Array; lines: Int32Array; offsets: Int32Array } {
    const { ids, starts, lines: lineOf, count } = this.hits;
    const keywordCount = this.counts.length;
    const offsets = new Int32Array(keywordCount + 1);
    for (let k = 0; k < keywordCount; k++) offsets[k + 1] = offsets[k]! + this.counts[k]!;
    const next = offsets.slice(0, keywordCount);
    const sorted = new Int32Array(count);
    const lines = new Int32Array(count);
    for (let i = 0; i < count; i++) {
      const at = next[ids[i]!]!++;
      sorted[at] = starts[i]!;
      lines[at] = lineOf[i]!;
    }
    return { starts: sorted, lines, offsets };
  }
}

/**
 * How many hits each keyword id has, in `counts` (one entry per id), in one pass that also drops,
 * in place, the hits of case-sensitive keywords (`exact[id]` set) that differ in case from the keyword.
 */
function countHits(hits: KeywordHits, exact: readonly (Buffer | undefined)[] | undefined, content: Buffer, counts: Int32Array): Int32Array {
  counts.fill(0);
  const { ids, starts } = hits;
  if (!exact) {
    for (let i = 0; i < hits.count; i++) counts[ids[i]!]!++;
    return counts;
  }
  const lines = hits.lines;
  let kept = 0;
  for (let i = 0; i < hits.count; i++) {
    const id = ids[i]!;
    const start = starts[i]!;
    const want = exact[id];
    if (want !== undefined) {
      let k = 0;
      while (k < want.length && content[start + k] === want[k]) k++;
      if (k < want.length) continue;
    }
    counts[id]!++;
    ids[kept] = id;
    lines[kept] = lines[i]!;
    starts[kept++] = start;
  }
  hits.count = kept;
  return counts;
}

/** Start of a window around `hit`: two line starts back, at most WINDOW_REACH bytes, not inside a token. */
function windowStart(content: Buffer, hit: number): number {
  const floor = Math.max(0, hit - WINDOW_REACH);
  let pos = hit;
  for (let i = 0; i <= LINES_OF_CONTEXT && pos > floor; i++) {
    const nl = content.lastIndexOf(0x0a, pos - 1);
    if (nl < floor) {
      pos = floor;
      break;
    }
    pos = nl;
  }
  if (pos <= 0) return 0;
  if (content[pos] === 0x0a) return pos + 1;
  // Capped mid-line: start after the next delimiter so no token is cut.
  while (pos < hit && isTokenByte(content[pos]!)) pos++;
  return pos;
}

/** End of a window after `hitEnd`: two line ends on, at most WINDOW_REACH bytes, not inside a token. */
function windowEnd(content: Buffer, hitEnd: number): number {
  const ceil = Math.min(content.length, hitEnd + WINDOW_REACH);
  let pos = hitEnd;
  for (let i = 0; i <= LINES_OF_CONTEXT && pos < ceil; i++) {
    const nl = content.indexOf(0x0a, pos + (i === 0 ? 0 : 1));
    if (nl < 0 || nl >= ceil) {
      pos = ceil;
      break;
    }
    pos = nl;
  }
  if (pos >= content.length) return content.length;
  if (content[pos] === 0x0a) return pos + 1;
  while (pos > hitEnd && isTokenByte(content[pos - 1]!)) pos--;
  return pos;
}

/** Bytes that can be part of a token (letters, digits, and what base64 and URLs put inside one). */
function isTokenByte(b: number): boolean {
  return (b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x5a) || (b >= 0x61 && b <= 0x7a) || b === 0x2b || b === 0x2f || b === 0x3d || b === 0x5f || b === 0x2d || b === 0x2e || b >= 0x80;
}

/** A finding with its byte span; `allowed` when an inline allow marker suppresses it (with the marker's reason). */
type Raw = { finding: Finding; start: number; end: number; generic: boolean; order: number; allowed?: { reason: string | undefined } };

/**
 * `scope: line` rules with the same keywords, so the same gathered lines, run as one: a joint
 * filter (their patterns as one alternation, without capture groups) finds the lines any of them
 * matches in one pass, and only those lines go to each member. A line holding a member's match holds
 * a filter match at or before it (RE2 finds the leftmost one), and the search goes on from that
 * line's end, so every such line is reached; each member then sees the line as in the gathered text,
 * with the newline before and after it. On this project's bench a group of five costs about what
 * one member did alone.
 */
class LineGroup {
  /** The filter, compiled on first use; null when RE2 refuses the alternation (too large), and the members then run one by one. */
  private compiled: RegexMatcher | null | undefined;

  constructor(readonly members: CompiledRule[]) {}

  get filter(): RegexMatcher | null {
    if (this.compiled === undefined) this.compiled = compileJointFilter(this.members.map((r) => r.spec.pattern));
    return this.compiled;
  }
}

/** A finding suppressed by an inline allow marker, kept so that reporters can list them if asked. */
export interface Suppressed {
  finding: Finding;
  reason: string | undefined;
}

/**
 * Pure detection: fragments and compiled rules in, findings out. No file system, no git.
 * Builds the keyword scanner once; `detect` can be called for any number of fragments.
 */
export class Detector {
  /** One pass over a fragment finds every keyword occurrence: which rules can match, and where. */
  private readonly scanner: KeywordScanner;
  /** Keyword ids of each rule. */
  private readonly keywordIds = new Map<CompiledRule, number[]>();
  /** Indexes in `rules` of the rules of each keyword (indexed like `scanner.keywords`). */
  private readonly ownerIndexes: number[][];
  /** For candidates: `candidateMark` at a rule's index when it was chosen for the current fragment. */
  private readonly chosen: Int32Array;
  private candidateMark = 0;
  /** Hits per keyword id of the current fragment (see countHits), reused from one fragment to the next. */
  private readonly counts: Int32Array;
  /** Rules without keywords: they run on every fragment. */
  private readonly always: CompiledRule[];
  /** The line group of each rule that is in one (groups have two members or more). */
  private readonly groupOf = new Map<CompiledRule, LineGroup>();
  /** The bytes of each case-sensitive keyword by id (undefined for the others); undefined when there are none. */
  private readonly exact: (Buffer | undefined)[] | undefined;
  /** Keyword ids of each rule's requiredKeywords (rules that have some). */
  private readonly requiredIds = new Map<CompiledRule, number[]>();
  /** Each rule's key of its gathered lines (see gatherKey), made on first use. */
  private readonly gatherKeys = new Map<CompiledRule, string>();
  /** Lines of context of `scope: window` rules (see contextOf). */
  private readonly contexts = new Map<CompiledRule, number>();
  /** Each rule's index in `rules`: of two findings on one span, the earlier rule's is kept. */
  private readonly order = new Map<CompiledRule, number>();
  readonly suppressed: Suppressed[] = [];
  /** Paths of fragments the time budget cut short (their findings so far are kept). */
  readonly gaveUp: string[] = [];

  constructor(
    readonly rules: readonly CompiledRule[],
    private readonly options: DetectorOptions,
  ) {
    /** Keyword ids by keyword; a case-sensitive keyword's key is "\0" + the keyword as written. */
    const index = new Map<string, number>();
    const owners: CompiledRule[][] = [];
    const texts: string[] = [];
    const exact: (Buffer | undefined)[] = [];
    /** The id of a keyword of `rule`, added to the index when new. */
    const idOf = (rule: CompiledRule, keyword: string): number => {
      const key = rule.caseSensitiveKeywords ? `\0${keyword}` : keyword;
      let id = index.get(key);
      if (id === undefined) {
        id = owners.length;
        index.set(key, id);
        owners.push([]);
        texts.push(keyword);
        exact.push(rule.caseSensitiveKeywords ? Buffer.from(keyword, 'utf8') : undefined);
      }
      return id;
    };
    for (const rule of rules) {
      const ids: number[] = [];
      for (const keyword of rule.keywords) {
        const id = idOf(rule, keyword);
        if (!ids.includes(id)) {
          ids.push(id);
          owners[id]!.push(rule);
        }
      }
      this.keywordIds.set(rule, ids);
      if (rule.requiredKeywords.length > 0) this.requiredIds.set(rule, rule.requiredKeywords.map((k) => idOf(rule, k)));
    }
    // One more keyword, "\n", of no rule: the scanner counts lines by it (see KeywordScanner).
    owners.push([]);
    exact.push(undefined);
    // The scanner finds every keyword in any case; hits of case-sensitive ones are checked after.
    this.scanner = new KeywordScanner([...texts, '\n']);
    this.exact = exact.some((b) => b !== undefined) ? exact : undefined;
    this.always = rules.filter((r) => r.keywords.length === 0);
    rules.forEach((rule, i) => this.order.set(rule, i));
    this.ownerIndexes = owners.map((list) => list.map((rule) => this.order.get(rule)!));
    this.chosen = new Int32Array(rules.length);
    this.counts = new Int32Array(owners.length);
    if (options.lineGroups !== false && options.windows !== false) {
      const byKeywords = new Map<string, CompiledRule[]>();
      for (const rule of rules) {
        if (rule.scope !== 'line' || rule.keywords.length === 0) continue;
        const key = [...(this.keywordIds.get(rule) ?? [])].sort((a, b) => a - b).join(',');
        const members = byKeywords.get(key);
        if (members) members.push(rule);
        else byKeywords.set(key, [rule]);
      }
      for (const members of byKeywords.values()) {
        if (members.length < 2) continue;
        const group = new LineGroup(members);
        for (const rule of members) this.groupOf.set(rule, group);
      }
    }
  }

  /** Every keyword occurrence in `content` (case-sensitive keywords only where they occur as written). */
  private keywordHits(content: Buffer): { hits: KeywordHits; counts: Int32Array } {
    const hits = this.scanner.scan(content);
    return { hits, counts: countHits(hits, this.exact, content, this.counts) };
  }

  /** The keyword trie, for the build to store with the built-in rules (see offerTrieSnapshot). */
  trieSnapshot(): TrieSnapshot {
    return this.scanner.snapshot();
  }

  /** Readies the keyword scanner for many megabytes of input (see KeywordScanner.completeTable). */
  prepareForLargeInput(): void {
    this.scanner.completeTable();
  }

  /** Rules whose keywords occur (by `counts`, hits per keyword id), plus those without keywords, in rule order. */
  private candidates(counts: Int32Array): CompiledRule[] {
    if (this.candidateMark === 0x3fffffff) {
      this.chosen.fill(0); // marks start over long before they would overflow the Int32Array
      this.candidateMark = 0;
    }
    const mark = ++this.candidateMark;
    let chosen = 0;
    for (let id = 0; id < counts.length; id++) {
      if (counts[id] === 0) continue;
      for (const index of this.ownerIndexes[id]!) {
        if (this.chosen[index] !== mark) {
          this.chosen[index] = mark;
          chosen++;
        }
      }
    }
    if (chosen === 0) return this.always;
    const out: CompiledRule[] = [];
    for (let index = 0; index < this.rules.length; index++) {
      const rule = this.rules[index]!;
      if (rule.keywords.length === 0 ? true : this.chosen[index] === mark && (this.requiredIds.get(rule)?.every((id) => counts[id]! > 0) ?? true)) out.push(rule);
    }
    return out;
  }

  detect(fragment: Fragment): Finding[] {
    const raw = this.detectRaw(fragment);
    if (this.options.decoders) raw.push(...this.detectEncoded(fragment, this.options.decoders));
    // Overlaps are dropped before allow markers are applied, so that one allowed secret counts once
    // (not once per rule that matched it).
    const kept = dropOverlaps(raw);
    const owns = fragment.owns;
    const out: Finding[] = [];
    for (const r of owns ? kept.filter((k) => k.start >= owns[0] && k.start < owns[1]) : kept) {
      if (r.allowed) this.suppressed.push({ finding: r.finding, reason: r.allowed.reason });
      else out.push(r.finding);
    }
    return out;
  }

  /** Findings in the fragment's text as it is, with their byte spans. */
  private detectRaw(fragment: Fragment): Raw[] {
    const content = fragment.content;
    const { hits, counts } = this.keywordHits(content);
    const candidates = this.candidates(counts);
    if (candidates.length === 0) return [];
    const hitsByKeyword = new HitsByKeyword(hits, counts);
    const raw: Raw[] = [];
    const budget = this.options.timeBudgetMs;
    // Small fragments are not timed: RE2 is linear, so they cannot run long (and reading the clock
    // before each rule of each small file cost about 1% of a tree scan).
    const deadline = budget === undefined || content.length <= UNTIMED_INPUT ? Infinity : nowMs() + budget;
    const ran = new Set<LineGroup>();
    const sink = { fragment, raw, lines: undefined as LineIndex | undefined };
    for (const rule of candidates) {
      if (nowMs() > deadline) {
        // Once per path (a huge file's chunks share it).
        if (!this.gaveUp.includes(fragment.origin.path)) this.gaveUp.push(fragment.origin.path);
        break;
      }
      const group = this.groupOf.get(rule);
      if (!group) {
        for (const view of this.viewsFor(rule, content, hitsByKeyword)) this.matchView(rule, view, sink);
      } else if (!ran.has(group)) {
        // Members share their keywords, so their candidacy and their texts: run together, once.
        ran.add(group);
        for (const view of this.viewsFor(rule, content, hitsByKeyword)) this.matchGroup(group, view, sink);
      }
    }
    return raw;
  }

  /** Runs `rule` over `view`, adding to `sink.raw` what it finds (with its span in the fragment's content). */
  private matchView(rule: CompiledRule, view: TextView, sink: { fragment: Fragment; raw: Raw[]; lines: LineIndex | undefined }): void {
    const content = sink.fragment.content;
    const text = view.text;
    const regex = rule.regex;
    regex.lastIndex = 0;
    let m;
    while ((m = regex.exec(text)) !== null) {
      if (m[0] === undefined || m[0].length === 0) {
        regex.lastIndex = m.index + 1;
        continue;
      }
      const span = m.indices[rule.secretGroup];
      if (!span) continue;
      const start = view.toContent(span[0]);
      const end = start + (span[1] - span[0]);
      if (end <= start) continue;
      const secret = content.toString('utf8', start, end);
      if (!this.accepts(rule, secret)) continue;
      sink.lines ??= new LineIndex(content);
      const made = this.makeFinding(rule, sink.fragment, sink.lines, start, end, secret);
      if (made) sink.raw.push({ ...made, start, end, generic: rule.provider.category === 'generic', order: this.order.get(rule) ?? 0 });
    }
  }

  /**
   * Runs a line group over `view`: its filter finds each line that some member matches, and every
   * member runs over that line (with the newline before and after it). See LineGroup.
   */
  private matchGroup(group: LineGroup, view: TextView, sink: { fragment: Fragment; raw: Raw[]; lines: LineIndex | undefined }): void {
    const filter = group.filter;
    if (!filter) {
      for (const rule of group.members) this.matchView(rule, view, sink);
      return;
    }
    const text = view.text;
    filter.lastIndex = 0;
    let m;
    while ((m = filter.exec(text)) !== null) {
      // The line the match is on: a match may start with the newline that ends the line before.
      const at = text[m.index] === 0x0a ? m.index + 1 : m.index;
      const lineStart = at === 0 ? 0 : text.lastIndexOf(0x0a, at - 1) + 1;
      let lineEnd = text.indexOf(0x0a, at);
      if (lineEnd < 0) lineEnd = text.length;
      const from = Math.max(0, lineStart - 1);
      const line: TextView = { text: text.subarray(from, Math.min(text.length, lineEnd + 1)), toContent: (offset: number) => view.toContent(from + offset) };
      for (const rule of group.members) this.matchView(rule, line, sink);
      // On from the newline ending this line: a match of the next line may start there.
      filter.lastIndex = Math.max(lineEnd, m.index + 1);
      if (lineEnd >= text.length) break;
    }
  }

  /**
   * Decodes base64 and %-encoded runs that decode to text, scans the decoded text (one level
   * deep) and reports what it finds at the location of the encoded run.
   */
  private detectEncoded(fragment: Fragment, decoders: NonNullable<DetectorOptions['decoders']>): Raw[] {
    const content = fragment.content;
    const out: Raw[] = [];
    let lines: LineIndex | undefined;
    // Found in WebAssembly when the keyword scan left the content there (large inputs).
    const base64 = this.scanner.base64RunsOf(content) ?? base64Runs(content);
    const runs: { encoding: 'base64' | 'percent'; start: number; end: number }[] = base64.map(([start, end]) => ({ encoding: 'base64', start, end }));
    // A %-encoded run holds a `%`: most inputs have none, and the regex is not run over them.
    if (content.includes(0x25)) {
      const finder = decoders.percent;
      finder.lastIndex = 0;
      let m;
      while ((m = finder.exec(content)) !== null) {
        const length = m[0]?.length ?? 0;
        if (length === 0) {
          finder.lastIndex = m.index + 1;
          continue;
        }
        runs.push({ encoding: 'percent', start: m.index, end: m.index + length });
      }
    }
    for (const { encoding, start, end } of runs) {
      const run = content.subarray(start, end);
      if (encoding === 'base64' && (!couldBeBase64OfText(run) || isHexRun(run))) continue;
      const decoded = encoding === 'base64' ? decodeBase64Run(run) : decodePercentRun(run);
      if (!decoded || !isMostlyText(decoded)) continue;
      const inner = this.detectRaw({ origin: fragment.origin, content: decoded, startLine: 1 });
      if (inner.length === 0) continue;
      lines ??= new LineIndex(content);
      const line = lines.lineIndexOf(start);
      const column = columnIn(fragment, lines, line, start);
      const verdict = this.allowVerdict(lines, line, lines.lineText(line));
      for (const r of inner) {
        const f: Finding = {
          ...r.finding,
          line: fragment.startLine + line,
          endLine: fragment.startLine + line,
          column,
          endColumn: column + run.length, // encoded runs are ASCII: one byte per character
          lineText: cutLine(fragment, line) ? '' : lines.lineText(line),
          encoding,
        };
        // An allow marker on the line holding the encoded text covers what it decodes to.
        if (verdict.advice) f.advice = [...(f.advice ?? []), verdict.advice];
        const allowed = r.allowed ?? verdict.allowed;
        out.push({ finding: f, start, end, generic: r.generic, order: r.order, ...(allowed ? { allowed } : {}) });
      }
    }
    return out;
  }

  /**
   * The texts to run `rule` over: on inputs over GATHER_MIN_INPUT bytes, the lines holding its
   * keywords gathered into one buffer (`scope: line`), or those lines with the lines before and
   * after each (`scope: window`: the two lines of a window's reach, or as many as a match can
   * span, if fewer), unless they make up most of the input; otherwise the regions of `regionsFor`.
   */
  private viewsFor(rule: CompiledRule, content: Buffer, hitsByKeyword: HitsByKeyword): TextView[] {
    if (rule.scope !== 'file' && this.options.windows !== false && rule.keywords.length > 0 && content.length > GATHER_MIN_INPUT) {
      const ids = this.keywordIds.get(rule) ?? [];
      const context = this.contextOf(rule);
      let key = this.gatherKeys.get(rule);
      if (key === undefined) this.gatherKeys.set(rule, (key = gatherKey(ids, context)));
      const gathered = hitsByKeyword.gatheredLines(ids, content, context, key);
      if (gathered) return [gathered];
    }
    return this.regionsFor(rule, content, hitsByKeyword).map(([from, to]) => ({
      text: from === 0 && to === content.length ? content : content.subarray(from, to),
      toContent: (offset: number) => from + offset,
    }));
  }

  /** Lines of context a rule's gathered lines take on either side (see viewsFor), worked out on first use. */
  private contextOf(rule: CompiledRule): number {
    if (rule.scope === 'line') return 0;
    let context = this.contexts.get(rule);
    if (context === undefined) this.contexts.set(rule, (context = Math.min(LINES_OF_CONTEXT, maxNewlines(rule.spec.pattern))));
    return context;
  }

  /**
   * Byte ranges [from, to) of `content` to run `rule` over: the whole content for small inputs,
   * `scope: file` rules and rules without keywords; otherwise merged windows around each keyword
   * hit, each reaching two lines (at most WINDOW_REACH bytes) to either side and never starting or
   * ending inside a token.
   */
  regionsFor(rule: CompiledRule, content: Buffer, hitsByKeyword: HitsByKeyword): [number, number][] {
    const whole: [number, number][] = [[0, content.length]];
    if (this.options.windows === false || rule.scope === 'file' || rule.keywords.length === 0 || content.length <= WINDOW_MIN_INPUT) return whole;
    const hits = hitsByKeyword.spans(this.keywordIds.get(rule) ?? [], this.scanner, content.length / DENSE_HITS_EVERY);
    // Hits so dense that windows would cover the input anyway: match the whole input.
    if (hits === undefined || hits.length === 0) return whole;
    const regions: [number, number][] = [];
    for (const [hit, hitEnd] of hits) {
      const last = regions[regions.length - 1];
      if (last && hit < last[1]) {
        // Inside the current window: its own context may still reach further.
        last[1] = Math.max(last[1], windowEnd(content, hitEnd));
        continue;
      }
      const from = windowStart(content, hit);
      const to = windowEnd(content, hitEnd);
      if (last && from <= last[1]) last[1] = Math.max(last[1], to);
      else regions.push([from, to]);
    }
    return regions;
  }

  /** Secret-level filters: allowlist, placeholder, entropy, validator. */
  private accepts(rule: CompiledRule, secret: string): boolean {
    if (rule.allowSecrets.some((r) => r.test(secret))) return false;
    if (isPlaceholder(secret, rule.placeholders)) return false;
    if (rule.minEntropy !== undefined && shannonEntropy(secret) < rule.minEntropy) return false;
    if (rule.validate && !rule.validate(secret)) return false;
    return true;
  }

  /** The finding, and whether an allow marker in force suppresses it; undefined when a required partner is missing. */
  private makeFinding(rule: CompiledRule, fragment: Fragment, lines: LineIndex, start: number, end: number, secret: string): Pick<Raw, 'finding' | 'allowed'> | undefined {
    const firstLine = lines.lineIndexOf(start);
    const lastLine = lines.lineIndexOf(Math.max(start, end - 1));
    // Of a line cut by a chunk boundary only a part is here: markers are read from that part, but
    // no partial line is reported (reporters place the secret in lineText by column).
    const lineText = lines.lineText(firstLine);
    const path = fragment.origin.path;
    const partner = rule.partner ? findPartner(rule.partner, fragment.content, lines, firstLine, fragment.startLine) : undefined;
    if (rule.partner?.required && !partner) return undefined;
    const finding: Finding = {
      ruleId: rule.id,
      ruleName: rule.name,
      providerId: rule.provider.id,
      providerName: rule.provider.name,
      severity: rule.severity,
      origin: fragment.origin,
      file: path,
      line: fragment.startLine + firstLine,
      endLine: fragment.startLine + lastLine,
      column: columnIn(fragment, lines, firstLine, start),
      endColumn: columnIn(fragment, lines, lastLine, end),
      secret,
      lineText: cutLine(fragment, firstLine) ? '' : lineText,
      entropy: round2(shannonEntropy(secret)),
      fingerprint: fingerprint(rule.id, path, secret),
    };
    if (partner) finding.partner = partner;
    const verdict = this.allowVerdict(lines, firstLine, lineText);
    if (verdict.advice) finding.advice = [...(finding.advice ?? []), verdict.advice];
    return verdict.allowed ? { finding, allowed: verdict.allowed } : { finding };
  }

  /**
   * What the allow marker on 0-based line `line` (or a next-line marker above it) does under the
   * policy: `allowed` when it suppresses findings there; `advice` when it is present but does not
   * (expired, or the policy wants a reason).
   */
  private allowVerdict(lines: LineIndex, line: number, lineText: string): { allowed?: { reason: string | undefined }; advice?: string } {
    const policy = this.options.allowMarkers === false ? 'ignore' : (this.options.allowPolicy ?? 'honour');
    if (policy === 'ignore') return {};
    const marker = allowMarkerFor(lines, line, lineText);
    if (!marker) return {};
    if (!markerInForce(marker, this.options.today)) return { advice: `The allow comment on this line expired on ${marker.until ?? ''}.` };
    if (policy === 'honour' || (marker.reason !== undefined && marker.reason.trim() !== '')) return { allowed: { reason: marker.reason } };
    return { advice: 'An allow comment is on this line, but the policy requires reason="…" on it.' };
  }
}

/** 1-based column of byte `offset` on 0-based line `line`, counting from the real line start when the fragment starts mid-line. */
function columnIn(fragment: Fragment, lines: LineIndex, line: number, offset: number): number {
  const col = lines.columnOf(line, offset);
  return line === 0 && fragment.startColumn !== undefined ? col + fragment.startColumn - 1 : col;
}

/** Whether 0-based line `line` of the fragment is only the tail of a real line (a chunk that starts mid-line). */
function cutLine(fragment: Fragment, line: number): boolean {
  return line === 0 && (fragment.startColumn ?? 1) > 1;
}

/** The partner's 1-based line when it occurs within the rule's line window around 0-based `line`. */
function findPartner(partner: NonNullable<CompiledRule['partner']>, content: Buffer, lines: LineIndex, line: number, startLine: number): { name: string; line: number } | undefined {
  const from = lines.startOf(line - partner.withinLines);
  const to = lines.startOf(line + partner.withinLines + 1);
  const window = content.subarray(from, to);
  partner.regex.lastIndex = 0;
  const m = partner.regex.exec(window);
  if (!m) return undefined;
  return { name: partner.name, line: startLine + lines.lineIndexOf(from + m.index) };
}

function allowMarkerFor(lines: LineIndex, line: number, lineText: string): ReturnType<typeof parseAllowMarker> {
  const own = parseAllowMarker(lineText);
  if (own && own.scope === 'line') return own;
  if (line > 0) {
    const prev = parseAllowMarker(lines.lineText(line - 1));
    if (prev && prev.scope === 'next-line') return prev;
  }
  return undefined;
}

/**
 * Keeps one finding per secret: a generic rule's finding is dropped when a provider rule's finding
 * overlaps it, and of two findings on the same span the first rule's is kept. Sorted by position.
 */
function dropOverlaps(raw: Raw[]): Raw[] {
  if (raw.length <= 1) return raw;
  raw.sort((a, b) => a.start - b.start || Number(a.generic) - Number(b.generic) || b.end - a.end || a.order - b.order);
  const kept: typeof raw = [];
  for (const r of raw) {
    const clash = kept.find((k) => r.start < k.end && k.start < r.end && (r.generic || (k.start === r.start && k.end === r.end)));
    if (clash) continue;
    // A provider finding replaces generic ones it overlaps.
    if (!r.generic) {
      for (let i = kept.length - 1; i >= 0; i--) {
        const k = kept[i]!;
        if (k.generic && r.start < k.end && k.start < r.end) kept.splice(i, 1);
      }
    }
    kept.push(r);
  }
  return kept;
}

function round2(n: number): number {
  return Math.round(n * 100) / 100;
}
