/** Keyword occurrences found by a keyword scan; only the first `count` entries are valid. */
export interface KeywordHits {
  /** Byte offset (from 0) where each occurrence starts. */
  starts: Int32Array;
  /** Index into the scanner's keywords of each occurrence. */
  ids: Int32Array;
  count: number;
}

/** Keyword occurrences as a scan collects them, in arrays that grow by doubling. */
export class HitList implements KeywordHits {
  starts = new Int32Array(256);
  ids = new Int32Array(256);
  count = 0;

  /** Adds `other`'s hits after these. */
  append(other: HitList): void {
    const count = this.count + other.count;
    if (count > this.starts.length) {
      let size = this.starts.length;
      while (size < count) size *= 2;
      this.starts = grow(this.starts, size);
      this.ids = grow(this.ids, size);
    }
    this.starts.set(other.starts.subarray(0, other.count), this.count);
    this.ids.set(other.ids.subarray(0, other.count), this.count);
    this.count = count;
  }

  push(start: number, id: number): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts);
      this.ids = grow(this.ids);
    }
    this.starts[this.count] = start;
    this.ids[this.count++] = id;
  }
}

/** What an automaton state outputs: the keywords ending in state k are ids[start[k] .. start[k + 1]), each `lengths[id]` bytes long. */
export interface StateOutputs {
  start: Int32Array;
  ids: Int32Array;
  lengths: Int32Array;
}

/** Adds to `hits` every keyword that ends in `state`, its last byte just before offset `end`. */
export function pushOutputs(hits: HitList, outputs: StateOutputs, state: number, end: number): void {
  const to = outputs.start[state + 1]!;
  for (let k = outputs.start[state]!; k < to; k++) {
    const id = outputs.ids[k]!;
    hits.push(end - outputs.lengths[id]!, id);
  }
}

/** A copy of `array` with room for `size` entries (twice its own by default). */
function grow(array: Int32Array<ArrayBuffer>, size = array.length * 2): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(array);
  return out;
}
