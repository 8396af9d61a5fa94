import { BASE64_BYTE, MIN_BASE64_RUN, VALUE_START } from './decode.js';
import { HitList, type KeywordHits, type StateOutputs } from './hit-list.js';
import { type FunctionSpec, moduleWithFunctions, Op, sleb, uleb, VOID } from './wasm-assembler.js';

/**
 * The keyword scanner's hot loop (a complete Aho-Corasick DFA over byte classes) in WebAssembly.
 *
 * Each step of the loop waits on the table load of the step before it, so one chain of steps
 * leaves the CPU idle most of the time. The input is cut into CHAINS parts scanned at once, each
 * its own chain of steps in one loop. Part k covers [b_k, b_{k+1}) with b_k = floor(k * n /
 * CHAINS); its chain starts from the root `maxLength - 1` bytes before b_k (so it sees whole any
 * keyword that ends in its part) and records only the keywords that end in its part. The parts'
 * hits, one after the other, are then in order of where they end, as the JavaScript loops give them.
 *
 * The content is copied into the module's memory once per scan (padded past its end with a byte in
 * no keyword, which leads to the root, which outputs nothing). Each call of the loop steps every
 * chain through `block` bytes (a chain that reaches the end of its part reads on into the next and
 * records nothing there), and writes the start, keyword id and line (newlines so far in the part)
 * of each occurrence it finds, and the offset of each newline (see KeywordHits). While the content
 * is there, the module also finds its base64 runs (see base64Runs in decode.ts).
 *
 * Over bench/make-tree.mjs's tree (62 MB) a keyword scan of every file takes about 100 ms this way
 * (copying included) against 178 ms with the JavaScript two-chain loop (3 chains measured as fast as
 * 4, and 2 about 15% slower).
 */

/** How many chains run at once (3 measured fastest of 1 to 4 on this project's machines). */
export const CHAINS = 3;
/** Bytes each chain steps through per call into WebAssembly. */
export const DEFAULT_BLOCK = 16 * 1024;

/** The complete DFA the loop runs. */
export interface DfaTables {
  /** Byte value to its class (ASCII letters folded); 256 entries. */
  classOf: Uint8Array;
  classes: number;
  /**
   * Every transition, as KeywordScanner keeps them: for state s and class c, entry
   * transitions[s * classes + c] = p + 1 when the next state n (p = n * classes) outputs nothing, ~p when it does.
   */
  transitions: Int32Array;
  outputs: StateOutputs;
  /** The longest keyword's byte length. */
  maxLength: number;
}

/** What the WebAssembly API gives (declared here: @types/node for Node 20 does not declare it). */
interface WasmApi {
  Module: new (bytes: Uint8Array) => object;
  Instance: new (module: object, imports: object) => { exports: Record<string, unknown> };
}

/** Where things are in the module's memory (byte offsets). */
interface Layout {
  /** The class of each byte value (256 bytes). */
  classOf: number;
  /** The transition table: entries as DfaTables.transitions, pre-multiplied by 4 (byte offsets from here). */
  table: number;
  /** outputs.start, outputs.ids, outputs.lengths (i32 each). */
  outStart: number;
  outIds: number;
  lengths: number;
  /** BASE64_BYTE and VALUE_START of decode.ts (256 bytes each). */
  base64Byte: number;
  valueStart: number;
  /** Chain k's found starts at found + k * cap * 4, their keyword ids `idsAfter` bytes further, their lines `linesAfter` bytes further. */
  found: number;
  idsAfter: number;
  linesAfter: number;
  /** Found occurrences one chain can write in one call: block * the most outputs of one state. */
  cap: number;
  /** Chain k's newline offsets at newlines + k * block * 4. */
  newlines: number;
  /**
   * Chain k's slot, at state + 32k: its state (+ 0, left by the loop), where its next found start
   * goes (+ 4) and its next newline (+ 8), its line (+ 12), the input pointer of its part's first
   * byte (+ 16) and its part's length (+ 24: the loop records only in the part), and what turns an
   * input pointer into the content offset after it (+ 20). Kept in memory, not in locals: the hot
   * loop then keeps only its own values in registers.
   */
  state: number;
  /** Where the content goes (it grows the memory as needed, then base64 runs follow it: see contentRoom). */
  content: number;
}

