import { basename } from "node:path";
import type { FeedSpec } from "../../schemas/index.ts";

/** Where a file's vintage came from; `file-time` is the last resort, flagged wherever it is used. */
export type VintageSource = "file-name" | "declared" | "file-time";

/** Publication dates are Beijing dates: 2025-03-20 means the start of that day in Asia/Shanghai. */
function beijingDay(text: string): string | undefined {
  const m = /^(\d{4})[-年./]?(\d{1,2})[-月./]?(\d{1,2})日?$/.exec(text.normalize("NFKC").trim());
  if (!m) return undefined;
  const [, y, mo, d] = m;
  const iso = `${y}-${mo!.padStart(2, "0")}-${d!.padStart(2, "0")}T00:00:00+08:00`;
  const t = Date.parse(iso);
  if (Number.isNaN(t) || new Date(t + 8 * 3600_000).getUTCDate() !== Number(d)) return undefined;
  return new Date(t).toISOString();
}

/** A dropped file's vintage: a date in its name, the spec's declared date, else its modification time. */
export function fileVintage(spec: FeedSpec, uri: string, mtimeMs: number): { at: string; from: VintageSource } {
  const rule = spec.vintage;
  if (rule?.fileName) {
    const found = new RegExp(rule.fileName).exec(basename(uri))?.[1];
    const at = found === undefined ? undefined : beijingDay(found);
    if (at) return { at, from: "file-name" };
  }
  if (rule?.published) return { at: beijingDay(rule.published)!, from: "declared" };
  return { at: new Date(mtimeMs).toISOString(), from: "file-time" };
}
