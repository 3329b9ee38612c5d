import { PassThrough, type Readable } from "node:stream";
import { openWorkbook } from "./xlsx-workbook.ts";

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

export interface MergeScan {
  bySheet: Map<string, MergeRange[]>;
  /** Set when the workbook inflates far beyond its size (a zip bomb), and was not read further. */
  refused?: string;
  /** Some sheet's name was unknown to the streaming reader (workbook.xml stored after the sheets). */
  unnamed?: boolean;
}

/**
 * First pass over a workbook: the merged ranges of every sheet. A sheet lists its merges after its rows, so a
 * streaming reader learns them too late for the header; this pass only inflates the sheet XML and scans for them.
 */
export async function scanMerges(input: Readable, maxInflateRatio: number, minRefuseBytes: number): Promise<MergeScan> {
  let compressed = 0;
  const counted = new PassThrough();
  counted.on("data", (c: Buffer) => void (compressed += c.length));
  input.on("error", (err) => counted.destroy(err));
  input.pipe(counted);
  const bySheet = new Map<string, MergeRange[]>();
  let inflated = 0;
  let unnamed = false;
  for await (const sheet of openWorkbook(counted, { styles: "ignore", sharedStrings: "cache" })) {
    if (!sheet.named) unnamed = true;
    const ranges: MergeRange[] = [];
    const seen = new Set<string>();
    let tail = "";
    for await (const chunk of sheet.iterator) {
      inflated += (chunk as Buffer).length;
      if (inflated > minRefuseBytes && inflated > maxInflateRatio * Math.max(compressed, 1)) {
        input.destroy();
        return { bySheet, refused: `the workbook inflates to more than ${maxInflateRatio} times its size (${inflated} bytes from ${compressed}); refused as a possible zip bomb` };
      }
      const text = tail + (chunk as Buffer).toString("latin1");
      for (const m of text.matchAll(MERGE)) {
        const range = parseRange(m[1]!);
        if (!range || seen.has(m[1]!)) continue;
        seen.add(m[1]!);
        ranges.push(range);
      }
      tail = text.slice(-200);
    }
    bySheet.set(sheet.name, ranges);
  }
  return unnamed ? { bySheet, unnamed } : { bySheet };
}
