import { DuckDBInstance, type DuckDBConnection, type DuckDBDataChunk } from "@duckdb/node-api";

/**
 * DuckDB reads plain UTF-8 CSV files for ingest: its `read_csv` parses in C++ on every core, and the columns a
 * layout reads by name (region, period, indicator, unit, vintage) cross into JavaScript as integer codes into a
 * dictionary read once per file, so no string is made per row for them. What makes a file plain enough is decided
 * before (csv-plain-scan.ts); DuckDB's own strict mode refuses anything else before a row is handed on, and the
 * caller then reads the file with the JavaScript reader.
 */

/** What to read: the file, where its records start, and which columns to read as dictionary codes. */
export interface CsvColumnsPlan {
  path: string;
  /** Column names in file order (as the header gives them, canonicalised). */
  header: readonly string[];
  /** The header's line: records start on the next one. */
  headerLine: number;
  delimiter: string;
  maxRecordBytes: number;
  /** Indexes of columns with few distinct values (a layout's key columns), read as codes. */
  coded: readonly number[];
  /** Of them, the ones that must be codes: the file is left to the JavaScript reader if one has too many values. */
  mustCode: readonly number[];
  /**
   * Indexes of further columns read as codes when the file's first SAMPLE_ROWS records hold at most SAMPLE_DISTINCT
   * distinct values in them (a record feed's entity type or event kind); otherwise read as text.
   */
  codedIfFew?: readonly number[];
  /**
   * Indexes of columns nobody reads (a record column dropped at ingest): DuckDB still checks their fields, but they
   * do not cross into JavaScript, where each would be a string per row; their chunk columns are empty.
   */
  unread?: readonly number[];
}

/** One DuckDB chunk of rows: per column either codes into its file dictionary or the texts themselves. */
export interface CsvColumnsChunk {
  rows: number;
  columns: readonly (Int32Array | string[])[];
}

export interface CsvColumns {
  /** Records in the file (after the header). */
  readonly rows: number;
  /** Per column, the file's distinct values when the column is coded. */
  readonly dictionaries: readonly (readonly string[] | undefined)[];
  chunks(): AsyncGenerator<CsvColumnsChunk>;
}

/** A coded column with more distinct values than this is read as text: its dictionary would not save anything. */
export const MAX_DICTIONARY = 65_536;

/** Records `codedIfFew` looks at, from the top of the file, and the distinct values a column may have among them. */
export const SAMPLE_ROWS = 65_536;
export const SAMPLE_DISTINCT = 1024;

let engine: Promise<DuckDBInstance> | undefined;

/** One in-memory DuckDB per process for reading files; its memory is capped so a large file spills, not grows. */
function csvEngine(): Promise<DuckDBInstance> {
  engine ??= DuckDBInstance.create(":memory:", { memory_limit: "128MB" });
  return engine;
}

const literal = (s: string) => `'${s.replaceAll("'", "''")}'`;

function readCsvSql(plan: CsvColumnsPlan): string {
  const columns = plan.header.map((_, i) => `'c${i}': 'VARCHAR'`).join(", ");
  // Explicit options, no sniffing: strict mode refuses a row with too few or too many fields, a stray quote, a line
  // over the limit and invalid UTF-8, so a file DuckDB reads to the end is a file the JavaScript reader reads alike.
  return `read_csv(${literal(plan.path)}, header = false, skip = ${plan.headerLine}, auto_detect = false,
    delim = ${literal(plan.delimiter)}, quote = '"', escape = '"', strict_mode = true, null_padding = false,
    max_line_size = ${plan.maxRecordBytes}, columns = {${columns}})`;
}

/**
 * Reads the file once to count its records and collect the coded columns' dictionaries (after a look at its first
 * records for `codedIfFew`). Returns why DuckDB could not read it (the caller then uses the JavaScript reader)
 * instead of throwing: nothing has been handed on yet.
 */
