import type { KeywordHits, StateOutputs } from './hit-list.js';
import { moduleWithOneFunction, Op, sleb, uleb, VOID } from './wasm-assembler.js';

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
 * Memory holds no more input than one block per chain: each call of the loop steps every chain
 * through `block` bytes copied in for it (padded past the end of its part with a byte in no keyword,
 * which leads to the root, which outputs nothing), and writes the start and keyword id of each
 * occurrence it finds.
 *
 * Over bench/make-tree.mjs's tree (62 MB) a spike of this loop took 74 ms against 178 ms for the
 * JavaScript two-chain loop (3 chains; 2 took 94 ms, 4 took 77 ms).
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
  /** Chain k's input block at input + k * block. */
  input: number;
  /** Chain k's found starts at found + k * cap * 4, their keyword ids `idsAfter` bytes further. */
  found: number;
  idsAfter: number;
  /** Found occurrences one chain can write in one call: block * the most outputs of one state. */
  cap: number;
  /** Where the loop leaves chain k's state (at + 8k) and the end of its found starts (at + 8k + 4). */
  state: number;
  bytes: number;
}

/** Hits collected over the calls of one scan (arrays kept between scans, grown by doubling). */
class ChainHits {
  starts = new Int32Array(1024);
  ids = new Int32Array(1024);
  count = 0;

  add(starts: Int32Array, ids: Int32Array): void {
    const count = this.count + starts.length;
    if (count > this.starts.length) {
      let size = this.starts.length;
      while (size < count) size *= 2;
      const more = { starts: new Int32Array(size), ids: new Int32Array(size) };
      more.starts.set(this.starts.subarray(0, this.count));
      more.ids.set(this.ids.subarray(0, this.count));
      this.starts = more.starts;
      this.ids = more.ids;
    }
    this.starts.set(starts, this.count);
    this.ids.set(ids, this.count);
    this.count = count;
  }
}

export class WasmDfa {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  private readonly chains = Array.from({ length: CHAINS }, () => new ChainHits());
  /** The chains' hits one after the other: what scan returns, overwritten by the next scan. */
  private readonly all = new ChainHits();

  private constructor(
    private readonly run: (...args: number[]) => void,
    memory: ArrayBuffer,
    private readonly layout: Layout,
    private readonly block: number,
    /** A byte of class 0 (in no keyword), for padding. */
    private readonly pad: number,
    /** How many bytes before its part a chain starts: the longest keyword's length less one. */
    private readonly overlap: number,
  ) {
    this.words = new Int32Array(memory);
    this.bytes = new Uint8Array(memory);
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
      const instance = new api.Instance(new api.Module(loopModule(tables.classes * 4, layout)), {});
      const { scan, memory } = instance.exports;
      if (typeof scan !== 'function' || !isMemory(memory)) return undefined;
      const dfa = new WasmDfa(scan as (...args: number[]) => void, memory.buffer, layout, block, pad, Math.max(1, tables.maxLength) - 1);
      dfa.bytes.set(tables.classOf, layout.classOf);
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
    const { block, bytes, words, layout, chains } = this;
    /** Part k is [bound[k], bound[k + 1]); chain k has read up to at[k]. */
    const bound: number[] = [];
    for (let k = 0; k <= CHAINS; k++) bound.push(Math.floor((k * n) / CHAINS));
    const at: number[] = [];
    const states: number[] = [];
    for (let k = 0; k < CHAINS; k++) {
      at.push(Math.max(0, bound[k]! - this.overlap));
      states.push(0);
      chains[k]!.count = 0;
    }
    const args = new Array<number>(1 + 5 * CHAINS);
    for (;;) {
      let steps = 0;
      for (let k = 0; k < CHAINS; k++) steps = Math.max(steps, Math.min(block, bound[k + 1]! - at[k]!));
      if (steps <= 0) break;
      args[0] = steps;
      for (let k = 0; k < CHAINS; k++) {
        const into = layout.input + k * block;
        const take = Math.max(0, Math.min(steps, bound[k + 1]! - at[k]!));
        bytes.set(content.subarray(at[k]!, at[k]! + take), into);
        if (take < steps) bytes.fill(this.pad, into + take, into + steps);
        args[1 + k] = into;
        args[1 + CHAINS + k] = layout.found + k * layout.cap * 4;
        args[1 + 2 * CHAINS + k] = states[k]!;
        // Record only what ends in the part: from the step reading byte bound[k] - 1 + 1 on.
        args[1 + 3 * CHAINS + k] = into + Math.max(0, bound[k]! - at[k]!);
        // A keyword read in the step at input pointer p ends at content offset p + 1 - into + at[k].
        args[1 + 4 * CHAINS + k] = at[k]! + 1 - into;
      }
      this.run(...args);
      for (let k = 0; k < CHAINS; k++) {
        states[k] = words[(layout.state + 8 * k) >> 2]!;
        const from = (layout.found + k * layout.cap * 4) >> 2;
        const to = words[((layout.state + 8 * k) >> 2) + 1]! >> 2;
        if (to > from) chains[k]!.add(words.subarray(from, to), words.subarray(from + layout.idsAfter / 4, to + layout.idsAfter / 4));
        at[k] = Math.min(bound[k + 1]!, at[k]! + steps);
      }
    }
    let total = 0;
    for (const chain of chains) total += chain.count;
    const all = this.all;
    all.count = 0;
    for (const chain of chains) all.add(chain.starts.subarray(0, chain.count), chain.ids.subarray(0, chain.count));
    return { starts: all.starts, ids: all.ids, count: total };
  }
}

