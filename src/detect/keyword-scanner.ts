/**
 * Finds every occurrence of a fixed set of keywords in one pass over the bytes (Aho-Corasick),
 * ignoring ASCII case. It is the detector's prefilter (which rules can match at all) and tells
 * where their windows go, so that no keyword is searched for twice.
 *
 * Contract: keywords are matched as UTF-8 byte strings; ASCII letters match either case, other
 * bytes match exactly. Overlapping occurrences are all reported (`pass` and `pass_` in `pass_1`).
 */
export class KeywordScanner {
  /** The keywords, lower-cased, in the order given (ids are indexes into this array). */
  readonly keywords: readonly string[];
  /** Byte length of each keyword (indexed like `keywords`). */
  readonly lengths: Int32Array;
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
  /** Failure link of each state (the longest proper suffix that is a trie state). */
  private readonly fail: Int32Array;
  /** Outputs of state k are outIds[outStart[k] .. outStart[k + 1]). */
  private readonly outStart: Int32Array;
  private readonly outIds: Int32Array;

  constructor(keywords: readonly string[]) {
    this.keywords = keywords.map((k) => k.toLowerCase());
    const bytes = this.keywords.map((k) => Buffer.from(k, 'utf8'));
    this.lengths = Int32Array.from(bytes, (b) => b.length);

    // Alphabet: one class per distinct byte used by a keyword; everything else shares class 0.
    const classOf = new Uint8Array(256);
    let classes = 1;
    for (const b of bytes) for (const c of b) if (classOf[c] === 0) classOf[c] = classes++;
    if (classes > 255) throw new Error('KeywordScanner: too many distinct keyword bytes');
    for (let c = 0x41; c <= 0x5a; c++) classOf[c] = classOf[c + 0x20]!;
    this.classOf = classOf;
    this.classes = classes;

    // Trie: each state's children as a linked list (first child, next sibling), in typed arrays.
    const maxStates = 1 + bytes.reduce((n, b) => n + b.length, 0);
    const firstChild = new Int32Array(maxStates).fill(-1);
    const nextSibling = new Int32Array(maxStates).fill(-1);
    const classOfState = new Uint8Array(maxStates);
    const ends: number[][] = [[]];
    let states = 1;
    for (let id = 0; id < bytes.length; id++) {
      const b = bytes[id]!;
      if (b.length === 0) continue;
      let s = 0;
      for (let k = 0; k < b.length; k++) {
        const cls = classOf[b[k]!]!;
        let child = childOf(firstChild, nextSibling, classOfState, s, cls);
        if (child === -1) {
          child = states++;
          classOfState[child] = cls;
          nextSibling[child] = firstChild[s]!;
          firstChild[s] = child;
          ends.push([]);
        }
        s = child;
      }
      ends[s]!.push(id);
    }

    // Breadth-first: failure links, and outputs through dictionary links (a state's failure
    // target is shallower, so its outputs are complete when the state is reached).
    const fail = new Int32Array(states);
    const outputs = ends;
    const queue = new Int32Array(states);
    let tail = 0;
    for (let c = firstChild[0]!; c !== -1; c = nextSibling[c]!) queue[tail++] = c;
    for (let head = 0; head < tail; head++) {
      const s = queue[head]!;
      for (let child = firstChild[s]!; child !== -1; child = nextSibling[child]!) {
        const cls = classOfState[child]!;
        let f = fail[s]!;
        let target = childOf(firstChild, nextSibling, classOfState, f, cls);
        while (target === -1 && f !== 0) {
          f = fail[f]!;
          target = childOf(firstChild, nextSibling, classOfState, f, cls);
        }
        // A root child's failure link is the root (its only proper suffix is empty).
        fail[child] = s === 0 || target === -1 ? 0 : target;
        const inherited = outputs[fail[child]!]!;
        if (inherited.length > 0) outputs[child]!.push(...inherited);
        queue[tail++] = child;
      }
    }
    this.firstChild = firstChild;
    this.nextSibling = nextSibling;
    this.classOfState = classOfState;
    this.fail = fail;
    this.transitions = new Int32Array(states * classes);
    this.outStart = new Int32Array(states + 1);
    const flat: number[] = [];
    for (let st = 0; st < states; st++) {
      this.outStart[st] = flat.length;
      for (const id of outputs[st]!) flat.push(id);
    }
    this.outStart[states] = flat.length;
    this.outIds = Int32Array.from(flat);
  }

