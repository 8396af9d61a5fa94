/**
 * Turns raw file bytes into scannable text bytes: UTF-16 (with a BOM) is converted to UTF-8, a
 * UTF-8 BOM is dropped, and anything with a NUL byte in its first 8 KiB is binary.
 * Returns undefined for binary content.
 */
export function toScannableText(bytes: Buffer): Buffer | undefined {
  if (bytes.length >= 2) {
    if (bytes[0] === 0xff && bytes[1] === 0xfe) return Buffer.from(bytes.subarray(2).toString('utf16le'), 'utf8');
    if (bytes[0] === 0xfe && bytes[1] === 0xff) return Buffer.from(swapBytes(bytes.subarray(2)).toString('utf16le'), 'utf8');
  }
  if (bytes.length >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) return bytes.subarray(3);
  if (isBinary(bytes)) return undefined;
  return bytes;
}

/** NUL sniffing over the first 8 KiB, as git does. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

function swapBytes(be: Buffer): Buffer {
  const out = Buffer.alloc(be.length - (be.length % 2));
  for (let i = 0; i + 1 < be.length; i += 2) {
    out[i] = be[i + 1]!;
    out[i + 1] = be[i]!;
  }
  return out;
}
