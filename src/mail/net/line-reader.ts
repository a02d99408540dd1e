/**
 * Cuts the bytes a mail server sends into CRLF-terminated lines (a bare LF is accepted too, as
 * real servers sometimes send one), and refuses a line longer than the limit instead of
 * buffering without end.
 */
export class LineTooLongError extends Error {
  constructor(readonly limit: number) {
    super(`a line from the server exceeded ${limit} bytes`);
    this.name = 'LineTooLongError';
  }
}

export class LineReader {
  private pending: Buffer = Buffer.alloc(0);

  constructor(private readonly maxLineLength: number) {}

  /** Returns the complete lines in `chunk` (without their line ending); keeps the rest for later. */
  push(chunk: Buffer): Buffer[] {
    let data = this.pending.length ? Buffer.concat([this.pending, chunk]) : chunk;
    const lines: Buffer[] = [];
    let newline = data.indexOf(0x0a);
    while (newline !== -1) {
      const end = newline > 0 && data[newline - 1] === 0x0d ? newline - 1 : newline;
      if (end > this.maxLineLength) throw new LineTooLongError(this.maxLineLength);
      lines.push(data.subarray(0, end));
      data = data.subarray(newline + 1);
      newline = data.indexOf(0x0a);
    }
    if (data.length > this.maxLineLength + 1) throw new LineTooLongError(this.maxLineLength);
    this.pending = Buffer.from(data);
    return lines;
  }

  /** Drops bytes read but not yet returned: after STLS nothing sent in the clear may be believed. */
  discard(): number {
    const dropped = this.pending.length;
    this.pending = Buffer.alloc(0);
    return dropped;
  }
}
