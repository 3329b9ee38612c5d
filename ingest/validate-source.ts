import { feedRegionResolver, parsePeriod, type Catalog, type FeedSpec, type SourcePosition } from "../schemas/index.ts";
import type { Progress } from "../runtime/progress.ts";
import { readRows, type SourceInput } from "./formats/index.ts";

/** One thing wrong with a department's file, where it is. */
export interface ValidationProblem {
  position: SourcePosition;
  code: string;
  message: string;
}

export interface ValidationSummary {
  /** Rows read (header and title rows excluded), plus parts of the file that could not be read at all. */
  rows: number;
  ok: number;
  withProblems: number;
}

/** The lookups a record must pass: its region, its period and its indicators, by the catalog in schemas/. */
function createLookups(spec: FeedSpec, catalog: Catalog) {
  const regions = feedRegionResolver(catalog, spec);
  const layout = spec.layout;
  return (fields: Record<string, string>): { code: string; message: string }[] => {
    const found: { code: string; message: string }[] = [];
    const regionText = fields[layout.region];
    const region = regionText === undefined ? undefined : regions.resolve(regionText);
    if (regionText === undefined) found.push({ code: "missing_field", message: `column ${layout.region} is missing` });
    else if (region && !region.ok) {
      const closest = region.candidates
        .slice(0, 3)
        .map((c) => `${c.nameZh} (${c.code})`)
        .join(", ");
      found.push({
        code: `${region.reason}_region`,
        message: `${region.reason} region "${regionText}"${closest ? `; closest: ${closest}` : ""}`,
      });
    }
    const periodText = layout.fixedPeriod ?? (layout.period === undefined ? undefined : fields[layout.period]);
    const period = periodText === undefined ? undefined : parsePeriod(periodText);
    if (periodText === undefined)
      found.push({ code: "missing_field", message: `column ${layout.period ?? "(period)"} is missing` });
    else if (period && !period.ok) found.push({ code: "bad_period", message: period.reason });
    if (layout.kind === "long") {
      const name = fields[layout.indicator]?.trim();
      const code =
        name === undefined
          ? undefined
          : ((Object.hasOwn(layout.indicatorMap, name) ? layout.indicatorMap[name] : undefined) ?? name);
      if (code === undefined) found.push({ code: "missing_field", message: `column ${layout.indicator} is missing` });
      else if (!catalog.indicator(code))
        found.push({
          code: "unknown_indicator",
          message: `indicator "${name}" is not in the catalog${name === code ? "" : ` (mapped to ${code})`}`,
        });
    }
    return found;
  };
}

/** Problems of the spec itself that would reject every record: wide columns mapped to indicators the catalog lacks. */
function specProblems(spec: FeedSpec, catalog: Catalog): ValidationProblem[] {
  if (spec.layout.kind !== "wide") return [];
  return Object.entries(spec.layout.columns)
    .filter(([, m]) => !catalog.indicator(m.indicator))
    .map(([column, m]) => ({
      position: { column },
      code: "unknown_indicator",
      message: `the spec maps column ${column} to ${m.indicator}, which is not in the catalog`,
    }));
}

/**
 * Checks a department's file against its feed spec without producing anything: it is read by the same
 * readers as ingest (structure, encoding, header, field counts, limits), then each record's region, period
 * and indicator are looked up in the catalog. Values and units are not checked (transform does that).
 */
export async function validateSource(
  spec: FeedSpec,
  input: SourceInput,
  bytes: number,
  catalog: Catalog,
  report: (p: ValidationProblem) => void,
  progress?: Progress,
): Promise<ValidationSummary> {
  const summary: ValidationSummary = { rows: 0, ok: 0, withProblems: 0 };
  for (const p of specProblems(spec, catalog)) report(p);
  if (bytes > spec.limits.maxFileBytes) {
    report({
      position: {},
      code: "oversize_file",
      message: `the file is ${bytes} bytes, over the feed's limit of ${spec.limits.maxFileBytes} (limits.maxFileBytes)`,
    });
    return { rows: 1, ok: 0, withProblems: 1 };
  }
  const lookups = createLookups(spec, catalog);
  for await (const row of readRows(input, spec)) {
    summary.rows++;
    progress?.tick();
    const found = row.ok ? lookups(row.fields) : [{ code: row.code, message: row.reason }];
    if (found.length === 0) summary.ok++;
    else summary.withProblems++;
    for (const f of found) report({ position: row.position, ...f });
  }
  return summary;
}