  /** The transition-table entry for pre-multiplied state `from` on class `cls`, computed and stored on first use. */
  private resolve(from: number, cls: number): number {
    const stored = this.transitions[from + cls]!;
    if (stored !== 0) return stored;
    const state = from / this.classes;
    const child = childOf(this.firstChild, this.nextSibling, this.classOfState, state, cls);
    let next = child === -1 ? undefined : child;
    if (next === undefined) {
      if (state === 0) next = 0;
      else {
        const viaFail = this.resolve(this.fail[state]! * this.classes, cls);
        next = (viaFail < 0 ? ~viaFail : viaFail - 1) / this.classes;
      }
    }
    const premultiplied = next * this.classes;
    const entry = this.outStart[next + 1]! > this.outStart[next]! ? ~premultiplied : premultiplied + 1;
    this.transitions[from + cls] = entry;
    return entry;
  }

  /**
   * Every occurrence in `content`, in order of where it ends: `starts[i]` is the byte offset
   * (from 0) where keyword `ids[i]` starts. `count` entries are valid.
   */
  scan(content: Uint8Array): KeywordHits {
    if (!this.complete) {
      this.bytesScanned += content.length;
      if (this.bytesScanned > COMPLETE_AFTER_BYTES) this.completeTable();
    }
    return this.complete ? this.scanComplete(content) : this.scanLazy(content);
  }

  /** The hot loop, once every transition is computed. */
  private scanComplete(content: Uint8Array): KeywordHits {
    const { classOf, transitions, classes } = this;
    const hits = new HitList();
    let s = 0;
    const n = content.length;
    for (let i = 0; i < n; i++) {
      const next = transitions[s + classOf[content[i]!]!]!;
      if (next > 0) {
        s = next - 1;
        continue;
      }
      s = ~next;
      this.record(hits, s / classes, i + 1);
    }
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
    const to = this.outStart[state + 1]!;
    for (let k = this.outStart[state]!; k < to; k++) {
      const id = this.outIds[k]!;
      hits.push(end - this.lengths[id]!, id);
    }
  }

  /** Bytes scanned so far with a partly computed table. */
  private bytesScanned = 0;
  /** Whether every transition is computed (then the hot loop skips the not-computed check). */
  private complete = false;

  private completeTable(): void {
    for (let from = 0; from < this.transitions.length; from += this.classes) {
      for (let cls = 0; cls < this.classes; cls++) this.resolve(from, cls);
    }
    this.complete = true;
  }
}

/** After this many bytes, computing the whole table up front costs less than checking each step. */
const COMPLETE_AFTER_BYTES = 4 * 1024 * 1024;

/** The trie child of `state` along class `cls`, or -1. */
function childOf(firstChild: Int32Array, nextSibling: Int32Array, classOfState: Uint8Array, state: number, cls: number): number {
  for (let c = firstChild[state]!; c !== -1; c = nextSibling[c]!) if (classOfState[c] === cls) return c;
  return -1;
}

/** Keyword occurrences as a scan collects them, in arrays that grow by doubling. */
class HitList implements KeywordHits {
  starts = new Int32Array(256);
  ids = new Int32Array(256);
  count = 0;

  push(start: number, id: number): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts);
      this.ids = grow(this.ids);
    }
    this.starts[this.count] = start;
    this.ids[this.count++] = id;
  }
}

/** A copy of `array` with twice the room. */
function grow(array: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> {
  const out = new Int32Array(array.length * 2);
  out.set(array);
  return out;
}

/** Keyword occurrences found by `KeywordScanner.scan`; only the first `count` entries are valid. */
export interface KeywordHits {
  /** Byte offset (from 0) where each occurrence starts. */
  starts: Int32Array;
  /** Index into `KeywordScanner.keywords` of each occurrence. */
  ids: Int32Array;
  count: number;
}
