/**
 * Keyword occurrences found by a keyword scan; only the first `count` entries (and `newlineCount`
 * newlines) are valid. Line ends are reported apart from the hits: when "\n" is one of the scanner's
 * keywords, its occurrences are not hits but `newlines`, and each hit carries its line.
 */
export interface KeywordHits {
  /** Byte offset (from 0) where each occurrence starts. */
  starts: Int32Array;
  /** Index into the scanner's keywords of each occurrence. */
  ids: Int32Array;
  /** The 0-based line of each occurrence: how many newlines come before it. */
  lines: Int32Array;
  count: number;
  /** Byte offset of each newline, ascending (none when "\n" is not a keyword). */
  newlines: Int32Array;
  newlineCount: number;
}

/** Keyword occurrences and newlines as a scan collects them, in arrays that grow by doubling. */
export class HitList implements KeywordHits {
  starts = new Int32Array(256);
  ids = new Int32Array(256);
  lines = new Int32Array(256);
  count = 0;
  newlines = new Int32Array(256);
  newlineCount = 0;

  /** Adds `other`'s hits and newlines after these (`other` scanned the bytes right after these: its lines count on from these). */
  append(other: HitList): void {
    const count = other.count;
    this.addBlock(other.starts.subarray(0, count), other.ids.subarray(0, count), other.lines.subarray(0, count), other.newlines.subarray(0, other.newlineCount), this.newlineCount);
  }

  /** Empties the list, keeping its arrays. */
  clear(): void {
    this.count = 0;
    this.newlineCount = 0;
  }

  /** Adds hits, their lines plus `lineShift`, and newlines, in bulk. */
  addBlock(starts: Int32Array, ids: Int32Array, lines: Int32Array, newlines: Int32Array, lineShift = 0): void {
    const from = this.count;
    const count = from + starts.length;
    if (count > this.starts.length) {
      const size = doubledTo(this.starts.length, count);
      this.starts = grow(this.starts, size);
      this.ids = grow(this.ids, size);
      this.lines = grow(this.lines, size);
    }
    this.starts.set(starts, from);
    this.ids.set(ids, from);
    this.lines.set(lines, from);
    if (lineShift !== 0) for (let i = from; i < count; i++) this.lines[i]! += lineShift;
    this.count = count;
    const newlineCount = this.newlineCount + newlines.length;
    if (newlineCount > this.newlines.length) this.newlines = grow(this.newlines, doubledTo(this.newlines.length, newlineCount));
    this.newlines.set(newlines, this.newlineCount);
    this.newlineCount = newlineCount;
  }

  push(start: number, id: number): void {
    if (this.count === this.starts.length) {
      this.starts = grow(this.starts);
      this.ids = grow(this.ids);
      this.lines = grow(this.lines);
    }
    this.starts[this.count] = start;
    this.lines[this.count] = this.newlineCount;
    this.ids[this.count++] = id;
  }

  pushNewline(at: number): void {
    if (this.newlineCount === this.newlines.length) this.newlines = grow(this.newlines);
    this.newlines[this.newlineCount++] = at;
  }
}

/** What an automaton state outputs: the keywords ending in state k are ids[start[k] .. start[k + 1]), each `lengths[id]` bytes long. */
export interface StateOutputs {
  start: Int32Array;
  ids: Int32Array;
  lengths: Int32Array;
  /** The id of the keyword "\n" (reported as a newline, not a hit); -1 when it is not a keyword. */
  newlineId: number;
}

/** Adds to `hits` every keyword that ends in `state`, its last byte just before offset `end`. */
export function pushOutputs(hits: HitList, outputs: StateOutputs, state: number, end: number): void {
  const to = outputs.start[state + 1]!;
  for (let k = outputs.start[state]!; k < to; k++) {
    const id = outputs.ids[k]!;
    if (id === outputs.newlineId) hits.pushNewline(end - 1);
    else hits.push(end - outputs.lengths[id]!, id);
  }
}

/** The first of size, size * 2, size * 4, … that is at least `least`. */
function doubledTo(size: number, least: number): number {
  let out = size;
  while (out < least) out *= 2;
  return out;
}

/** A copy of `array` with room for `size` entries (twice its own by default). */
function grow(array: Int32Array<ArrayBuffer>, size = array.length * 2): Int32Array<ArrayBuffer> {
  const out = new Int32Array(size);
  out.set(array);
  return out;
}
