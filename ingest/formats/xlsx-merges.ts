/** A merged range, 1-based and inclusive. */
export interface MergeRange {
  top: number;
  left: number;
  bottom: number;
  right: number;
}

/** Column letters to a 1-based number: A → 1, AB → 28. */
export function columnNumber(letters: string): number {
  let n = 0;
  for (const ch of letters.toUpperCase()) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n;
}

export function parseRange(ref: string): MergeRange | undefined {
  const m = /^([A-Z]+)(\d+):([A-Z]+)(\d+)$/i.exec(ref);
  if (!m) return undefined;
  const [a, b] = [columnNumber(m[1]!), columnNumber(m[3]!)];
  const [r1, r2] = [Number(m[2]), Number(m[4])];
  return { top: Math.min(r1, r2), left: Math.min(a, b), bottom: Math.max(r1, r2), right: Math.max(a, b) };
}

const MERGE = /<mergeCell\s[^>]*?ref="([A-Z]+\d+:[A-Z]+\d+)"/gi;

/** Collects a sheet's merged ranges from its XML as it is inflated (chunks may split a tag: a tail is kept). */
export interface MergeScanner {
  push(chunk: Buffer): void;
  readonly ranges: MergeRange[];
}

/**
 * A sheet lists its merges after its rows, so a streaming reader learns them too late for the header; the first
 * pass over a workbook (which inflates every part anyway to measure it) scans for them with this.
 */
export function createMergeScanner(): MergeScanner {
  const ranges: MergeRange[] = [];
  const seen = new Set<string>();
  let tail = "";
  return {
    ranges,
    push(chunk) {
      const text = tail + chunk.toString("latin1");
      for (const m of text.matchAll(MERGE)) {
        const range = parseRange(m[1]!);
        if (!range || seen.has(m[1]!)) continue;
        seen.add(m[1]!);
        ranges.push(range);
      }
      tail = text.slice(-200);
    },
  };
}
