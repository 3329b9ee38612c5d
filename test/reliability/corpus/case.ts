import { FeedSpec } from "../../../schemas/index.ts";

/** The kinds of bad input the issue names; the corpus reports its counts by these. */
export const CATEGORIES = [
  "encoding",
  "bom",
  "truncated",
  "zip-bomb",
  "json-shape",
  "csv-injection",
  "control-chars",
  "columns",
  "non-numeric",
  "nan-infinity",
  "negative-count",
  "percent-over-100",
  "region",
  "period",
  "unit",
  "duplicates",
  "revisions",
  "oversize",
  "paths",
  "http",
  "missing-markers",
] as const;
export type Category = (typeof CATEGORIES)[number];

/** One file of a case, dropped under the case's folder; `linkTo` makes it a symlink to a path under the case's base instead. */
export interface CorpusFile {
  name: string;
  bytes?: Buffer | string;
  linkTo?: string;
  mtime?: Date;
}

/** What a local HTTP endpoint does with the n-th request of a case. */
export type HttpStep =
  | { status: number; body?: string | Buffer; headers?: Record<string, string>; delayMs?: number }
  | { partial: string }
  | "reset";

export interface Expected {
  /** Records with observations loaded and no dead letter. */
  loaded: number;
  /** Records (or wholly refused parts: a file, a sheet, a response) with a dead letter in the quarantine table. */
  dead: number;
  /** Records whose value cells all held missing-value markers. */
  missing: number;
  /** Reason codes that must be among the case's dead letters. */
  codes: string[];
  /** Files recognised as already produced (same checksum). */
  duplicates?: number;
}

/** A bad input, what it must do, and how many source records it holds (counted by its author, not by the pipeline). */
export interface CorpusCase {
  id: string;
  category: Category;
  name: string;
  spec: FeedSpec;
  files?: CorpusFile[];
  /** HTTP feeds: the steps of the case's endpoint, in request order; the last repeats. */
  http?: HttpStep[];
  /** Source records in; a part refused as a whole counts as one. */
  records: number;
  expect: Expected;
  /** Extra checks on the warehouse after the case ran (e.g. which vintage is latest). */
  check?: (query: Query) => Promise<void>;
}

export type Query = (sql: string, params?: unknown[]) => Promise<Record<string, unknown>[]>;

/** Columns of the corpus's wide layout and the indicators they map to. */
export const WIDE_COLUMNS = { income: "居民人均可支配收入", urban: "城镇化率", people: "常住人口" } as const;
export const WIDE_HEADER = ["地区", "年份", WIDE_COLUMNS.income, WIDE_COLUMNS.urban, WIDE_COLUMNS.people];
const WIDE_LAYOUT = {
  kind: "wide",
  region: "地区",
  period: "年份",
  columns: {
    [WIDE_COLUMNS.income]: { indicator: "disposable_income_per_capita" },
    [WIDE_COLUMNS.urban]: { indicator: "urbanization_rate", unit: "%" },
    [WIDE_COLUMNS.people]: { indicator: "resident_population" },
  },
};
export const LONG_HEADER = ["region", "period", "indicator", "value", "unit"];
const LONG_LAYOUT = {
  kind: "long",
  region: "region",
  period: "period",
  indicator: "indicator",
  value: "value",
  unit: "unit",
};

type Overrides = Record<string, unknown>;

/** A feed spec of its own for each case (`corpus-<id>`): dead letters and observations are told apart by feed. */
export function caseSpec(id: string, format: Overrides, overrides: Overrides = {}): FeedSpec {
  const tabular = format["kind"] === "csv" || format["kind"] === "xlsx";
  return FeedSpec.parse({
    id: `corpus-${id}`,
    name: `corpus case ${id}`,
    department: { code: "corpus", name: "可靠性测试 corpus" },
    connector: { kind: "file-drop", path: "in" },
    format,
    layout: tabular ? WIDE_LAYOUT : LONG_LAYOUT,
    frequency: "annual",
    ...overrides,
  });
}

export const longLayout = (): Overrides => ({ layout: LONG_LAYOUT });
