import { HitList, type KeywordHits, pushOutputs, type StateOutputs } from './hit-list.js';
import { WasmDfa } from './wasm-dfa.js';

export type { KeywordHits } from './hit-list.js';

/**
 * Finds every occurrence of a fixed set of keywords in one pass over the bytes (Aho-Corasick),
 * ignoring ASCII case. It is the detector's prefilter (which rules can match at all) and tells
 * where their windows go, so that no keyword is searched for twice.
 *
 * Contract: keywords are matched as UTF-8 byte strings; ASCII letters match either case, other
 * bytes match exactly. Overlapping occurrences are all reported (`pass` and `pass_` in `pass_1`).
 * The keyword "\n", if given, counts lines: its occurrences are reported as `newlines`, not hits,
 * and each hit carries its line. No other keyword may hold a newline (lines would be off).
 */
export class KeywordScanner {
  /** The keywords, lower-cased, in the order given (ids are indexes into this array). */
  readonly keywords: readonly string[];
  /** Byte length of each keyword (indexed like `keywords`). */
  readonly lengths: Int32Array;
  /** The longest keyword's byte length. */
  private readonly maxLength: number;
  /** Byte value (ASCII letters folded to lower case) to its column in the transition table; 0 for bytes in no keyword. */
  private readonly classOf: Uint8Array;
  private readonly classes: number;
  /**
   * transitions[state * classes + class] describes the next state n, pre-multiplied (p = n *
   * classes, so the hot loop only adds a class): p + 1 when no keyword ends in n, ~p when one does,
   * and 0 while not computed yet (entries are computed on first use; see `resolve`).
   */
  private readonly transitions: Int32Array;
  /** Trie edges: the first child of each state (-1: none), each state's next sibling, and the class of the edge into each state. */
  private readonly firstChild: Int32Array;
  private readonly nextSibling: Int32Array;
  private readonly classOfState: Uint8Array;
  /** Every state in breadth-first order (a state's failure target comes before it). */
  private readonly breadthFirst: Int32Array;
  /** Failure link of each state (the longest proper suffix that is a trie state). */
  private readonly fail: Int32Array;
  /** Outputs of state k are outIds[outStart[k] .. outStart[k + 1]). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;
  /** The same outputs, with the keyword lengths, as pushOutputs takes them. */
  private readonly outputs: StateOutputs;
  /** The complete table's loop in WebAssembly (made by completeTable), when available and not turned off. */
  private wasm: WasmDfa | undefined;