/**
 * Padding after the content. A chain reads on past its part by as many bytes as the longest part
 * is longer than its own; parts differ by at most one byte beyond the overlap, which the last part
 * (the one that ends at the content's end) has, so no chain reads more than a byte past the end.
 */
const CONTENT_PAD = 64;

/** Bytes after `content` for a content of `length` bytes: itself, CONTENT_PAD, and the most base64 runs it can hold (two i32 each). */
function contentRoom(length: number): number {
  return align(length + CONTENT_PAD) + (Math.floor(length / (MIN_BASE64_RUN + 1)) + 1) * 8;
}

export class WasmDfa {
  private words: Int32Array;
  private bytes: Uint8Array;
  /** The content scanned last (in memory at layout.content), for base64Runs. */
  private resident: Uint8Array | undefined;
  /** Each chain's hits (lines counted from its part's start), kept between scans. */
  private readonly chains = Array.from({ length: CHAINS }, () => new HitList());
  /** The chains' hits one after the other: what scan returns, overwritten by the next scan. */
  private readonly all = new HitList();

  private constructor(
    private readonly run: (...args: number[]) => void,
    private readonly findBase64: (content: number, length: number, out: number) => number,
    private readonly memory: { buffer: ArrayBuffer; grow(pages: number): number },
    private readonly layout: Layout,
    private readonly block: number,
    /** A byte of class 0 (in no keyword), for padding. */
    private readonly pad: number,
    /** How many bytes before its part a chain starts: the longest keyword's length less one. */
    private readonly overlap: number,
  ) {
    this.words = new Int32Array(memory.buffer);
    this.bytes = new Uint8Array(memory.buffer);
  }

  /** Copies `content` into memory (growing it when needed), padded, and makes it resident. */
  private load(content: Uint8Array): void {
    const need = this.layout.content + contentRoom(content.length);
    if (need > this.memory.buffer.byteLength) {
      this.memory.grow(Math.ceil((need - this.memory.buffer.byteLength) / 65536));
      this.words = new Int32Array(this.memory.buffer);
      this.bytes = new Uint8Array(this.memory.buffer);
    }
    const at = this.layout.content;
    this.bytes.set(content, at);
    this.bytes.fill(this.pad, at + content.length, at + content.length + CONTENT_PAD);
    this.resident = content;
  }

  /**
   * The base64 runs of `content` (as base64Runs in decode.ts gives them) when it is the content
   * this module scanned last, unchanged in length; undefined for any other.
   */
  base64Runs(content: Uint8Array): [number, number][] | undefined {
    if (content !== this.resident || content.length !== this.resident.length) return undefined;
    const out = this.layout.content + align(content.length + CONTENT_PAD);
    const count = this.findBase64(this.layout.content, content.length, out);
    const runs: [number, number][] = [];
    const words = this.words;
    for (let r = out >> 2, end = r + 2 * count; r < end; r += 2) runs.push([words[r]!, words[r + 1]!]);
    return runs;
  }

