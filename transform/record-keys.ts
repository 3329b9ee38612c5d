import {
  parsePeriod,
  type DeadLetterReason,
  type Layout,
  type RawRecord,
  type Region,
  type RegionResolver,
} from "../schemas/index.ts";
import { outsideHorizon } from "./plausibility.ts";

export type RecordKeys = { ok: true; region: Region; period: string } | { ok: false; reasons: DeadLetterReason[] };

/** The region and period a record is about, or every reason they cannot be read (both are checked, never just the first). */
export function resolveRecordKeys(record: RawRecord, layout: Layout, regions: RegionResolver): RecordKeys {
  const reasons: DeadLetterReason[] = [];
  const region = resolveRegionField(record, layout.region, regions, reasons);
  const period = resolvePeriodField(record, layout, reasons);
  if (region === undefined || period === undefined) return { ok: false, reasons };
  return { ok: true, region, period };
}

function resolveRegionField(
  record: RawRecord,
  column: string,
  regions: RegionResolver,
  reasons: DeadLetterReason[],
): Region | undefined {
  const found = resolveRegionText(record.fields[column], column, regions);
  if (isReason(found)) {
    reasons.push(found);
    return undefined;
  }
  return found;
}

/** A region or period lookup's failure: a reason has a path, a region never does. */
export const isReason = (x: Region | DeadLetterReason | string): x is DeadLetterReason =>
  typeof x === "object" && "path" in x;

/** The region a region cell names, or why it names none; a batch calls this once per distinct cell text. */
export function resolveRegionText(
  text: string | undefined,
  column: string,
  regions: RegionResolver,
): Region | DeadLetterReason {
  const path = `fields.${column}`;
  if (text === undefined) return { path, code: "missing_field", message: `column ${column} is missing` };
  const found = regions.resolve(text);
  if (found.ok) return found.region;
  // Candidates that share nothing with the input are noise, not hints.
  const candidates = found.candidates.filter((c) => c.score > 0);
  const hint = candidates.length > 0 ? `; closest: ${candidates.map((c) => `${c.nameZh} (${c.code})`).join(", ")}` : "";
  return {
    path,
    code: found.reason === "ambiguous" ? "ambiguous_region" : "unknown_region",
    message: `${found.reason === "ambiguous" ? "ambiguous" : "unknown"} region "${text}"${hint}`,
    candidates: candidates.map((c) => c.code),
  };
}

function resolvePeriodField(record: RawRecord, layout: Layout, reasons: DeadLetterReason[]): string | undefined {
  const text = layout.fixedPeriod ?? (layout.period === undefined ? undefined : record.fields[layout.period]);
  const found = resolvePeriodText(text, layout);
  if (typeof found === "string") return found;
  reasons.push(found);
  return undefined;
}

/** The period a period cell (or the layout's fixed period) names, or why it names none; once per distinct text. */
export function resolvePeriodText(text: string | undefined, layout: Layout): string | DeadLetterReason {
  const path = layout.fixedPeriod !== undefined ? "layout.fixedPeriod" : `fields.${layout.period}`;
  if (text === undefined) return { path, code: "missing_field", message: `column ${layout.period} is missing` };
  const parsed = parsePeriod(text);
  if (!parsed.ok) return { path, code: "bad_period", message: `period "${text}": ${parsed.reason}` };
  const why = outsideHorizon(Number(parsed.period.slice(0, 4)));
  if (why !== undefined) return { path, code: "period_out_of_range", message: `period "${text}": ${why}` };
  return parsed.period;
}
