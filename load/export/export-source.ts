import { closeSync, existsSync, openSync, readSync, realpathSync, statSync } from "node:fs";
import { basename, dirname, isAbsolute, join, relative, resolve, sep } from "node:path";
import { StatementType, type DuckDBConnection } from "@duckdb/node-api";
import { ConfigError, errorMessage } from "../../runtime/errors.ts";
import { openWarehouseReadOnly, type Warehouse } from "../warehouse.ts";
import { ident } from "./column-plan.ts";
import { literal } from "../sql-literal.ts";

export type SourceKind = "warehouse" | "bi.duckdb";

/**
 * The warehouse, read-only; while a loader holds it for writing, DuckDB refuses any other process, so the
 * Parquet lake's bi.duckdb (the same tables and views, as of the last export) answers instead.
 */
export async function openExportSource(
  warehousePath: string,
  biPath: string,
): Promise<{ db: Warehouse; kind: SourceKind; note?: string }> {
  try {
    return { db: await openWarehouseReadOnly(warehousePath), kind: "warehouse" };
  } catch (err) {
    const locked = /lock/i.test(errorMessage(err));
    if (!locked || !existsSync(biPath)) throw err;
    return {
      db: await openWarehouseReadOnly(biPath),
      kind: "bi.duckdb",
      note: "the warehouse is held by a running loader; reading the Parquet lake as of its last export",
    };
  }
}

/** Tables and views a user may export, by name. */
export async function exportableTables(connection: DuckDBConnection): Promise<string[]> {
  const rows = (
    await connection.runAndReadAll(`
      SELECT table_name AS name FROM duckdb_tables() WHERE schema_name = 'main' AND NOT internal AND NOT temporary
      UNION SELECT view_name FROM duckdb_views() WHERE schema_name = 'main' AND NOT internal AND NOT temporary
      ORDER BY name`)
  ).getRowObjects();
  return rows.map((r) => String(r["name"]));
}

/** A table name only ever reaches SQL if it is one of the catalog's tables, and then quoted. */
export async function selectForTable(connection: DuckDBConnection, table: string): Promise<string> {
  const tables = await exportableTables(connection);
  if (!tables.includes(table))
    throw new ConfigError(`--table ${JSON.stringify(table)} is not a table or view of the warehouse`, {
      hint: `one of: ${tables.join(", ")}`,
    });
  return `SELECT * FROM ${ident(table)}`;
}

/**
 * Where `--query` must not go: the first `--` or `/*` outside quotes, or undefined. The query is later placed inside
 * a larger statement, where a trailing line comment would swallow what follows; refusing comments keeps that exact.
 */
export function findComment(sql: string): number | undefined {
  for (let i = 0; i < sql.length; i++) {
    const c = sql[i];
    if (c === "'" || c === '"') {
      // '' and "" inside are escapes: the scan just reopens the quote.
      const end = sql.indexOf(c, i + 1);
      if (end < 0) return undefined;
      i = end;
    } else if (c === "$") {
      const tag = /^\$[A-Za-z_]*\$/.exec(sql.slice(i))?.[0];
      if (tag === undefined) continue;
      const end = sql.indexOf(tag, i + tag.length);
      if (end < 0) return undefined;
      i = end + tag.length - 1;
    } else if ((c === "-" && sql[i + 1] === "-") || (c === "/" && sql[i + 1] === "*")) {
      return i;
    }
  }
  return undefined;
}

interface SerializedSql {
  error: boolean;
  error_message?: string;
  statements?: unknown[];
}

/**
 * --query must be exactly one SELECT (or WITH … SELECT, VALUES, FROM …, SHOW, DESCRIBE): nothing that writes, and
 * nothing after it. The statement is classified from DuckDB's own parse tree: `json_serialize_sql` serializes SELECT
 * statements only, so PRAGMA, SET, CALL, COPY, ATTACH, EXPLAIN and anything else are refused before they run. (A
 * prepared PRAGMA reports itself as a SELECT, so the prepared statement's type is not enough.)
 */
