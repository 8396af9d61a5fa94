/**
 * Decoding of encoded runs for the detector: base64 (standard or URL-safe alphabet) and
 * %-encoding. Pure functions over Buffers.
 */

/**
 * Whether a run is all hex digits (a hash, a commit id, a checksum): not worth decoding as base64.
 * Base64 of text of 30 bytes or more is practically never all hex: the first character of each
 * 4-character group encodes the top 6 bits of a byte, which for printable ASCII is a letter from
 * `I` to `f`; it is a hex digit (`a`-`f`) only when that byte lies in `h`-`~`, and it would have to
 * be so for every third byte (ten or more of them), with the other characters hex too.
 */
export function isHexRun(run: Uint8Array): boolean {
  for (let i = 0; i < run.length; i++) if (!isHex(run[i])) return false;
  return true;
}

/**
 * False when a base64 run cannot decode to text that `isMostlyText` accepts, judged without
 * decoding it: the first character of each 4-character group holds the top 6 bits of a decoded
 * byte, which for a text byte (printable ASCII, tab, LF, CR) is one of `C`, `D`, `I`-`Z`, `a`-`f`.
 * Each group starting otherwise is a byte that is not text; more of them than isMostlyText
 * tolerates (a tenth of the decoded length, here its upper bound) settles it. Exact, never a guess:
 * it rejects only runs the full check would reject. Most runs in code (identifiers, paths, random
 * ids) fail here, and are never decoded.
 */
export function couldBeBase64OfText(run: Uint8Array): boolean {
  const tolerated = Math.floor(Math.floor((run.length * 3) / 4) * 0.1);
  let notText = 0;
  // A group's first character makes a byte only with a second one after it.
  for (let i = 0; i + 1 < run.length; i += 4) {
    const c = run[i]!;
    if (c === 0x3d) break; // padding: no more bytes
    if (!(c === 0x43 || c === 0x44 || (c >= 0x49 && c <= 0x5a) || (c >= 0x61 && c <= 0x66)) && ++notText > tolerated) return false;
  }
  return true;
}

/** Decodes a base64 run; undefined when it does not decode to at least 12 bytes. */
export function decodeBase64Run(run: Buffer): Buffer | undefined {
  const text = run.toString('latin1');
  const decoded = Buffer.from(text, 'base64');
  return decoded.length >= 12 ? decoded : undefined;
}

/** Decodes %XX escapes (and `+` as a space is left alone); undefined when nothing was escaped. */
export function decodePercentRun(run: Buffer): Buffer | undefined {
  const out = Buffer.allocUnsafe(run.length);
  let n = 0;
  let changed = false;
  for (let i = 0; i < run.length; i++) {
    const b = run[i]!;
    if (b === 0x25 && i + 2 < run.length && isHex(run[i + 1]) && isHex(run[i + 2])) {
      out[n++] = parseInt(String.fromCharCode(run[i + 1]!, run[i + 2]!), 16);
      i += 2;
      changed = true;
    } else out[n++] = b;
  }
  return changed ? out.subarray(0, n) : undefined;
}

/** At least 90% printable ASCII or whitespace, and no NUL: decoded text worth scanning. */
export function isMostlyText(bytes: Buffer): boolean {
  const allowed = Math.floor(bytes.length * 0.1);
  let other = 0;
  for (let i = 0; i < bytes.length; i++) {
    const b = bytes[i]!;
    if ((b >= 0x20 && b < 0x7f) || b === 0x09 || b === 0x0a || b === 0x0d) continue;
    // Early exit: random bytes (a hash, an image) fail within the first few.
    if (b === 0 || ++other > allowed) return false;
  }
  return true;
}

function isHex(b: number | undefined): boolean {
  return b !== undefined && ((b >= 0x30 && b <= 0x39) || (b >= 0x41 && b <= 0x46) || (b >= 0x61 && b <= 0x66));
}

/** Shortest base64 run worth decoding: 40 characters (30 bytes, the shortest assignment worth decoding). */
export const MIN_BASE64_RUN = 40;

/** 1 for bytes of either base64 alphabet (`A-Z a-z 0-9 + / _ -`). */
export const BASE64_BYTE = new Uint8Array(256);
for (const c of 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/_-') BASE64_BYTE[c.charCodeAt(0)] = 1;
/** 1 for bytes a base64 value may stand after: white space, a quote, `=`, `:`, `>`, `(` or `,`. */
export const VALUE_START = new Uint8Array(256);
for (const c of ' \t\n\r\f"\'`=:>(,') VALUE_START[c.charCodeAt(0)] = 1;

/**
 * Byte spans [start, end) of the base64 runs worth decoding: MIN_BASE64_RUN or more characters of
 * either alphabet plus up to two `=`, standing alone as a value (at the start of the input or right
 * after white space, a quote, `=`, `:`, `>`, `(` or `,`; not inside a path or an identifier), left
 * to right without overlap (a `=` taken as one run's padding does not start the next).
 * Equivalent to the RE2 pattern `(?:^|[\s"'`=:>(,])([A-Za-z0-9+/_-]{40,}={0,2})`, group 1 (a test checks).
 */
export function base64Runs(content: Uint8Array): [number, number][] {
  const runs: [number, number][] = [];
  const n = content.length;
  let lastEnd = 0;
  // Invariant: no qualifying run starts before i, and content[i - 1] (if any) is not a base64
  // character, so a run holding position i starts at i or later. A run of MIN_BASE64_RUN or more
  // that starts in [i, i + MIN_BASE64_RUN) holds the probe byte i + MIN_BASE64_RUN - 1: when that
  // byte is not base64, the whole stretch is skipped without looking at the rest of it.
  let i = 0;
  while (i + MIN_BASE64_RUN <= n) {
    const probe = i + MIN_BASE64_RUN - 1;
    if (BASE64_BYTE[content[probe]!] === 0) {
      i = probe + 1;
      continue;
    }
    let start = probe;
    while (start > i && BASE64_BYTE[content[start - 1]!] === 1) start--;
    let end = probe + 1;
    while (end < n && BASE64_BYTE[content[end]!] === 1) end++;
    i = end;
    if (end - start < MIN_BASE64_RUN) continue;
    if (start > 0 && (VALUE_START[content[start - 1]!] === 0 || start - 1 < lastEnd)) continue;
    if (end < n && content[end] === 0x3d) end++;
    if (end < n && content[end] === 0x3d) end++;
    runs.push([start, end]);
    lastEnd = end;
    i = end;
  }
  return runs;
}

/** RE2 patterns of the runs worth decoding. */
export const ENCODED_RUN_PATTERNS = {
  /** A run of URL characters holding at least three %XX escapes. */
  percent: '(?:[A-Za-z0-9._~+-]*%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+-]*',
} as const;
