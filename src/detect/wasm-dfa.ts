import { HitList, type KeywordHits, type StateOutputs } from './hit-list.js';
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
 * which leads to the root, which outputs nothing), and writes the start, keyword id and line (newlines
 * so far in the part) of each occurrence it finds, and the offset of each newline (see KeywordHits).
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
   * goes (+ 4) and its next newline (+ 8), its line (+ 12), the input pointer from which it records
   * (+ 16), and what turns an input pointer into the content offset after it (+ 20). Kept in
   * memory, not in locals: the hot loop then keeps only its own values in registers.
   */
  state: number;
  bytes: number;
}

export class WasmDfa {
  private readonly words: Int32Array;
  private readonly bytes: Uint8Array;
  /** Each chain's hits (lines counted from its part's start), kept between scans. */
  private readonly chains = Array.from({ length: CHAINS }, () => new HitList());
  /** The chains' hits one after the other: what scan returns, overwritten by the next scan. */
  private readonly all = new HitList();

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
      const instance = new api.Instance(new api.Module(loopModule(tables.classes * 4, tables.outputs.newlineId, layout)), {});
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
    const lines: number[] = [];
    for (let k = 0; k < CHAINS; k++) {
      at.push(Math.max(0, bound[k]! - this.overlap));
      states.push(0);
      lines.push(0);
      chains[k]!.clear();
    }
    const args = new Array<number>(1 + 2 * CHAINS);
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
        args[1 + CHAINS + k] = states[k]!;
        const slot = (layout.state + 32 * k) >> 2;
        words[slot + 1] = layout.found + k * layout.cap * 4;
        words[slot + 2] = layout.newlines + k * block * 4;
        words[slot + 3] = lines[k]!;
        // Record only what ends in the part: from the step reading byte bound[k] on.
        words[slot + 4] = into + Math.max(0, bound[k]! - at[k]!);
        // A keyword read in the step at input pointer p ends at content offset p + 1 - into + at[k].
        words[slot + 5] = at[k]! + 1 - into;
      }
      this.run(...args);
      for (let k = 0; k < CHAINS; k++) {
        const slot = (layout.state + 32 * k) >> 2;
        states[k] = words[slot]!;
        lines[k] = words[slot + 3]!;
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
        at[k] = Math.min(bound[k + 1]!, at[k]! + steps);
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
  const input = align(lengthsAt + lengths.length * 4);
  const found = align(input + CHAINS * block);
  const cap = block * mostOutputs;
  const idsAfter = CHAINS * cap * 4;
  const linesAfter = 2 * idsAfter;
  const newlines = found + 3 * idsAfter;
  const state = newlines + CHAINS * block * 4;
  return { classOf, table, outStart, outIds, lengths: lengthsAt, input, found, idsAfter, linesAfter, cap, newlines, state, bytes: state + 32 * CHAINS };
}

function align(offset: number): number {
  return Math.ceil(offset / 16) * 16;
}

function isMemory(value: unknown): value is { buffer: ArrayBuffer } {
  return typeof value === 'object' && value !== null && (value as { buffer?: unknown }).buffer instanceof ArrayBuffer;
}

/**
 * The module: its memory (layout.bytes, rounded up to pages) and one function
 * `scan(steps, input_k.., state_k..)` (k = 0 .. CHAINS - 1), which steps each chain k `steps` times
 * from input pointer input_k in state state_k (a byte offset into the table). At each step that
 * reaches a state with outputs, when input_k is at least the slot's `from` (see Layout.state), it
 * writes for each keyword there: for "\n" (id `newlineId`), its offset (input_k + shift - 1) at the
 * slot's newline pointer, moving that on and counting the slot's line up; for any other, its start
 * (input_k + shift - its length) at the slot's found pointer, its id `idsAfter` bytes further and
 * the line `linesAfter` bytes further, moving the found pointer on. It leaves each chain's state in
 * its slot. `rowBytes` (classes * 4) turns a state's table offset into its number.
 */
function loopModule(rowBytes: number, newlineId: number, layout: Layout): Uint8Array {
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
  const slot = (k: number, field: 'found' | 'newline' | 'line' | 'from' | 'shift'): number =>
    layout.state + 32 * k + { found: 4, newline: 8, line: 12, from: 16, shift: 20 }[field];
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
    code.push(...get(input(k)), ...load(slot(k, 'from')), Op.i32GeU, Op.if, VOID);
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
    code.push(Op.end); // if input_k >= from
    code.push(Op.end); // if next_k > 0 … else
    code.push(...get(input(k)), ...i32(1), Op.i32Add, ...set(input(k)));
  }
  code.push(...get(steps), ...i32(1), Op.i32Sub, ...set(steps), Op.br, 0, Op.end, Op.end);
  for (let k = 0; k < C; k++) code.push(...store(layout.state + 32 * k, get(state(k))));
  return moduleWithOneFunction({ name: 'scan', params: 1 + 2 * C, locals: C + 4, code }, Math.ceil(layout.bytes / 65536));
}
