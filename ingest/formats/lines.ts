/** One physical line of a text source; `oversize` when it was longer than the limit (its text is then cut). */
export interface TextLine {
  line: number;
  text: string;
  oversize: boolean;
}

/** Splits text chunks into lines (LF or CRLF) as they stream in; memory is bounded by `maxChars` per line. */
export async function* splitLines(chunks: AsyncIterable<string>, maxChars: number): AsyncGenerator<TextLine> {
  let parts: string[] = [];
  let length = 0;
  let oversize = false;
  let line = 1;
  const take = (piece: string) => {
    if (oversize) return;
    if (length + piece.length > maxChars) {
      oversize = true;
      parts.push(piece.slice(0, Math.max(0, maxChars - length)));
      length = maxChars;
      return;
    }
    parts.push(piece);
    length += piece.length;
  };
  const finish = (): TextLine => {
    const text = parts.join("").replace(/\r$/, "");
    const out = { line, text, oversize };
    parts = [];
    length = 0;
    oversize = false;
    line++;
    return out;
  };
  for await (const chunk of chunks) {
    let start = 0;
    for (let nl = chunk.indexOf("\n"); nl !== -1; nl = chunk.indexOf("\n", start)) {
      take(chunk.slice(start, nl));
      yield finish();
      start = nl + 1;
    }
    if (start < chunk.length) take(chunk.slice(start));
  }
  if (length > 0 || oversize) yield finish();
}
