/**
 * Just enough of the WebAssembly binary format to write one small module by hand: LEB128 numbers,
 * sections, and the i32 instructions the keyword scanner's loop uses. No toolchain is needed at
 * build or install time; the module is assembled at run time in well under a millisecond.
 *
 * Reference: the WebAssembly Core Specification, 5 (Binary Format).
 */

/** Unsigned LEB128. */
export function uleb(n: number): number[] {
  const out: number[] = [];
  let rest = n >>> 0;
  do {
    let byte = rest & 0x7f;
    rest >>>= 7;
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Signed LEB128 (for i32.const). */
export function sleb(n: number): number[] {
  const out: number[] = [];
  let rest = n | 0;
  for (;;) {
    const byte = rest & 0x7f;
    rest >>= 7;
    if ((rest === 0 && (byte & 0x40) === 0) || (rest === -1 && (byte & 0x40) !== 0)) {
      out.push(byte);
      return out;
    }
    out.push(byte | 0x80);
  }
}

/** A vector: its length, then its items' bytes. */
export function vec(items: readonly (readonly number[])[]): number[] {
  return [...uleb(items.length), ...items.flat()];
}

/** A section with its id and size. */
export function section(id: number, body: readonly number[]): number[] {
  return [id, ...uleb(body.length), ...body];
}

/** A name (UTF-8, ASCII here). */
export function name(text: string): number[] {
  return [...uleb(text.length), ...Array.from(text, (c) => c.charCodeAt(0))];
}

/** The value type i32, and an empty block type. */
export const I32 = 0x7f;
export const VOID = 0x40;

/** Opcodes used here (i32 only; loads and stores take an alignment exponent and an offset after them). */
export const Op = {
  block: 0x02,
  loop: 0x03,
  if: 0x04,
  else: 0x05,
  end: 0x0b,
  br: 0x0c,
  brIf: 0x0d,
  localGet: 0x20,
  localSet: 0x21,
  localTee: 0x22,
  i32Load: 0x28,
  i32Load8u: 0x2d,
  i32Store: 0x36,
  i32Const: 0x41,
  i32Eqz: 0x45,
  i32Eq: 0x46,
  i32Ne: 0x47,
  i32LtS: 0x48,
  i32LtU: 0x49,
  i32GtS: 0x4a,
  i32GtU: 0x4b,
  i32LeU: 0x4d,
  i32GeU: 0x4f,
  i32DivU: 0x6e,
  i32Add: 0x6a,
  i32Sub: 0x6b,
  i32Shl: 0x74,
  i32Xor: 0x73,
} as const;

/** A function of i32 params (and an i32 result when `returns`), `locals` more i32 locals, body `code` without the final `end`. */
export interface FunctionSpec {
  name: string;
  params: number;
  returns?: boolean;
  locals: number;
  code: readonly number[];
}

/** A module of the functions `fns` (each exported by its name) and one memory of `pages` 64 KiB pages, exported as "memory". */
export function moduleWithFunctions(fns: readonly FunctionSpec[], pages: number): Uint8Array {
  const types = fns.map((fn) => [0x60, ...vec(Array.from({ length: fn.params }, () => [I32])), ...vec(fn.returns ? [[I32]] : [])]);
  const bodies = fns.map((fn) => {
    const body = [...vec(fn.locals > 0 ? [[...uleb(fn.locals), I32]] : []), ...fn.code, Op.end];
    return [...uleb(body.length), ...body];
  });
  return Uint8Array.from([
    0x00, 0x61, 0x73, 0x6d, // "\0asm"
    0x01, 0x00, 0x00, 0x00, // version 1
    ...section(1, vec(types)), // types: one per function
    ...section(3, vec(fns.map((_, i) => uleb(i)))), // functions: function i has type i
    ...section(5, vec([[0x00, ...uleb(pages)]])), // memory: min pages, no max
    ...section(7, vec([...fns.map((fn, i) => [...name(fn.name), 0x00, ...uleb(i)]), [...name('memory'), 0x02, ...uleb(0)]])), // exports
    ...section(10, vec(bodies)), // code
  ]);
}
