import type { Readable } from "node:stream";
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
  /** Some sheet's name was unknown to the streaming reader (workbook.xml stored after the sheets). */
  unnamed?: boolean;
}

/**
 * First pass over a workbook: the merged ranges of every sheet. A sheet lists its merges after its rows, so a
 * streaming reader learns them too late for the header; this pass only inflates the sheet XML and scans for them.
 * Run it after measureInflation: it trusts the archive not to be a zip bomb.
 */
export async function scanMerges(input: Readable): Promise<MergeScan> {
  const bySheet = new Map<string, MergeRange[]>();
  let unnamed = false;
  for await (const sheet of openWorkbook(input, { styles: "ignore", sharedStrings: "cache" })) {
    if (!sheet.named) unnamed = true;
    const ranges: MergeRange[] = [];
    const seen = new Set<string>();
    let tail = "";
    for await (const chunk of sheet.iterator) {
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