  constructor(
    keywords: readonly string[],
    /** `webAssembly: false` keeps the complete table's loop in JavaScript (as where WebAssembly is unavailable); `wasmBlock` is WasmDfa's block (tests). */
    private readonly options: { webAssembly?: boolean; wasmBlock?: number } = {},
  ) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    const trie = prebuiltTrie(this.keywords) ?? buildTrie(this.keywords);
    this.lengths = trie.lengths;
    this.maxLength = trie.lengths.reduce((most, length) => Math.max(most, length), 0);
    this.classOf = trie.classOf;
    this.classes = trie.classes;
    this.firstChild = trie.firstChild;
    this.nextSibling = trie.nextSibling;
    this.classOfState = trie.classOfState;
    this.breadthFirst = trie.breadthFirst;
    this.fail = trie.fail;
    this.outStart = trie.outStart;
    this.outIds = trie.outIds;
    this.transitions = new Int32Array(this.fail.length * this.classes);
    this.outputs = { start: this.outStart, ids: this.outIds, lengths: this.lengths, newlineId: this.keywords.indexOf('\n') };
  }

  /**
   * The base64 runs of `content` (see base64Runs in decode.ts) when this scanner's last scan was
   * of it and ran in WebAssembly, which found them there; undefined otherwise.
   */
  base64RunsOf(content: Uint8Array): [number, number][] | undefined {
    return this.wasm?.base64Runs(content);
  }

  /** Whether scans with the complete table run in WebAssembly (see WasmDfa). */
  get usesWebAssembly(): boolean {
    return this.wasm !== undefined;
  }

  /** The trie, for the build to store beside the rules (see offerTrieSnapshot). */
  snapshot(): TrieSnapshot {
    const b64 = (a: Int32Array | Uint8Array): string => Buffer.from(a.buffer, a.byteOffset, a.byteLength).toString('base64');
    const states = this.fail.length;
    return {
      keywords: [...this.keywords],
      classes: this.classes,
      lengths: b64(this.lengths),
      classOf: b64(this.classOf),
      firstChild: b64(this.firstChild.subarray(0, states)),
      nextSibling: b64(this.nextSibling.subarray(0, states)),
      classOfState: b64(this.classOfState.subarray(0, states)),
      breadthFirst: b64(this.breadthFirst),
      fail: b64(this.fail),
      outStart: b64(this.outStart),
      outIds: b64(this.outIds),
    };
  }

  /** The transition-table entry leading to state `next` (see `transitions`). */
  private entryFor(next: number): number {
    const premultiplied = next * this.classes;
    return this.outStart[next + 1]! > this.outStart[next]! ? ~premultiplied : premultiplied + 1;
  }

  /** The transition-table entry for pre-multiplied state `from` on class `cls`, computed and stored on first use. */
  private resolve(from: number, cls: number): number {
    const stored = this.transitions[from + cls]!;
    if (stored !== 0) return stored;
    const state = from / this.classes;
    let next = childOf(this.firstChild, this.nextSibling, this.classOfState, state, cls);
    if (next === -1) {
      if (state === 0) next = 0;
      else {
        const viaFail = this.resolve(this.fail[state]! * this.classes, cls);
        next = (viaFail < 0 ? ~viaFail : viaFail - 1) / this.classes;
      }
    }
    const entry = this.entryFor(next);
    this.transitions[from + cls] = entry;
    return entry;
  }

  /**
   * Every occurrence in `content`, in order of where it ends: `starts[i]` is the byte offset
   * (from 0) where keyword `ids[i]` starts, on 0-based line `lines[i]`; and every newline (see the
   * class comment). Valid until the next scan, which may reuse the arrays.
   */
  scan(content: Uint8Array): KeywordHits {
    if (!this.complete) {
      this.bytesScanned += content.length;
      if (this.bytesScanned > COMPLETE_AFTER_BYTES) this.completeTable();
    }
    if (!this.complete) return this.scanLazy(content);
    return this.wasm ? this.wasm.scan(content) : this.scanComplete(content);
  }

  /**
   * The hot loop in JavaScript, once every transition is computed (where WasmDfa is unavailable).
   * Each step waits on the table load of the step before it, so one chain of steps leaves the CPU
   * idle most of the time: the input is scanned as
   * two halves at once, two independent chains in one loop (about a fifth faster over
   * bench/make-tree.mjs's tree). The second chain starts from the root `maxLength - 1` bytes before
   * the middle, so it sees whole every keyword that ends past the middle, and records only those;
   * the first records those ending at or before it. Its hits are appended to the first's, which
   * keeps them in order of where they end.
   */
  private scanComplete(content: Uint8Array): KeywordHits {
    const { classOf, transitions, classes } = this;
    const n = content.length;
    const hits = new HitList();
    /** The second chain's hits (made on its first). */
    let later: HitList | undefined;
    const mid = n >> 1;
    let i = 0;
    let j = Math.max(0, mid - Math.max(1, this.maxLength) + 1);
    let s1 = 0;
    let s2 = 0;
    // Chain 1 takes [0, mid); chain 2 [j, n), the longer: it goes on alone after the joint loop.
    for (; i < mid; i++, j++) {
      const next1 = transitions[s1 + classOf[content[i]!]!]!;
      const next2 = transitions[s2 + classOf[content[j]!]!]!;
      if (next1 > 0) s1 = next1 - 1;
      else {
        s1 = ~next1;
        this.record(hits, s1 / classes, i + 1);
      }
      if (next2 > 0) s2 = next2 - 1;
      else {
        s2 = ~next2;
        if (j >= mid) this.record((later ??= new HitList()), s2 / classes, j + 1);
      }
    }
    for (; j < n; j++) {
      const next2 = transitions[s2 + classOf[content[j]!]!]!;
      if (next2 > 0) s2 = next2 - 1;
      else {
        s2 = ~next2;
        if (j >= mid) this.record((later ??= new HitList()), s2 / classes, j + 1);
      }
    }
    if (later) hits.append(later);
    return hits;
  }

  /**
   * The same loop, computing transitions on first use (small inputs: building the whole table would
   * cost more). Kept apart from scanComplete on purpose: one loop with this check ran a third slower
   * on large inputs (235 ms against 310 ms over bench/make-tree.mjs's 59 MB).
   */
  private scanLazy(content: Uint8Array): KeywordHits {
    const { classOf, transitions, classes } = this;
    const hits = new HitList();
    let s = 0;
    const n = content.length;
    for (let i = 0; i < n; i++) {
      const cls = classOf[content[i]!]!;
      let next = transitions[s + cls]!;
      if (next === 0) next = this.resolve(s, cls);
      if (next > 0) {
        s = next - 1;
        continue;
      }
      s = ~next;
      this.record(hits, s / classes, i + 1);
    }
    return hits;
  }

  /** Adds to `hits` every keyword that ends in `state`, its last byte just before offset `end`. */
  private record(hits: HitList, state: number, end: number): void {
    pushOutputs(hits, this.outputs, state, end);
  }

  /** Bytes scanned so far with a partly computed table. */
  private bytesScanned = 0;
  /** Whether every transition is computed (then the hot loop skips the not-computed check). */
  private complete = false;

  /**
   * Computes every transition now, for a scanner about to read many megabytes (a worker thread's
   * share of a large tree): its first bytes then run at full speed too. Idempotent.
   */
  completeTable(): void {
    if (this.complete) return;
    // Row by row in breadth-first order: a state's row is its failure target's (complete already),
    // with its own trie edges written over it. Entries computed lazily before are the same values.
    const { transitions, classes, firstChild, nextSibling, classOfState, fail } = this;
    transitions.fill(this.entryFor(0), 0, classes);
    for (let c = firstChild[0]!; c !== -1; c = nextSibling[c]!) transitions[classOfState[c]!] = this.entryFor(c);
    for (let k = 1; k < this.breadthFirst.length; k++) {
      const state = this.breadthFirst[k]!;
      const row = state * classes;
      const from = fail[state]! * classes;
      transitions.copyWithin(row, from, from + classes);
      for (let c = firstChild[state]!; c !== -1; c = nextSibling[c]!) transitions[row + classOfState[c]!] = this.entryFor(c);
    }
    this.complete = true;
    if (this.options.webAssembly !== false) {
      this.wasm = WasmDfa.create({ classOf: this.classOf, classes, transitions, outputs: this.outputs, maxLength: this.maxLength }, this.options.wasmBlock);
    }
  }
}

