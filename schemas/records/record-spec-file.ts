import { existsSync, readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { LineCounter, isNode, parseDocument } from "yaml";
import type { z } from "zod";
import { FeedSpecError, type SpecProblem } from "../feed-spec-file.ts";
import type { Catalog } from "../catalog.ts";
import { RecordFeedSpec } from "./record-feed-spec.ts";
import { Derivation, measureColumn } from "./derivation-spec.ts";

/** Where record feeds and derivations sit inside the feed spec folder. */
export const RECORD_FEEDS_DIR = "records";
export const DERIVATIONS_DIR = "derivations";

type Problem = { path: (string | number)[]; message: string };

/** Parses one YAML file with a zod schema; every problem names the file, the line and the field. */
function parseWith<T>(schema: z.ZodType<T>, text: string, file: string, check: (value: T) => Problem[] = () => []): T {
  const counter = new LineCounter();
  const doc = parseDocument(text, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0)
    throw new FeedSpecError(
      doc.errors.map((e) => ({
        file,
        line: counter.linePos(e.pos[0]).line,
        field: "(yaml)",
        message: e.message.split("\n")[0] ?? e.message,
      })),
    );
  let raw: unknown;
  try {
    raw = doc.toJS({ maxAliasCount: 50 });
  } catch (err) {
    throw new FeedSpecError([{ file, line: 1, field: "(yaml)", message: `cannot expand the YAML: ${String(err)}` }]);
  }
  const lineOf = (path: (string | number)[]): number => {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = doc.getIn(path.slice(0, depth), true);
      if (isNode(node) && node.range) return counter.linePos(node.range[0]).line;
    }
    return 1;
  };
  const toProblem = (p: Problem): SpecProblem => ({
    file,
    line: lineOf(p.path),
    field: p.path.map(String).join(".") || "(root)",
    message: p.message,
  });
  const result = schema.safeParse(raw);
  if (!result.success)
    throw new FeedSpecError(
      result.error.issues.map((i) =>
        toProblem({ path: i.path.map((p) => (typeof p === "symbol" ? String(p) : p)), message: i.message }),
      ),
    );
  const found = check(result.data);
  if (found.length > 0) throw new FeedSpecError(found.map(toProblem));
  return result.data;
}

function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  return readdirSync(dir)
    .filter((f) => /\.ya?ml$/.test(f))
    .sort()
    .map((f) => join(dir, f));
}

/** Reads every file of a folder, reporting the problems of all files together. */
function readAll<T extends { id: string }>(files: string[], parse: (text: string, file: string) => T): T[] {
  const out: T[] = [];
  const problems: SpecProblem[] = [];
  const fileOfId = new Map<string, string>();
  for (const file of files) {
    try {
      const value = parse(readFileSync(file, "utf8"), file);
      const other = fileOfId.get(value.id);
      if (other) problems.push({ file, line: 1, field: "id", message: `id ${value.id} is already used by ${other}` });
      fileOfId.set(value.id, file);
      out.push(value);
    } catch (err) {
      if (err instanceof FeedSpecError) problems.push(...err.problems);
      else throw err;
    }
  }
  if (problems.length > 0) throw new FeedSpecError(problems);
  return out;
}

export function parseRecordFeedSpec(text: string, file: string): RecordFeedSpec {
  return parseWith(RecordFeedSpec, text, file);
}

/** The record feeds of a feed spec folder (its `records/` subfolder); none when it has no such folder. */
export function readRecordFeedSpecs(feedsDir: string): RecordFeedSpec[] {
  return readAll(yamlFiles(join(feedsDir, RECORD_FEEDS_DIR)), parseRecordFeedSpec);
}

const NUMERIC = new Set(["integer", "number"]);

/** What a derivation names must exist: the record feed, its columns (numeric where measured), the indicator. */
function derivationProblems(d: Derivation, feeds: readonly RecordFeedSpec[], catalog?: Catalog): Problem[] {
  const feed = feeds.find((f) => f.id === d.records);
  if (!feed)
    return [
      {
        path: ["records"],
        message: `no record feed ${d.records}; the record feeds are ${feeds.map((f) => f.id).join(", ") || "none"} (feeds/records/)`,
      },
    ];
  const problems: Problem[] = [];
  if (catalog && !catalog.indicator(d.indicator))
    problems.push({ path: ["indicator"], message: `${d.indicator} is not an indicator of the catalog` });
  const usable = (name: string, path: (string | number)[], numeric: boolean) => {
    const column = feed.records.columns[name];
    if (!column || column.personal === "drop")
      problems.push({ path, message: `${name} is not a stored column of record feed ${feed.id}` });
    else if (numeric && !NUMERIC.has(column.type))
      problems.push({ path, message: `${name} has type ${column.type}; the measure needs a number or integer column` });
  };
  d.filters.forEach((f, i) => usable(f.column, ["filters", i, "column"], false));
  const measured = measureColumn(d.measure);
  if (measured !== undefined) usable(measured, ["measure", "column"], d.measure.kind !== "distinct_count");
  if (d.measure.kind === "share_of_days" || d.measure.kind === "mean_of_days")
    usable(d.measure.placeColumn, ["measure", "placeColumn"], false);
  if (d.period.kind === "stock") {
    usable(d.period.end, ["period", "end"], false);
    const end = feed.records.columns[d.period.end];
    if (end && !["date", "timestamp", "integer"].includes(end.type))
      problems.push({
        path: ["period", "end"],
        message: `${d.period.end} has type ${end.type}; the end of a stock is a date, timestamp or integer (a year)`,
      });
  }
  return problems;
}

export function parseDerivation(
  text: string,
  file: string,
  feeds: readonly RecordFeedSpec[],
  catalog?: Catalog,
): Derivation {
  return parseWith(Derivation, text, file, (d) => derivationProblems(d, feeds, catalog));
}

/** The derivations of a feed spec folder (its `derivations/` subfolder), checked against the record feeds. */
export function readDerivations(feedsDir: string, feeds: readonly RecordFeedSpec[], catalog?: Catalog): Derivation[] {
  return readAll(yamlFiles(join(feedsDir, DERIVATIONS_DIR)), (text, file) =>
    parseDerivation(text, file, feeds, catalog),
  );
}