export async function selectForQuery(connection: DuckDBConnection, sql: string): Promise<string> {
  const text = sql.trim().replace(/;\s*$/, "");
  if (text === "") throw new ConfigError("--query is empty");
  const comment = findComment(text);
  if (comment !== undefined)
    throw new ConfigError(`--query holds a comment at character ${comment + 1} (${text.slice(comment, comment + 2)})`, {
      hint: "remove the comment; --query takes one SELECT statement",
    });
  let count: number;
  try {
    count = (await connection.extractStatements(text)).count;
  } catch (cause) {
    throw new ConfigError(`--query does not parse: ${errorMessage(cause).split("\n")[0]}`, { cause });
  }
  if (count !== 1) throw new ConfigError(`--query must be a single statement, not ${count}`);
  const reader = await connection.runAndReadAll("SELECT json_serialize_sql($1::VARCHAR) AS tree", [text]);
  const tree = JSON.parse(String(reader.getRowObjects()[0]?.["tree"])) as SerializedSql;
  if (tree.error || tree.statements?.length !== 1) {
    const keyword = /^\s*\(*\s*([A-Za-z]+)/.exec(text)?.[1]?.toUpperCase() ?? "this statement";
    throw new ConfigError(`--query must be a SELECT statement, not ${keyword}`, {
      hint: "exports never change the warehouse; PRAGMA, SET, CALL, COPY, ATTACH and EXPLAIN are refused",
    });
  }
  let prepared: Awaited<ReturnType<DuckDBConnection["prepare"]>>;
  try {
    prepared = await connection.prepare(text);
  } catch (cause) {
    throw new ConfigError(`--query does not run: ${errorMessage(cause).split("\n")[0]}`, { cause });
  }
  try {
    if (prepared.statementType !== StatementType.SELECT)
      throw new ConfigError("--query must be a SELECT; exports never change the warehouse");
    if (prepared.parameterCount > 0) throw new ConfigError("--query cannot have parameters ($1, ?)");
  } finally {
    prepared.destroySync();
  }
  return text;
}

const asFolder = (dir: string) => (dir.endsWith(sep) ? dir : `${dir}${sep}`);

/**
 * Locks the export's connection down before any user SQL reaches it: no file, URL or database outside the lake
 * (DuckDB's `enable_external_access = false` with `allowed_directories`), except the file the export itself
 * writes; no extension installed or loaded on demand; and the configuration locked so a query cannot undo it.
 */
export async function sandboxConnection(
  connection: DuckDBConnection,
  allow: { directories: readonly string[]; files: readonly string[] },
): Promise<void> {
  const list = (xs: readonly string[]) => `[${xs.map(literal).join(", ")}]`;
  await connection.run(
    [
      `SET allowed_directories = ${list(allow.directories.map((d) => asFolder(resolve(d))))}`,
      `SET allowed_paths = ${list(allow.files.map((f) => resolve(f)))}`,
      "SET enable_external_access = false",
      "SET autoinstall_known_extensions = false",
      "SET autoload_known_extensions = false",
      "SET lock_configuration = true",
    ].join(";\n"),
  );
}

/** The lake folder bi.duckdb's views name (its `_bi_info`), resolved as DuckDB resolves it: from the working folder. */
export async function biLakeDir(connection: DuckDBConnection): Promise<string | undefined> {
  try {
    const rows = (await connection.runAndReadAll("SELECT lake_path FROM _bi_info")).getRowObjects();
    const path = rows[0]?.["lake_path"];
    return typeof path === "string" ? resolve(path) : undefined;
  } catch {
    return undefined;
  }
}

/** The path as the file system will resolve it: symlinks in it followed, also for a file not yet there. */
function realPath(path: string): string {
  const abs = resolve(path);
  try {
    return realpathSync(abs);
  } catch {
    const parent = dirname(abs);
    return parent === abs ? abs : join(realPath(parent), basename(abs));
  }
}

const isInside = (path: string, dir: string) => {
  const rel = relative(dir, path);
  return rel !== ".." && !rel.startsWith(`..${sep}`) && !isAbsolute(rel);
};

/** DuckDB writes "DUCK" at byte 8 of its files; SQLite starts with "SQLite format 3". */
function databaseKind(path: string): string | undefined {
  try {
    if (!statSync(path).isFile()) return undefined;
    const head = Buffer.alloc(16);
    const fd = openSync(path, "r");
    try {
      readSync(fd, head, 0, 16, 0);
    } finally {
      closeSync(fd);
    }
    if (head.subarray(8, 12).toString("latin1") === "DUCK") return "a DuckDB database";
    if (head.toString("latin1") === "SQLite format 3\0") return "an SQLite database";
  } catch {
    // unreadable or absent: nothing to protect here
  }
  return undefined;
}

/** What an export must never replace: the warehouse's and bi.duckdb's files and the folders the pipeline owns. */
export interface GuardedPaths {
  /** Database files: each with its `.wal` and `.tmp/` spill folder. */
  databases: readonly string[];
  /** Folders owned whole: the lake, the connectors' state. */
  folders: readonly string[];
}

/**
 * Refuses an output path that is an existing database file, or is or lies inside the warehouse's files (the
 * warehouse, its WAL and spill folder, bi.duckdb, the lake, the state folder), however the path reaches it
 * (relative, through a symlink, `..`).
 */
export function refuseGuardedOutput(out: string, guarded: GuardedPaths): void {
  const target = realPath(out);
  const refuse = (what: string) =>
    new ConfigError(`--out ${out} ${what}; an export never replaces it`, {
      hint: "write the export somewhere else, e.g. --out export.csv",
    });
  for (const db of guarded.databases) {
    const real = realPath(db);
    if (target === real || target === `${real}.wal`) throw refuse(`is the database ${db}`);
    if (isInside(target, `${real}.tmp`)) throw refuse(`lies in ${db}.tmp, DuckDB's spill folder`);
  }
  for (const folder of guarded.folders)
    if (isInside(target, realPath(folder))) throw refuse(`lies inside ${folder}, which gongfu keeps`);
  const kind = databaseKind(target);
  if (kind) throw refuse(`is ${kind}`);
}
