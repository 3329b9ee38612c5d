import {
  convertValue,
  feedRegionResolver,
  parsePeriod,
  resolveUnit,
  type Catalog,
  type FeedSpec,
  type SourcePosition,
} from "../schemas/index.ts";
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
      const unit = (layout.unit === undefined ? undefined : fields[layout.unit]?.trim()) || undefined;
      const problem = unit === undefined || code === undefined ? undefined : unitProblem(unit, code, catalog);
      if (problem) found.push(problem);
    }
    return found;
  };
}

/** Why values in `unit` cannot be an indicator's values, as transform decides it; undefined when they can. */
function unitProblem(
  unit: string,
  indicatorCode: string,
  catalog: Catalog,
): { code: string; message: string } | undefined {
  if (resolveUnit(unit) === undefined) return { code: "unknown_unit", message: `unit "${unit}" is not a known unit` };
  const indicator = catalog.indicator(indicatorCode);
  const converted = indicator && convertValue(1, unit, indicator.unit);
  if (converted && !converted.ok) return { code: "unit_mismatch", message: `${indicator.code}: ${converted.reason}` };
  return undefined;
}

/** Problems of the spec itself that would reject every record: indicators the catalog lacks, units it cannot use. */
function specProblems(spec: FeedSpec, catalog: Catalog): ValidationProblem[] {
  if (spec.layout.kind !== "wide") return [];
  const problems: ValidationProblem[] = [];
  for (const [column, m] of Object.entries(spec.layout.columns)) {
    if (!catalog.indicator(m.indicator))
      problems.push({
        position: { column },
        code: "unknown_indicator",
        message: `the spec maps column ${column} to ${m.indicator}, which is not in the catalog`,
      });
    const unit = m.unit === undefined ? undefined : unitProblem(m.unit, m.indicator, catalog);
    if (unit)
      problems.push({
        position: { column },
        code: unit.code,
        message: `the spec's unit for ${column}: ${unit.message}`,
      });
  }
  return problems;
}

/**
 * Checks a department's file against its feed spec without producing anything: it is read by the same
 * readers as ingest (structure, encoding, header, field counts, limits), then each record's region, period
 * and indicator are looked up in the catalog, and units checked against the indicator's as transform does.
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