function makeLayout(tables: DfaTables, block: number, mostOutputs: number): Layout {
  const { start, ids, lengths } = tables.outputs;
  const classOf = 0;
  const table = 256;
  const outStart = align(table + tables.transitions.length * 4);
  const outIds = align(outStart + start.length * 4);
  const lengthsAt = align(outIds + ids.length * 4);
  const input = align(lengthsAt + lengths.length * 4);
  const found = align(input + CHAINS * block);
  const cap = block * mostOutputs;
  const idsAfter = CHAINS * cap * 4;
  const state = found + 2 * idsAfter;
  return { classOf, table, outStart, outIds, lengths: lengthsAt, input, found, idsAfter, cap, state, bytes: state + 8 * CHAINS };
}

function align(offset: number): number {
  return Math.ceil(offset / 16) * 16;
}

function isMemory(value: unknown): value is { buffer: ArrayBuffer } {
  return typeof value === 'object' && value !== null && (value as { buffer?: unknown }).buffer instanceof ArrayBuffer;
}

/**
 * The module: its memory (layout.bytes, rounded up to pages) and one function
 * `scan(steps, input_k.., found_k.., state_k.., from_k.., shift_k..)` (k = 0 .. CHAINS - 1), which
 * steps each chain k `steps` times from input pointer input_k in state state_k (a byte offset into
 * the table). At each step that reaches a state with outputs, when input_k >= from_k, it writes for
 * each keyword there its start (input_k + shift_k - its length) at found_k and its id `idsAfter`
 * bytes further, and moves found_k on. It leaves each chain's state and found_k at `state + 8k`.
 * `rowBytes` (classes * 4) turns a state's table offset into its number.
 */
function loopModule(rowBytes: number, layout: Layout): Uint8Array {
  const C = CHAINS;
  const steps = 0;
  const input = (k: number): number => 1 + k;
  const found = (k: number): number => 1 + C + k;
  const state = (k: number): number => 1 + 2 * C + k;
  const from = (k: number): number => 1 + 3 * C + k;
  const shift = (k: number): number => 1 + 4 * C + k;
  const next = (k: number): number => 1 + 5 * C + k;
  const out = 1 + 6 * C; // the state's next output index
  const outEnd = out + 1;
  const get = (local: number): number[] => [Op.localGet, ...uleb(local)];
  const set = (local: number): number[] => [Op.localSet, ...uleb(local)];
  const i32 = (value: number): number[] => [Op.i32Const, ...sleb(value)];
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
    code.push(...get(input(k)), ...get(from(k)), Op.i32GeU, Op.if, VOID);
    // out .. outEnd = outStart[state / rowBytes] .. outStart[state / rowBytes + 1]
    code.push(...get(state(k)), ...i32(rowBytes), Op.i32DivU, ...i32(2), Op.i32Shl, Op.localTee, ...uleb(out));
    code.push(Op.i32Load, 2, ...uleb(layout.outStart + 4), ...set(outEnd));
    code.push(...get(out), Op.i32Load, 2, ...uleb(layout.outStart), ...set(out));
    code.push(Op.block, VOID, Op.loop, VOID, ...get(out), ...get(outEnd), Op.i32GeU, Op.brIf, 1);
    // id = outIds[out]; found[..] = input + shift - lengths[id]; ids[..] = id
    code.push(...get(found(k)), ...get(input(k)), ...get(shift(k)), Op.i32Add);
    code.push(...get(out), ...i32(2), Op.i32Shl, Op.i32Load, 2, ...uleb(layout.outIds), ...i32(2), Op.i32Shl, Op.i32Load, 2, ...uleb(layout.lengths));
    code.push(Op.i32Sub, Op.i32Store, 2, ...uleb(0));
    code.push(...get(found(k)), ...get(out), ...i32(2), Op.i32Shl, Op.i32Load, 2, ...uleb(layout.outIds), Op.i32Store, 2, ...uleb(layout.idsAfter));
    code.push(...get(found(k)), ...i32(4), Op.i32Add, ...set(found(k)));
    code.push(...get(out), ...i32(1), Op.i32Add, ...set(out), Op.br, 0, Op.end, Op.end);
    code.push(Op.end); // if input_k >= from_k
    code.push(Op.end); // if next_k > 0 … else
    code.push(...get(input(k)), ...i32(1), Op.i32Add, ...set(input(k)));
  }
  code.push(...get(steps), ...i32(1), Op.i32Sub, ...set(steps), Op.br, 0, Op.end, Op.end);
  for (let k = 0; k < C; k++) {
    code.push(...i32(layout.state + 8 * k), ...get(state(k)), Op.i32Store, 2, ...uleb(0));
    code.push(...i32(layout.state + 8 * k), ...get(found(k)), Op.i32Store, 2, ...uleb(4));
  }
  return moduleWithOneFunction({ name: 'scan', params: 1 + 5 * C, locals: C + 2, code }, Math.ceil(layout.bytes / 65536));
}
