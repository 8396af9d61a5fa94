/**
 * Decoding of encoded runs for the detector: base64 (standard or URL-safe alphabet) and
 * %-encoding. Pure functions over Buffers.
 */

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

/** RE2 patterns of the runs worth decoding. */
export const ENCODED_RUN_PATTERNS = {
  /**
   * 40+ base64 characters (30+ bytes: the shortest assignment worth decoding; either alphabet) with optional padding, standing alone as a value:
   * after a quote, `=`, `:`, `>`, `(`, `,` or white space (not inside a path or an identifier).
   */
  base64: '(?:^|[\\s"\'`=:>(,])([A-Za-z0-9+/_-]{40,}={0,2})',
  /** A run of URL characters holding at least three %XX escapes. */
  percent: '(?:[A-Za-z0-9._~+-]*%[0-9A-Fa-f]{2}){3,}[A-Za-z0-9._~+-]*',
} as const;