  /**
   * The loop for `tables`, ready to scan; undefined where WebAssembly is unavailable (node --jitless)
   * or every byte value is in some keyword (no padding byte), and the caller then scans in JavaScript.
   * `block` (bytes per chain per call) is for tests, which make it small to cross many blocks.
   */
  static create(tables: DfaTables, block = DEFAULT_BLOCK): WasmDfa | undefined {
    const api = (globalThis as { WebAssembly?: WasmApi }).WebAssembly;
    const pad = tables.classOf.indexOf(0);
    if (!api || pad < 0) return undefined;
    const { start, ids, lengths } = tables.outputs;
    let most = 1;
    for (let s = 0; s + 1 < start.length; s++) most = Math.max(most, start[s + 1]! - start[s]!);
    const layout = makeLayout(tables, block, most);
    try {
      const instance = new api.Instance(new api.Module(dfaModule(tables.classes * 4, tables.outputs.newlineId, layout)), {});
      const { scan, base64, memory } = instance.exports;
      if (typeof scan !== 'function' || typeof base64 !== 'function' || !isMemory(memory)) return undefined;
      const dfa = new WasmDfa(scan as (...args: number[]) => void, base64 as (content: number, length: number, out: number) => number, memory, layout, block, pad, Math.max(1, tables.maxLength) - 1);
      dfa.bytes.set(tables.classOf, layout.classOf);
      dfa.bytes.set(BASE64_BYTE, layout.base64Byte);
      dfa.bytes.set(VALUE_START, layout.valueStart);
      const table = new Int32Array(memory.buffer, layout.table, tables.transitions.length);
      const from = tables.transitions;
      for (let k = 0; k < from.length; k++) {
        const entry = from[k]!;
        table[k] = entry > 0 ? (entry - 1) * 4 + 1 : ~(~entry * 4);
      }
      new Int32Array(memory.buffer, layout.outStart, start.length).set(start);
      new Int32Array(memory.buffer, layout.outIds, ids.length).set(ids);
      new Int32Array(memory.buffer, layout.lengths, lengths.length).set(lengths);
      return dfa;
    } catch {
      return undefined;
    }
  }

  /**
   * Every keyword occurrence in `content`, in order of where it ends (as KeywordScanner.scan), in
   * arrays that the next scan overwrites (not allocating them per scan saves a tenth of this).
   */
  scan(content: Uint8Array): KeywordHits {
    const n = content.length;
    this.load(content);
    const { block, words, layout, chains } = this;
    /** Part k is [bound[k], bound[k + 1]); chain k has read up to at[k]. */
    const bound: number[] = [];
    for (let k = 0; k <= CHAINS; k++) bound.push(Math.floor((k * n) / CHAINS));
    const at: number[] = [];
    const states: number[] = [];
    for (let k = 0; k < CHAINS; k++) {
      at.push(Math.max(0, bound[k]! - this.overlap));
      states.push(0);
      chains[k]!.clear();
      const slot = (layout.state + 32 * k) >> 2;
      words[slot + 3] = 0;
      words[slot + 4] = layout.content + bound[k]!;
      // A keyword read in the step at input pointer p ends at content offset p + 1 - layout.content.
      words[slot + 5] = 1 - layout.content;
      words[slot + 6] = bound[k + 1]! - bound[k]!;
    }
    const args = new Array<number>(1 + 2 * CHAINS);
    for (;;) {
      let steps = 0;
      for (let k = 0; k < CHAINS; k++) steps = Math.max(steps, Math.min(block, bound[k + 1]! - at[k]!));
      if (steps <= 0) break;
      args[0] = steps;
      for (let k = 0; k < CHAINS; k++) {
        args[1 + k] = layout.content + at[k]!;
        args[1 + CHAINS + k] = states[k]!;
        const slot = (layout.state + 32 * k) >> 2;
        words[slot + 1] = layout.found + k * layout.cap * 4;
        words[slot + 2] = layout.newlines + k * block * 4;
      }
      this.run(...args);
      for (let k = 0; k < CHAINS; k++) {
        const slot = (layout.state + 32 * k) >> 2;
        states[k] = words[slot]!;
        const from = (layout.found + k * layout.cap * 4) >> 2;
        const to = words[slot + 1]! >> 2;
        const ids = layout.idsAfter >> 2;
        const lineAt = layout.linesAfter >> 2;
        const newlinesFrom = (layout.newlines + k * block * 4) >> 2;
        chains[k]!.addBlock(
          words.subarray(from, to),
          words.subarray(from + ids, to + ids),
          words.subarray(from + lineAt, to + lineAt),
          words.subarray(newlinesFrom, words[slot + 2]! >> 2),
        );
        at[k] = at[k]! + steps;
      }
    }
    const all = this.all;
    all.clear();
    for (const chain of chains) all.append(chain);
    return all;
  }
}

