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
  const path = `fields.${column}`;
  const text = record.fields[column];
  if (text === undefined) {
    reasons.push({ path, code: "missing_field", message: `column ${column} is missing` });
    return undefined;
  }
  const found = regions.resolve(text);
  if (found.ok) return found.region;
  // Candidates that share nothing with the input are noise, not hints.
  const candidates = found.candidates.filter((c) => c.score > 0);
  const hint = candidates.length > 0 ? `; closest: ${candidates.map((c) => `${c.nameZh} (${c.code})`).join(", ")}` : "";
  reasons.push({
    path,
    code: found.reason === "ambiguous" ? "ambiguous_region" : "unknown_region",
    message: `${found.reason === "ambiguous" ? "ambiguous" : "unknown"} region "${text}"${hint}`,
    candidates: candidates.map((c) => c.code),
  });
  return undefined;
}

function resolvePeriodField(record: RawRecord, layout: Layout, reasons: DeadLetterReason[]): string | undefined {
  const path = layout.fixedPeriod !== undefined ? "layout.fixedPeriod" : `fields.${layout.period}`;
  const text = layout.fixedPeriod ?? (layout.period === undefined ? undefined : record.fields[layout.period]);
  if (text === undefined) {
    reasons.push({ path, code: "missing_field", message: `column ${layout.period} is missing` });
    return undefined;
  }
  const parsed = parsePeriod(text);
  if (!parsed.ok) {
    reasons.push({ path, code: "bad_period", message: `period "${text}": ${parsed.reason}` });
    return undefined;
  }
  const why = outsideHorizon(Number(parsed.period.slice(0, 4)));
  if (why !== undefined) {
    reasons.push({ path, code: "period_out_of_range", message: `period "${text}": ${why}` });
    return undefined;
  }
  return parsed.period;
}
