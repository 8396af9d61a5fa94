/**
 * Finds every occurrence of a fixed set of keywords in one pass over the bytes (Aho-Corasick),
 * ignoring ASCII case. It is the detector's prefilter (which rules can match at all) and tells
 * where their windows go, so that no keyword is searched for twice.
 *
 * Contract: keywords are matched as UTF-8 byte strings; ASCII letters match either case, other
 * bytes match exactly. Overlapping occurrences are all reported (`pass` and `pass_` in `pass_1`).
 */
/** A transition-table entry not computed yet (no real entry is this small). */
const UNKNOWN = -0x80000000;

export class KeywordScanner {
  /** The keywords, lower-cased, in the order given (ids are indexes into this array). */
  readonly keywords: readonly string[];
  /** Byte length of each keyword. */
  private readonly lengths: Int32Array;
  /** Byte value (ASCII letters folded to lower case) to its column in the transition table; 0 for bytes in no keyword. */
  private readonly classOf: Uint8Array;
  private readonly classes: number;
  /**
   * transitions[state * classes + class] = next state * classes (pre-multiplied: the hot loop adds
   * a class), bitwise-negated (~) when some keyword ends in the next state; UNKNOWN until first used.
   */
  private readonly transitions: Int32Array;
  /** Trie edges: trie[state * classes + class] = child state, or -1. */
  private readonly trie: Int32Array;
  /** Failure link of each state (the longest proper suffix that is a trie state). */
  private readonly fail: Int32Array;
  /** 1 for states where some keyword ends (directly or through a failure link). */
  private readonly hasOutputs: Uint8Array;
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

    // Trie, straight into the transition table: -1 marks "no child" until failure links fill it.
    const maxStates = 1 + bytes.reduce((n, b) => n + b.length, 0);
    const table = new Int32Array(maxStates * classes).fill(-1);
    const ends: number[][] = [[]];
    /** Classes of each state's trie edges, for the breadth-first pass. */
    const edges: number[][] = [[]];
    let states = 1;
    bytes.forEach((b, id) => {
      if (b.length === 0) return;
      let s = 0;
      for (const c of b) {
        const at = s * classes + classOf[c]!;
        if (table[at] === -1) {
          edges[s]!.push(classOf[c]!);
          table[at] = states++;
          ends.push([]);
          edges.push([]);
        }
        s = table[at]!;
      }
      ends[s]!.push(id);
    });

    // Breadth-first: failure links, and outputs through dictionary links (a state's failure
    // target is shallower, so its outputs are complete when the state is reached).
    const fail = new Int32Array(states);
    const outputs: number[][] = ends;
    const queue = new Int32Array(states);
    let tail = 0;
    for (const cls of edges[0]!) queue[tail++] = table[cls]!;
    for (let head = 0; head < tail; head++) {
      const s = queue[head]!;
      for (const cls of edges[s]!) {
        const child = table[s * classes + cls]!;
        let f = fail[s]!;
        while (f !== 0 && table[f * classes + cls] === -1) f = fail[f]!;
        const target = table[f * classes + cls]!;
        fail[child] = target === -1 ? 0 : target;
        const inherited = outputs[fail[child]!]!;
        if (inherited.length > 0) outputs[child]!.push(...inherited);
        queue[tail++] = child;
      }
    }
    this.trie = table.subarray(0, states * classes);
    this.fail = fail;
    this.hasOutputs = Uint8Array.from(outputs, (o) => (o.length > 0 ? 1 : 0));
    this.transitions = new Int32Array(states * classes).fill(UNKNOWN);
    this.outStart = new Int32Array(states + 1);
    const flat: number[] = [];
    for (let st = 0; st < states; st++) {
      this.outStart[st] = flat.length;
      flat.push(...outputs[st]!);
    }
    this.outStart[states] = flat.length;
    this.outIds = Int32Array.from(flat);
  }

  /**
   * The transition-table entry for pre-multiplied state `from` on class `cls` (computed on first
   * use, from the trie and the failure links, so that building the scanner stays cheap).
   */
  private resolve(from: number, cls: number): number {
    const cached = this.transitions[from + cls]!;
    if (cached !== UNKNOWN) return cached;
    const state = from / this.classes;
    const child = this.trie[from + cls]!;
    let next: number;
    if (child !== -1) next = child;
    else if (state === 0) next = 0;
    else {
      const viaFail = this.resolve(this.fail[state]! * this.classes, cls);
      next = (viaFail < 0 ? ~viaFail : viaFail) / this.classes;
    }
    const entry = this.hasOutputs[next] === 1 ? ~(next * this.classes) : next * this.classes;
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
    const { classOf, transitions, outStart, outIds, lengths } = this;
    const classes = this.classes;
    let starts = new Int32Array(256);
    let ids = new Int32Array(256);
    let count = 0;
    let s = 0;
    const n = content.length;
    for (let i = 0; i < n; i++) {
      const next = transitions[s + classOf[content[i]!]!]!;
      if (next >= 0) {
        s = next;
        continue;
      }
      s = ~next;
      const state = s / classes;
      const to = outStart[state + 1]!;
      for (let k = outStart[state]!; k < to; k++) {
        if (count === starts.length) {
          starts = grow(starts);
          ids = grow(ids);
        }
        const id = outIds[k]!;
        starts[count] = i + 1 - lengths[id]!;
        ids[count++] = id;
      }
    }
    return { starts, ids, count };
  }

  /** The same loop, computing transitions on first use (small inputs: building the whole table would cost more). */
  private scanLazy(content: Uint8Array): KeywordHits {
    const { classOf, transitions, outStart, outIds, lengths } = this;
    const classes = this.classes;
    let starts = new Int32Array(64);
    let ids = new Int32Array(64);
    let count = 0;
    let s = 0;
    const n = content.length;
    for (let i = 0; i < n; i++) {
      const cls = classOf[content[i]!]!;
      let next = transitions[s + cls]!;
      if (next === UNKNOWN) next = this.resolve(s, cls);
      if (next >= 0) {
        s = next;
        continue;
      }
      s = ~next;
      const state = s / classes;
      const to = outStart[state + 1]!;
      for (let k = outStart[state]!; k < to; k++) {
        if (count === starts.length) {
          starts = grow(starts);
          ids = grow(ids);
        }
        const id = outIds[k]!;
        starts[count] = i + 1 - lengths[id]!;
        ids[count++] = id;
      }
    }
    return { starts, ids, count };
  }

  /** Bytes scanned so far with a partly computed table. */
  private bytesScanned = 0;
  /** Whether every transition is computed (then the hot loop skips the UNKNOWN check). */
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
