/** How a file's text is encoded, read from its first bytes; `bom` is the byte-order mark's length. */
export interface TextEncoding {
  encoding: 'utf8' | 'utf16le' | 'utf16be';
  bom: number;
}

/**
 * The encoding of text that starts with `head` (a file's first 8 KiB or more): UTF-16 by its BOM,
 * UTF-8 with or without a BOM, or undefined for binary content (a NUL byte in the first 8 KiB).
 */
export function textEncoding(head: Buffer): TextEncoding | undefined {
  if (head[0] === 0xff && head[1] === 0xfe) return { encoding: 'utf16le', bom: 2 };
  if (head[0] === 0xfe && head[1] === 0xff) return { encoding: 'utf16be', bom: 2 };
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return { encoding: 'utf8', bom: 3 };
  return isBinary(head) ? undefined : { encoding: 'utf8', bom: 0 };
}

/**
 * Turns raw file bytes into scannable text bytes: UTF-16 (with a BOM) is converted to UTF-8, a
 * UTF-8 BOM is dropped. Returns undefined for binary content.
 */
export function toScannableText(bytes: Buffer): Buffer | undefined {
  const text = textEncoding(bytes);
  if (!text) return undefined;
  const body = bytes.subarray(text.bom);
  if (text.encoding === 'utf8') return body;
  const le = text.encoding === 'utf16le' ? body : Buffer.from(body.subarray(0, body.length - (body.length % 2))).swap16();
  return Buffer.from(le.toString('utf16le'), 'utf8');
}

/** NUL sniffing over the first 8 KiB, as git does. */
export function isBinary(bytes: Buffer): boolean {
  return bytes.subarray(0, 8192).includes(0);
}

/** Texts larger than this are scanned in overlapping chunks of CHUNK_BYTES (bounded memory). */
export const CHUNKED_ABOVE = 16 * 1024 * 1024;
/** Bytes each chunk of a huge file answers for. */
export const CHUNK_BYTES = 8 * 1024 * 1024;
/**
 * Bytes a chunk reaches past its own span on either side, so that a secret (with the context its
 * rule needs before it) that starts in the span is matched whole. Longer than any PEM key block.
 */
export const CHUNK_OVERLAP = 64 * 1024;

/** One chunk: `content` spans [owns[0] - overlap, owns[1] + overlap) of the text, clipped to it (and to a character start). */
export interface TextChunk {
  content: Buffer;
  owns: [number, number];
  /** 1-based line and column (in characters) of content's first byte, as LineIndex counts them. */
  startLine: number;
  startColumn: number;
}

/**
 * Cuts a stream of text blocks into overlapping chunks (see TextChunk), tracking the line and
 * column where each starts: a line ends at "\n", "\r\n" or a lone "\r"; columns count UTF-16
 * code units of valid UTF-8. Holds at most one chunk plus one block in memory.
 */
export function* chunkText(blocks: Iterable<Buffer>, chunkBytes: number, overlap: number): Generator<TextChunk> {
  const it = blocks[Symbol.iterator]();
  let buf: Buffer = Buffer.alloc(0);
  /** Text offset of buf[0]. */
  let bufStart = 0;
  let done = false;
  let ownStart = 0;
  // Line/column at text offset `at` (0-based breaks before it, characters since the last break).
  let at = 0;
  let breaks = 0;
  let col = 0;
  const fill = (until: number): void => {
    const parts = [buf];
    let have = bufStart + buf.length;
    while (!done && have < until) {
      const r = it.next();
      if (r.done) {
        done = true;
        break;
      }
      parts.push(r.value);
      have += r.value.length;
    }
    if (parts.length > 1) buf = Buffer.concat(parts);
  };
  for (;;) {
    // Enough text for this chunk and one byte of look-ahead (a "\r" at the end needs the next byte).
    fill(ownStart + chunkBytes + overlap + 1);
    const end = bufStart + buf.length;
    if (ownStart >= end) return;
    const contentStart = at;
    const last = done && ownStart + chunkBytes + overlap >= end;
    const ownEnd = last ? end : Math.min(end, ownStart + chunkBytes);
    const contentEnd = last ? end : Math.min(end, ownEnd + overlap);
    const content = Buffer.from(buf.subarray(contentStart - bufStart, contentEnd - bufStart));
    yield { content, owns: [ownStart - contentStart, ownEnd - contentStart], startLine: breaks + 1, startColumn: col + 1 };
    if (last || ownEnd >= end) return;
    ownStart = ownEnd;
    // Advance the line/column tracker to the next chunk's start, then drop the text before it.
    // (Never inside a UTF-8 sequence, so that columns counted here and in the chunk agree.)
    let next = Math.max(0, ownStart - overlap);
    while (next < ownStart && (buf[next - bufStart]! & 0xc0) === 0x80) next++;
    for (let i = at - bufStart; i < next - bufStart; i++) {
      const b = buf[i]!;
      if (b === 0x0a || (b === 0x0d && buf[i + 1] !== 0x0a)) {
        breaks++;
        col = 0;
      } else if ((b & 0xc0) !== 0x80) col += b >= 0xf0 ? 2 : 1;
    }
    at = next;
    const keepFrom = next - bufStart;
    if (keepFrom > 0) {
      buf = buf.subarray(keepFrom);
      bufStart += keepFrom;
    }
  }
}
