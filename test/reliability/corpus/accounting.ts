import { formatPosition, type FeedSpec, type RawRecord } from "../../../schemas/index.ts";
import type { Query } from "./case.ts";

/** Markers of "no value" that the corpus writes; a record holding only these is missing data, not lost data. */
const MARKERS = new Set(["", "—", "——", "-", "--", "…", "...", "/", "na", "n/a", "null", "无", "暂无", "x", "*"]);

/** Reason codes about a whole source (file, sheet header, response): their place is the file or URL itself. */
const WHOLE_SOURCE_CODES = new Set([
  "oversize_file",
  "refused_file",
  "refused_folder",
  "unreadable_file",
  "not_xlsx",
  "refused_workbook",
  "unreadable_workbook",
  "empty_file",
  "not_json",
  "no_data_array",
  "bad_json",
  "http_error",
  "bad_response",
  "missing_sheet",
  "truncated",
  "foreign_origin",
]);

export interface Accounting {
  loaded: number;
  /** Records with a dead letter whose good cells were loaded too (counted in `dead`). */
  partial: number;
  dead: number;
  missing: number;
  /** Records that reached the raw topic and then neither loaded, nor dead-lettered, nor all-missing: lost. */
  vanished: number;
  codes: string[];
  /** Dead letters that do not say where in their source the problem is. */
  unplaced: string[];
}

/** The record a position belongs to: a wide row's cells share the row's position without the column. */
const recordKey = (uri: string, position: string) => `${uri}#${position.replace(/ column [\s\S]*$/, "")}`;

function valueCells(spec: FeedSpec, record: RawRecord): string[] {
  const l = spec.layout;
  if (l.kind === "wide")
    return Object.keys(l.columns)
      .map((c) => record.fields[c])
      .filter((v): v is string => v !== undefined);
  return [record.fields[l.value] ?? ""];
}

/** Sorts every record of a feed into loaded, dead-lettered or all-missing, from the warehouse and the raw topic. */
export async function account(query: Query, spec: FeedSpec, raw: readonly RawRecord[]): Promise<Accounting> {
  const facts = await query("SELECT source_uri, source_position FROM fact_observation WHERE source_feed = $1", [
    spec.id,
  ]);
  const letters = await query(
    "SELECT source_uri, source_position, reason_codes, CAST(reasons AS VARCHAR) AS reasons FROM quarantine WHERE feed = $1",
    [spec.id],
  );
  const obs = new Set(facts.map((f) => recordKey(String(f["source_uri"]), String(f["source_position"]))));
  const dead = new Set(letters.map((l) => recordKey(String(l["source_uri"]), String(l["source_position"]))));
  const codes = [
    ...new Set(
      letters.flatMap((l) =>
        String(l["reason_codes"])
          .split(/[,\s]+/)
          .filter(Boolean),
      ),
    ),
  ].sort();
  const unplaced = letters
    .filter(
      (l) =>
        !String(l["source_uri"]) ||
        (String(l["source_position"]) === "whole source" &&
          !String(l["reason_codes"])
            .split(/[,\s]+/)
            .some((c) => WHOLE_SOURCE_CODES.has(c))),
    )
    .map((l) => `${String(l["source_uri"])} ${String(l["reason_codes"])}`);
  let missing = 0;
  let vanished = 0;
  for (const r of raw) {
    const key = recordKey(r.source.uri, formatPosition(r.source.position));
    if (obs.has(key) || dead.has(key)) continue;
    if (valueCells(spec, r).every((v) => MARKERS.has(v.trim().toLowerCase()))) missing++;
    else vanished++;
  }
  const partial = [...obs].filter((k) => dead.has(k)).length;
  return { loaded: obs.size - partial, partial, dead: dead.size, missing, vanished, codes, unplaced };
}
