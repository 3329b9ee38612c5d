/** One element of the data array, cut out of the text, or too long to keep. */
export type CutElement = { kind: "element"; index: number; text: string } | { kind: "oversize"; index: number };

/**
 * Cuts one JSON value out of text arriving in chunks: it follows strings, escapes and nesting only far enough
 * to find where the value ends, keeps at most `maxChars` of it, and leaves parsing to JSON.parse.
 */
export function createElementCutter(maxChars: number) {
  let active = false;
  let index = 0;
  let parts: string[] = [];
  let length = 0;
  let oversize = false;
  let depth = 0;
  let inString = false;
  let escaped = false;
  let primitive = false;
  let start = 0;

  const append = (text: string) => {
    if (oversize) return;
    if (length + text.length > maxChars) oversize = true;
    else {
      parts.push(text);
      length += text.length;
    }
  };
  const finish = (chunk: string, end: number, before: boolean) => {
    append(chunk.slice(start, end));
    active = false;
    const element: CutElement = oversize
      ? { kind: "oversize", index }
      : { kind: "element", index, text: parts.join("") };
    parts = [];
    return { element, before };
  };

  return {
    get active(): boolean {
      return active;
    },
    /** Starts a value whose first character is `chunk[i]`. */
    begin(at: number, chunk: string, i: number): void {
      const c = chunk[i]!;
      active = true;
      index = at;
      length = 0;
      oversize = false;
      depth = c === "{" || c === "[" ? 1 : 0;
      inString = c === '"';
      escaped = false;
      primitive = !'{["'.includes(c);
      start = i;
    },
    /**
     * Feeds `chunk[i]` (after the first character); returns the element once it ends, `before` when it ended just
     * before this character (a number or literal ends at the delimiter that follows it).
     */
    step(chunk: string, i: number): { element: CutElement; before: boolean } | undefined {
      const c = chunk[i]!;
      if (inString) {
        if (escaped) escaped = false;
        else if (c === "\\") escaped = true;
        else if (c === '"') {
          inString = false;
          if (depth === 0) return finish(chunk, i + 1, false);
        }
        return undefined;
      }
      if (primitive) return c === "," || c === "]" || c === "}" || /\s/.test(c) ? finish(chunk, i, true) : undefined;
      if (c === '"') inString = true;
      else if (c === "{" || c === "[") depth++;
      else if ((c === "}" || c === "]") && --depth === 0) return finish(chunk, i + 1, false);
      return undefined;
    },
    /** The chunk ends: keep what of the value it held; the next chunk continues from its start. */
    endChunk(chunk: string): void {
      if (active) append(chunk.slice(start));
      start = 0;
    },
  };
}