/**
 * After this many bytes, computing the whole table (about 2 ms for the built-in keywords) costs
 * less than checking each step (the lazy loop takes about twice as long per byte). A pre-commit
 * scan of a few kilobytes never gets there.
 */
const COMPLETE_AFTER_BYTES = 512 * 1024;

/** The trie child of `state` along class `cls`, or -1. */
function childOf(firstChild: Int32Array, nextSibling: Int32Array, classOfState: Uint8Array, state: number, cls: number): number {
  for (let c = firstChild[state]!; c !== -1; c = nextSibling[c]!) if (classOfState[c] === cls) return c;
  return -1;
}

/** `text`'s UTF-8 bytes as a string of one char per byte: `text` itself when it is ASCII. */
function byteString(text: string): string {
  for (let i = 0; i < text.length; i++) if (text.charCodeAt(i) > 0x7f) return Buffer.from(text, 'utf8').toString('latin1');
  return text;
}

/** The keyword trie with its failure links and outputs, in typed arrays (see KeywordScanner's fields). */
interface Trie {
  lengths: Int32Array;
  classOf: Uint8Array;
  classes: number;
  firstChild: Int32Array;
  nextSibling: Int32Array;
  classOfState: Uint8Array;
  breadthFirst: Int32Array;
  fail: Int32Array;
  outStart: Int32Array;
  outIds: Int32Array;
}

/**
 * Builds the trie of `keywords` (lower-cased). Written for the interpreter as much as for the
 * optimiser: it runs once per scan, at start-up, where no loop is hot yet. Typed arrays and index
 * loops, no per-state JS arrays.
 */