export async function openCsvColumns(plan: CsvColumnsPlan): Promise<CsvColumns | { unreadable: string }> {
  const connection = await (await csvEngine()).connect();
  const source = readCsvSql(plan);
  let rows: number;
  const dictionaries: (string[] | undefined)[] = plan.header.map(() => undefined);
  try {
    const coded = [...plan.coded, ...(await fewValued(connection, source, plan.codedIfFew ?? []))];
    const lists = coded.map((i) => `list(DISTINCT coalesce(c${i}, '')) AS d${i}`);
    const reader = await connection.runAndReadAll(
      `SELECT count(*)::DOUBLE AS n${lists.map((l) => `, ${l}`).join("")} FROM ${source}`,
    );
    const [first] = reader.getRowObjectsJS();
    rows = Number(first?.["n"] ?? 0);
    for (const i of coded) {
      const values = (first?.[`d${i}`] ?? []) as string[];
      if (values.length <= MAX_DICTIONARY) dictionaries[i] = values;
      else if (plan.mustCode.includes(i)) throw new Error(`column ${plan.header[i]} has over ${MAX_DICTIONARY} values`);
    }
  } catch (err) {
    connection.closeSync();
    return { unreadable: err instanceof Error ? err.message.split("\n")[0]! : String(err) };
  }
  const unread = new Set(plan.unread);
  const read = plan.header.map((_, i) => i).filter((i) => !unread.has(i));
  return {
    rows,
    dictionaries,
    chunks: () => streamColumns(connection, source, dictionaries, read),
  };
}

/**
 * Of `candidates`, the columns with few distinct values in the file's first records. A sample, not the file: the
 * whole file's distinct values of a column with millions of them would fill the first pass's memory. A column that
 * has more further down is still read right, as text, once its dictionary passes MAX_DICTIONARY.
 */
async function fewValued(
  connection: DuckDBConnection,
  source: string,
  candidates: readonly number[],
): Promise<number[]> {
  if (candidates.length === 0) return [];
  const counts = candidates.map((i) => `count(DISTINCT c${i}) AS n${i}`).join(", ");
  const names = candidates.map((i) => `c${i}`).join(", ");
  const [row] = (
    await connection.runAndReadAll(`SELECT ${counts} FROM (SELECT ${names} FROM ${source} LIMIT ${SAMPLE_ROWS})`)
  ).getRowObjectsJS();
  return candidates.filter((i) => Number(row?.[`n${i}`] ?? Infinity) <= SAMPLE_DISTINCT);
}

async function* streamColumns(
  connection: DuckDBConnection,
  source: string,
  dictionaries: readonly (readonly string[] | undefined)[],
  read: readonly number[],
): AsyncGenerator<CsvColumnsChunk> {
  const types: string[] = [];
  try {
    const exprs: string[] = [];
    for (const i of read) {
      const values = dictionaries[i];
      if (values === undefined) {
        exprs.push(`coalesce(c${i}, '')`);
        continue;
      }
      // An ENUM of the file's distinct values: casting to it is a hash lookup in DuckDB, enum_code its index.
      const type = `gongfu_csv_${process.pid}_${++typeSeq}`;
      await connection.run(`CREATE TYPE ${type} AS ENUM (${values.length ? values.map(literal).join(", ") : "''"})`);
      types.push(type);
      exprs.push(`enum_code(coalesce(c${i}, '')::${type})::INTEGER`);
    }
    const result = await connection.stream(`SELECT ${exprs.join(", ")} FROM ${source}`);
    for (;;) {
      const chunk = await result.fetchChunk();
      if (!chunk || chunk.rowCount === 0) break;
      yield columnsOf(chunk, dictionaries, read);
    }
  } finally {
    for (const type of types) await connection.run(`DROP TYPE IF EXISTS ${type}`).catch(() => {});
    connection.closeSync();
  }
}

let typeSeq = 0;

/** The chunk's columns in file order; the selected ones (`read`) are its vectors in turn, the others empty. */
function columnsOf(
  chunk: DuckDBDataChunk,
  dictionaries: readonly (readonly string[] | undefined)[],
  read: readonly number[],
): CsvColumnsChunk {
  const rows = chunk.rowCount;
  const columns: (Int32Array | string[])[] = dictionaries.map(() => []);
  read.forEach((j, v) => {
    const vector = chunk.getColumnVector(v);
    if (dictionaries[j] === undefined) {
      const texts = new Array<string>(rows);
      for (let i = 0; i < rows; i++) texts[i] = vector.getItem(i) as string;
      columns[j] = texts;
    } else {
      const codes = new Int32Array(rows);
      for (let i = 0; i < rows; i++) codes[i] = vector.getItem(i) as number;
      columns[j] = codes;
    }
  });
  return { rows, columns };
}