function makeLayout(tables: DfaTables, block: number, mostOutputs: number): Layout {
  const { start, ids, lengths } = tables.outputs;
  const classOf = 0;
  const table = 256;
  const outStart = align(table + tables.transitions.length * 4);
  const outIds = align(outStart + start.length * 4);
  const lengthsAt = align(outIds + ids.length * 4);
  const base64Byte = align(lengthsAt + lengths.length * 4);
  const valueStart = base64Byte + 256;
  const found = valueStart + 256;
  const cap = block * mostOutputs;
  const idsAfter = CHAINS * cap * 4;
  const linesAfter = 2 * idsAfter;
  const newlines = found + 3 * idsAfter;
  const state = newlines + CHAINS * block * 4;
  return { classOf, table, outStart, outIds, lengths: lengthsAt, base64Byte, valueStart, found, idsAfter, linesAfter, cap, newlines, state, content: align(state + 32 * CHAINS) };
}

function align(offset: number): number {
  return Math.ceil(offset / 16) * 16;
}

function isMemory(value: unknown): value is { buffer: ArrayBuffer; grow(pages: number): number } {
  return typeof value === 'object' && value !== null && (value as { buffer?: unknown }).buffer instanceof ArrayBuffer && typeof (value as { grow?: unknown }).grow === 'function';
}

/**
 * The function `scan(steps, input_k.., state_k..)` (k = 0 .. CHAINS - 1), which steps each chain k `steps` times
 * from input pointer input_k in state state_k (a byte offset into the table). At each step that
 * reaches a state with outputs, when input_k is at least the slot's `from` (see Layout.state), it
 * writes for each keyword there: for "\n" (id `newlineId`), its offset (input_k + shift - 1) at the
 * slot's newline pointer, moving that on and counting the slot's line up; for any other, its start
 * (input_k + shift - its length) at the slot's found pointer, its id `idsAfter` bytes further and
 * the line `linesAfter` bytes further, moving the found pointer on. It leaves each chain's state in
 * its slot. `rowBytes` (classes * 4) turns a state's table offset into its number.
 */