function buildTrie(keywords: readonly string[]): Trie {
  /** Each keyword's UTF-8 bytes as a string of one char per byte (charCodeAt gives the byte). */
  const bytes = keywords.map(byteString);
  const count = bytes.length;
  const lengths = new Int32Array(count);

  // Alphabet: one class per distinct byte used by a keyword; everything else shares class 0.
  const classOf = new Uint8Array(256);
  let classes = 1;
  let totalBytes = 0;
  for (let id = 0; id < count; id++) {
    const b = bytes[id]!;
    lengths[id] = b.length;
    totalBytes += b.length;
    for (let k = 0; k < b.length; k++) {
      const c = b.charCodeAt(k);
      if (classOf[c] === 0) classOf[c] = classes++;
    }
  }
  if (classes > 255) throw new Error('KeywordScanner: too many distinct keyword bytes');
  for (let c = 0x41; c <= 0x5a; c++) classOf[c] = classOf[c + 0x20]!;

  // Trie: each state's children as a linked list (first child, next sibling), in typed arrays,
  // and the root's also by class (most lookups start or end there). Not in the transition table:
  // writing to all of it at start-up costs more (page faults) than the whole build otherwise.
  const maxStates = 1 + totalBytes;
  const rootChild = new Int32Array(classes).fill(-1);
  const firstChild = new Int32Array(maxStates).fill(-1);
  const nextSibling = new Int32Array(maxStates).fill(-1);
  const classOfState = new Uint8Array(maxStates);
  /** Keywords ending at each state, as a linked list: the first id (-1: none), and each id's next one. */
  const firstEnd = new Int32Array(maxStates).fill(-1);
  const nextEnd = new Int32Array(count).fill(-1);
  let states = 1;
  for (let id = 0; id < count; id++) {
    const b = bytes[id]!;
    if (b.length === 0) continue;
    let s = 0;
    for (let k = 0; k < b.length; k++) {
      const cls = classOf[b.charCodeAt(k)]!;
      let child = s === 0 ? rootChild[cls]! : childOf(firstChild, nextSibling, classOfState, s, cls);
      if (child === -1) {
        child = states++;
        if (s === 0) rootChild[cls] = child;
        classOfState[child] = cls;
        nextSibling[child] = firstChild[s]!;
        firstChild[s] = child;
      }
      s = child;
    }
    nextEnd[id] = firstEnd[s]!;
    firstEnd[s] = id;
  }

  // Breadth-first: failure links (a state's failure target is shallower, so it comes earlier in
  // `queue`), and how many keywords end in each state, its own plus its failure target's.
  const fail = new Int32Array(states);
  const outCount = new Int32Array(states);
  const queue = new Int32Array(states);
  let tail = 1; // queue[0] is the root
  for (let head = 0; head < tail; head++) {
    const s = queue[head]!;
    for (let child = firstChild[s]!; child !== -1; child = nextSibling[child]!) {
      const cls = classOfState[child]!;
      let target = -1;
      // A root child's failure link is the root (its only proper suffix is empty).
      if (s !== 0) {
        let f = fail[s]!;
        target = f === 0 ? rootChild[cls]! : childOf(firstChild, nextSibling, classOfState, f, cls);
        while (target === -1 && f !== 0) {
          f = fail[f]!;
          target = f === 0 ? rootChild[cls]! : childOf(firstChild, nextSibling, classOfState, f, cls);
        }
      }
      const f = target === -1 ? 0 : target;
      fail[child] = f;
      let own = 0;
      for (let id = firstEnd[child]!; id !== -1; id = nextEnd[id]!) own++;
      outCount[child] = own + outCount[f]!;
      queue[tail++] = child;
    }
  }
  // Outputs, flat by state: each state's own keywords, then its failure target's (filled in
  // breadth-first order, so the target's are in place when a state copies them).
  const outStart = new Int32Array(states + 1);
  for (let st = 0; st < states; st++) outStart[st + 1] = outStart[st]! + outCount[st]!;
  const outIds = new Int32Array(outStart[states]!);
  for (let i = 1; i < tail; i++) {
    const st = queue[i]!;
    let at = outStart[st]!;
    for (let id = firstEnd[st]!; id !== -1; id = nextEnd[id]!) outIds[at++] = id;
    const f = fail[st]!;
    outIds.copyWithin(at, outStart[f]!, outStart[f + 1]!);
  }
  return { lengths, classOf, classes, firstChild, nextSibling, classOfState, breadthFirst: queue, fail, outStart, outIds };
}

/** A trie as the build stores it: the keywords it is for, and each array's bytes in base64. */
export interface TrieSnapshot {
  keywords: string[];
  classes: number;
  lengths: string;
  classOf: string;
  firstChild: string;
  nextSibling: string;
  classOfState: string;
  breadthFirst: string;
  fail: string;
  outStart: string;
  outIds: string;
}

let offered: TrieSnapshot | undefined;

/**
 * Remembers a trie the build made for the built-in rules' keywords (dist/rules-bundle.json): a
 * scanner for exactly those keywords, in that order, then takes it instead of building one (about
 * 3 ms of a pre-commit scan's start-up). Any other keyword list is built as usual.
 */
export function offerTrieSnapshot(snapshot: TrieSnapshot): void {
  offered = snapshot;
}

/** The offered trie when it is for exactly `keywords` (lower-cased), decoded; else undefined. */
function prebuiltTrie(keywords: readonly string[]): Trie | undefined {
  const s = offered;
  if (!s || s.keywords.length !== keywords.length || !s.keywords.every((k, i) => k === keywords[i])) return undefined;
  const bytes = (b64: string): Uint8Array => {
    const raw = Buffer.from(b64, 'base64');
    const out = new Uint8Array(raw.length); // own, aligned buffer: the pool's may not be
    out.set(raw);
    return out;
  };
  const ints = (b64: string): Int32Array => new Int32Array(bytes(b64).buffer);
  return {
    lengths: ints(s.lengths),
    classOf: bytes(s.classOf),
    classes: s.classes,
    firstChild: ints(s.firstChild),
    nextSibling: ints(s.nextSibling),
    classOfState: bytes(s.classOfState),
    breadthFirst: ints(s.breadthFirst),
    fail: ints(s.fail),
    outStart: ints(s.outStart),
    outIds: ints(s.outIds),
  };
}
