// The household record feed of the record benches (records-derive embedded, records-kafka through a broker): one
// record per household with a county, a survey year and an income drawn from a log-normal of the survey's spread.
import { closeSync, mkdirSync, openSync, writeSync } from "node:fs";
import { dirname } from "node:path";

export const BENCH_RECORD_FEED_YAML = `id: bench-households
name: bench
department: { code: bench, name: bench }
connector: { kind: file-drop, path: households, pattern: "*.csv" }
format: { kind: csv }
records:
  columns:
    household_id: { type: string, personal: identifier }
    county_code: { type: region }
    survey_year: { type: integer }
    income: { type: number, personal: attribute }
  key: [household_id]
  region: county_code
  eventTime: survey_year
frequency: annual
vintage: { published: 2025-01-10 }
`;

/** A band share and a Gini of the income: the two kinds of measure the survey's indicators take. */
export const BENCH_DERIVATIONS_YAML = [
  "measure: { kind: share_in_band, column: income, min: 100000, max: 500000 }",
  "measure: { kind: gini, column: income }",
].map((m, i) => `id: bench-${i}\nindicator: households_100k_500k_share\nrecords: bench-households\n${m}\n`);

/**
 * Writes `rows` households (numbered from `from`) to a CSV in pieces: the generator must not hold the file, or it
 * would count in the bench's peak RSS.
 */
export function writeHouseholds(path: string, rows: number, from: number, counties: readonly string[]): void {
  mkdirSync(dirname(path), { recursive: true });
  const fd = openSync(path, "w");
  let seed = 7 + from;
  let lines = ["household_id,county_code,survey_year,income"];
  for (let i = 0; i < rows; i++) {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    const u = seed / 2 ** 31;
    const k = from + i;
    lines.push(
      `HH-${k},${counties[k % counties.length]},${2020 + (k % 5)},${Math.round(Math.exp(11.8 + 1.3 * (u - 0.5)))}`,
    );
    if (lines.length >= 10_000) {
      writeSync(fd, `${lines.join("\n")}\n`);
      lines = [];
    }
  }
  if (lines.length > 0) writeSync(fd, `${lines.join("\n")}\n`);
  closeSync(fd);
}
