// Reads one catalog CSV into validated rows, reporting the first bad cell by file, line and column.
import { readFileSync } from "node:fs";
import { basename } from "node:path";
import { CsvSyntaxError, parseCsv } from "./catalog-csv.ts";
import type { CsvTable } from "./catalog-decode.ts";

/** A catalog file that cannot be trusted; `field` is the CSV column, null when the whole line is bad. */
export class CatalogError extends Error {
  readonly file: string;
  readonly line: number;
  readonly field: string | null;
  readonly detail: string;
  constructor(file: string, line: number, field: string | null, detail: string) {
    super(`${file}:${line}${field === null ? "" : ` (${field})`}: ${detail}`);
    this.name = "CatalogError";
    this.file = file;
    this.line = line;
    this.field = field;
    this.detail = detail;
  }
}

/** A decoded row with the line it came from, so later cross-row checks can point back at it. */
export interface Lined<T> {
  readonly line: number;
  readonly value: T;
}

/** Parses CSV text as `table`; `file` only labels errors. */
export function decodeTable<T>(file: string, csv: string, table: CsvTable<T>): Lined<T>[] {
  let records: ReturnType<typeof parseCsv>;
  try {
    records = parseCsv(csv);
  } catch (err) {
    if (err instanceof CsvSyntaxError)
      throw new CatalogError(file, err.line, null, err.message.replace(/^line \d+: /, ""));
    throw err;
  }
  const [header, ...rows] = records;
  if (header === undefined) throw new CatalogError(file, 1, null, "empty file");
  const index = new Map(header.fields.map((name, i) => [name.trim(), i] as const));
  for (const column of Object.values(table.columns)) {
    if (!index.has(column)) throw new CatalogError(file, header.line, column, "missing column");
  }
  return rows.map((row) => {
    if (row.fields.length !== header.fields.length) {
      throw new CatalogError(file, row.line, null, `expected ${header.fields.length} fields, got ${row.fields.length}`);
    }
    const raw: Record<string, string> = {};
    for (const [key, column] of Object.entries(table.columns)) raw[key] = row.fields[index.get(column) ?? -1] ?? "";
    const parsed = table.decode.safeParse(raw);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const key = issue?.path[0];
      const column = typeof key === "string" ? (table.columns[key] ?? key) : null;
      throw new CatalogError(file, row.line, column, issue?.message ?? "invalid row");
    }
    return { line: row.line, value: parsed.data };
  });
}

/** Reads and decodes one file of the catalog directory. */
export function readTable<T>(dir: string, name: string, table: CsvTable<T>): Lined<T>[] {
  const path = dir.endsWith("/") ? `${dir}${name}` : `${dir}/${name}`;
  let csv: string;
  try {
    csv = readFileSync(path, "utf8");
  } catch (err) {
    throw new CatalogError(basename(path), 0, null, `cannot read: ${(err as Error).message}`);
  }
  return decodeTable(name, csv, table);
}