function loopFunction(rowBytes: number, newlineId: number, layout: Layout): FunctionSpec {
  const C = CHAINS;
  const steps = 0;
  const input = (k: number): number => 1 + k;
  const state = (k: number): number => 1 + C + k;
  const next = (k: number): number => 1 + 2 * C + k;
  const out = 1 + 3 * C; // the state's next output, as a byte offset into outIds
  const outEnd = out + 1;
  const id = out + 2;
  const at = out + 3; // a found or newline pointer
  /** The slot's fields (see Layout.state). */
  const slot = (k: number, field: 'found' | 'newline' | 'line' | 'from' | 'shift' | 'span'): number =>
    layout.state + 32 * k + { found: 4, newline: 8, line: 12, from: 16, shift: 20, span: 24 }[field];
  const get = (local: number): number[] => [Op.localGet, ...uleb(local)];
  const set = (local: number): number[] => [Op.localSet, ...uleb(local)];
  const i32 = (value: number): number[] => [Op.i32Const, ...sleb(value)];
  /** Pushes the i32 at a fixed address. */
  const load = (address: number): number[] => [...i32(0), Op.i32Load, 2, ...uleb(address)];
  /** Stores the i32 that `value` pushes at a fixed address. */
  const store = (address: number, value: number[]): number[] => [...i32(0), ...value, Op.i32Store, 2, ...uleb(address)];
  const code: number[] = [Op.block, VOID, Op.loop, VOID, ...get(steps), Op.i32Eqz, Op.brIf, 1];
  // Every chain's table load first, so that they are in flight together.
  for (let k = 0; k < C; k++) {
    // next_k = table[state_k + classOf[input byte] * 4]
    code.push(...get(state(k)), ...get(input(k)), Op.i32Load8u, 0, ...uleb(0), Op.i32Load8u, 0, ...uleb(layout.classOf));
    code.push(...i32(2), Op.i32Shl, Op.i32Add, Op.i32Load, 2, ...uleb(layout.table), ...set(next(k)));
  }
  for (let k = 0; k < C; k++) {
    code.push(...get(next(k)), ...i32(0), Op.i32GtS, Op.if, VOID);
    code.push(...get(next(k)), ...i32(1), Op.i32Sub, ...set(state(k)));
    code.push(Op.else);
    code.push(...get(next(k)), ...i32(-1), Op.i32Xor, ...set(state(k)));
    // In the part: input_k - from < span, unsigned.
    code.push(...get(input(k)), ...load(slot(k, 'from')), Op.i32Sub, ...load(slot(k, 'span')), Op.i32LtU, Op.if, VOID);
    // out .. outEnd = outStart[state / rowBytes] .. outStart[state / rowBytes + 1], as byte offsets
    code.push(...get(state(k)), ...i32(rowBytes), Op.i32DivU, ...i32(2), Op.i32Shl, Op.localTee, ...uleb(out));
    code.push(Op.i32Load, 2, ...uleb(layout.outStart + 4), ...i32(2), Op.i32Shl, ...set(outEnd));
    code.push(...get(out), Op.i32Load, 2, ...uleb(layout.outStart), ...i32(2), Op.i32Shl, ...set(out));
    code.push(Op.block, VOID, Op.loop, VOID, ...get(out), ...get(outEnd), Op.i32GeU, Op.brIf, 1);
    code.push(...get(out), Op.i32Load, 2, ...uleb(layout.outIds), Op.localTee, ...uleb(id), ...i32(newlineId), Op.i32Eq, Op.if, VOID);
    // A newline: newlines[..] = input + shift - 1; line + 1
    code.push(...load(slot(k, 'newline')), Op.localTee, ...uleb(at), ...get(input(k)), ...load(slot(k, 'shift')), Op.i32Add, ...i32(1), Op.i32Sub, Op.i32Store, 2, ...uleb(0));
    code.push(...store(slot(k, 'newline'), [...get(at), ...i32(4), Op.i32Add]));
    code.push(...store(slot(k, 'line'), [...load(slot(k, 'line')), ...i32(1), Op.i32Add]));
    code.push(Op.else);
    // found[..] = input + shift - lengths[id]; ids[..] = id; lines[..] = line
    code.push(...load(slot(k, 'found')), Op.localTee, ...uleb(at), ...get(input(k)), ...load(slot(k, 'shift')), Op.i32Add);
    code.push(...get(id), ...i32(2), Op.i32Shl, Op.i32Load, 2, ...uleb(layout.lengths), Op.i32Sub, Op.i32Store, 2, ...uleb(0));
    code.push(...get(at), ...get(id), Op.i32Store, 2, ...uleb(layout.idsAfter));
    code.push(...get(at), ...load(slot(k, 'line')), Op.i32Store, 2, ...uleb(layout.linesAfter));
    code.push(...store(slot(k, 'found'), [...get(at), ...i32(4), Op.i32Add]));
    code.push(Op.end); // if newline … else
    code.push(...get(out), ...i32(4), Op.i32Add, ...set(out), Op.br, 0, Op.end, Op.end);
    code.push(Op.end); // if in the part
    code.push(Op.end); // if next_k > 0 … else
    code.push(...get(input(k)), ...i32(1), Op.i32Add, ...set(input(k)));
  }
  code.push(...get(steps), ...i32(1), Op.i32Sub, ...set(steps), Op.br, 0, Op.end, Op.end);
  for (let k = 0; k < C; k++) code.push(...store(layout.state + 32 * k, get(state(k))));
  return { name: 'scan', params: 1 + 2 * C, locals: C + 4, code };
}

/**
 * `base64(content, length, out) -> count`: what base64Runs in decode.ts finds in the `length` bytes
 * at `content`, the same way (see there), as `count` pairs of i32 [start, end) offsets at `out`.
 */
