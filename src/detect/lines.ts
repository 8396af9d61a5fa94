/**
 * Maps byte offsets in a Buffer to 1-based line and column numbers. A line ends at "\n", "\r\n"
 * or a lone "\r". Columns count characters (UTF-16 code units, as SARIF's default), 1-based.
 */
export class LineIndex {
  /** Byte offset at which each line starts; starts[0] = 0. */
  private readonly starts: number[];

  constructor(private readonly content: Buffer) {
    const starts = [0];
    const len = content.length;
    if (content.indexOf(0x0d) < 0) {
      // No CR at all (the common case): native searches for LF only.
      let nl = content.indexOf(0x0a);
      while (nl >= 0) {
        starts.push(nl + 1);
        nl = content.indexOf(0x0a, nl + 1);
      }
    } else {
      for (let i = 0; i < len; i++) {
        const b = content[i];
        if (b === 0x0a) starts.push(i + 1);
        else if (b === 0x0d) {
          if (content[i + 1] === 0x0a) i++;
          starts.push(i + 1);
        }
      }
    }
    this.starts = starts;
  }

  /** 0-based index of the line holding byte `offset`. */
  lineIndexOf(offset: number): number {
    let lo = 0;
    let hi = this.starts.length - 1;
    while (lo < hi) {
      const mid = (lo + hi + 1) >> 1;
      if (this.starts[mid]! <= offset) lo = mid;
      else hi = mid - 1;
    }
    return lo;
  }

  /** 1-based column (in characters) of byte `offset` on line index `line`. */
  columnOf(line: number, offset: number): number {
    return this.content.toString('utf8', this.starts[line]!, offset).length + 1;
  }

  /** Text of the 0-based line `line`, without its line ending. */
  lineText(line: number): string {
    const start = this.starts[line]!;
    let end = line + 1 < this.starts.length ? this.starts[line + 1]! : this.content.length;
    while (end > start && (this.content[end - 1] === 0x0a || this.content[end - 1] === 0x0d)) end--;
    return this.content.toString('utf8', start, end);
  }

  /** Byte offset where 0-based line `line` starts (the content's length past the last line). */
  startOf(line: number): number {
    if (line <= 0) return 0;
    return line < this.starts.length ? this.starts[line]! : this.content.length;
  }

  get lineCount(): number {
    return this.starts.length;
  }
}