function base64Function(layout: Layout): FunctionSpec {
  const [content, length, out, i, probe, start, end, lastEnd, count] = [0, 1, 2, 3, 4, 5, 6, 7, 8];
  const get = (local: number): number[] => [Op.localGet, local];
  const set = (local: number): number[] => [Op.localSet, local];
  const i32 = (value: number): number[] => [Op.i32Const, ...sleb(value)];
  /** Pushes whether the content byte at offset `at` (a local, plus `plus`) is in `table` (base64Byte or valueStart). */
  const inTable = (at: number, plus: number, table: number): number[] => [...get(content), ...get(at), Op.i32Add, ...(plus === 0 ? [] : [...i32(plus), Op.i32Add]), Op.i32Load8u, 0, 0, Op.i32Load8u, 0, ...uleb(table)];
  const isEquals = (at: number): number[] => [...get(content), ...get(at), Op.i32Add, Op.i32Load8u, 0, 0, ...i32(0x3d), Op.i32Eq];
  const increment = (local: number): number[] => [...get(local), ...i32(1), Op.i32Add, ...set(local)];
  const code: number[] = [
    Op.block, VOID, Op.loop, VOID, // depth 0: the next probe (continue), 1: done (break)
    // while (i + MIN <= length)
    ...get(i), ...i32(MIN_BASE64_RUN), Op.i32Add, ...get(length), Op.i32GtU, Op.brIf, 1,
    ...get(i), ...i32(MIN_BASE64_RUN - 1), Op.i32Add, ...set(probe),
    // A probe byte outside the alphabet: no run of MIN holds it; go on after it.
    ...inTable(probe, 0, layout.base64Byte), Op.i32Eqz, Op.if, VOID, ...get(probe), ...i32(1), Op.i32Add, ...set(i), Op.br, 1, Op.end,
    // start = probe; back while start > i and the byte before start is in the alphabet
    ...get(probe), ...set(start),
    Op.block, VOID, Op.loop, VOID,
    ...get(start), ...get(i), Op.i32LeU, Op.brIf, 1,
    ...inTable(start, -1, layout.base64Byte), Op.i32Eqz, Op.brIf, 1,
    ...get(start), ...i32(1), Op.i32Sub, ...set(start), Op.br, 0,
    Op.end, Op.end,
    // end = probe + 1; on while end < length and its byte is in the alphabet
    ...get(probe), ...i32(1), Op.i32Add, ...set(end),
    Op.block, VOID, Op.loop, VOID,
    ...get(end), ...get(length), Op.i32GeU, Op.brIf, 1,
    ...inTable(end, 0, layout.base64Byte), Op.i32Eqz, Op.brIf, 1,
    ...increment(end), Op.br, 0,
    Op.end, Op.end,
    ...get(end), ...set(i),
    ...get(end), ...get(start), Op.i32Sub, ...i32(MIN_BASE64_RUN), Op.i32LtU, Op.brIf, 0,
    // Standing alone as a value: at the start, or after a value-start byte that no run took.
    ...get(start), Op.if, VOID,
    ...inTable(start, -1, layout.valueStart), Op.i32Eqz, Op.brIf, 1,
    ...get(start), ...i32(1), Op.i32Sub, ...get(lastEnd), Op.i32LtU, Op.brIf, 1,
    Op.end,
    // Up to two `=` of padding.
    ...get(end), ...get(length), Op.i32LtU, Op.if, VOID, ...isEquals(end), Op.if, VOID, ...increment(end), Op.end, Op.end,
    ...get(end), ...get(length), Op.i32LtU, Op.if, VOID, ...isEquals(end), Op.if, VOID, ...increment(end), Op.end, Op.end,
    ...get(out), ...get(count), ...i32(3), Op.i32Shl, Op.i32Add, ...get(start), Op.i32Store, 2, 0,
    ...get(out), ...get(count), ...i32(3), Op.i32Shl, Op.i32Add, ...get(end), Op.i32Store, 2, 4,
    ...increment(count),
    ...get(end), ...set(lastEnd), ...get(end), ...set(i),
    Op.br, 0,
    Op.end, Op.end,
    ...get(count),
  ];
  return { name: 'base64', params: 3, returns: true, locals: 6, code };
}

/** The module: loopFunction's `scan` and base64Function's `base64`, and memory up to layout.content. */
function dfaModule(rowBytes: number, newlineId: number, layout: Layout): Uint8Array {
  return moduleWithFunctions([loopFunction(rowBytes, newlineId, layout), base64Function(layout)], Math.ceil(layout.content / 65536) + 1);
}
