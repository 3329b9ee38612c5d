import { mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DuckDBInstance } from "@duckdb/node-api";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli, type CliResult } from "../helpers/cli.ts";

// The sample household survey holds direct identifiers (household numbers, ID-card numbers) and incomes, and the
// sample market registry credit codes and legal representatives' ID-card numbers. After a run, no output may hold an
// identifier in clear or the key: not the warehouse, bi.duckdb, the lake, the logs, the ingest state or the dead
// letters. The drop folder's processed/ archive keeps the department's file as
// delivered, by design, and is the one place not searched.
const KEY = "privacy-test-key-not-a-real-one-0123456789";
const SAMPLE = join(REPO, "samples", "feeds", "household-survey", "zj-household-survey-2021.csv");
const REGISTRY = join(REPO, "samples", "feeds", "market-registry", "zj-market-registry-2019-2025.csv");
const BAD_REGISTRY = [
  "91339999000099BADX",
  "330102197001010077",
  "339999",
  "企业",
  "设立",
  "2021-03-01",
  "2021-03-01",
  "",
];
/** Tokens shaped like a household number, an ID-card number or a credit code, looked up at once. */
const TOKENS = /HH[\w-]+|\d{17}[\dX]|9[123]33\d{4}[0-9A-Z]{10}/g;
const BAD_ROWS = [
  ["HH-BAD-0001", "330102198001010099", "999999", "2021", "3", "123457"],
  ["HH-BAD-0002", "330102198001010088", "330102", "2021", "3", "not-a-number"],
];

const data = mkdtempSync(join(tmpdir(), "gongfu-privacy-"));
let result: CliResult;
let identifiers: string[];
let registryIds: string[];

/** Every row of every table and view of a DuckDB file, as text. */
async function dumpDatabase(path: string): Promise<string> {
  const instance = await DuckDBInstance.create(path, { access_mode: "READ_ONLY" });
  const c = await instance.connect();
  try {
    const names = (
      await c.runAndReadAll(
        "SELECT table_name FROM duckdb_tables() WHERE NOT internal UNION SELECT view_name FROM duckdb_views() WHERE NOT internal",
      )
    ).getRows();
    const parts: string[] = [];
    for (const [name] of names)
      parts.push(JSON.stringify((await c.runAndReadAll(`SELECT * FROM "${String(name)}"`)).getRowsJson()));
    return parts.join("\n");
  } finally {
    c.closeSync();
    instance.closeSync();
  }
}

/** Every file under a folder: Parquet files through DuckDB (their strings are compressed), others as text. */
async function dumpFolder(dir: string): Promise<string> {
  const parts: string[] = [];
  for (const e of readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (!e.isFile()) continue;
    const path = join(e.parentPath, e.name);
    if (path.endsWith(".parquet")) {
      const instance = await DuckDBInstance.create(":memory:");
      const c = await instance.connect();
      parts.push(JSON.stringify((await c.runAndReadAll(`SELECT * FROM read_parquet('${path}')`)).getRowsJson()));
      c.closeSync();
      instance.closeSync();
    } else parts.push(readFileSync(path, "utf8"));
  }
  return parts.join("\n");
}

beforeAll(async () => {
  const drop = join(data, "inbox", "household-survey");
  mkdirSync(drop, { recursive: true });
  const header = "household_id,head_id_card,county_code,survey_year,household_size,disposable_income";
  writeFileSync(join(drop, "bad.csv"), `title\n${header}\n${BAD_ROWS.map((r) => r.join(",")).join("\n")}\n`);
  const registryDrop = join(data, "inbox", "market-registry");
  mkdirSync(registryDrop, { recursive: true });
  const registryHeader = readFileSync(REGISTRY, "utf8").split(/\r?\n/)[1];
  writeFileSync(join(registryDrop, "bad.csv"), `title\n${registryHeader}\n${BAD_REGISTRY.join(",")}\n`);
  result = await runCli(["run", "--samples", "--data", data], {
    env: { GONGFU_PSEUDONYM_KEY: KEY, GONGFU_LOG_LEVEL: "debug" },
  });
  const rows = readFileSync(SAMPLE, "utf8").trim().split(/\r?\n/).slice(2);
  identifiers = [...rows.flatMap((r) => r.split(",").slice(0, 2)), ...BAD_ROWS.flatMap((r) => r.slice(0, 2))];
  const events = readFileSync(REGISTRY, "utf8").trim().split(/\r?\n/).slice(2);
  registryIds = [...events.flatMap((r) => r.split(",").slice(0, 2)), ...BAD_REGISTRY.slice(0, 2)];
}, 180_000);
afterAll(() => rmSync(data, { recursive: true, force: true }));

describe("personal data of record feeds", () => {
  it("runs to the end: refused records are dead letters, not a failed run", () => {
    expect(result.code, result.stderr.slice(-2000)).toBe(0);
  });

  it("appears in clear in no output: warehouse, bi.duckdb, lake, logs, state", async () => {
    const outputs: Record<string, string> = {
      "gongfu.duckdb": await dumpDatabase(join(data, "gongfu.duckdb")),
      "bi.duckdb": await dumpDatabase(join(data, "bi.duckdb")),
      lake: await dumpFolder(join(data, "lake")),
      state: await dumpFolder(join(data, "state")),
      logs: result.stdout + result.stderr,
    };
    expect(outputs["gongfu.duckdb"]).toContain("p_"); // the pseudonyms are there
    expect(identifiers.length).toBe(2 * 3600 + 4);
    expect(registryIds.length).toBe(2 * 10_347 + 2);
    const wanted = new Set([...identifiers, ...registryIds]);
    for (const [name, text] of Object.entries(outputs)) {
      const found = [...text.matchAll(TOKENS)].map((m) => m[0]).filter((t) => wanted.has(t));
      expect(found.slice(0, 3), name).toEqual([]);
      expect(text.includes(KEY), `${name} holds the pseudonymisation key`).toBe(false);
    }
  });

  it("finds the identifiers where they are kept (the processed/ archive), so the search above can fail", async () => {
    const archive = await dumpFolder(join(data, "inbox", "household-survey", "processed"));
    const wanted = new Set(identifiers);
    const found = [...archive.matchAll(TOKENS)].filter((m) => wanted.has(m[0]));
    expect(found.length).toBe(identifiers.length);
    const registry = await dumpFolder(join(data, "inbox", "market-registry", "processed"));
    const ids = new Set(registryIds);
    expect([...registry.matchAll(TOKENS)].filter((m) => ids.has(m[0])).length).toBe(registryIds.length);
  });

  it("keeps record tables and incomes out of bi.duckdb and the lake", async () => {
    const bi = await dumpDatabase(join(data, "bi.duckdb"));
    expect(bi.includes("123457"), "an income of a refused record is in bi.duckdb").toBe(false);
    const instance = await DuckDBInstance.create(join(data, "bi.duckdb"), { access_mode: "READ_ONLY" });
    const c = await instance.connect();
    const tables = (
      await c.runAndReadAll("SELECT table_name FROM duckdb_tables() UNION SELECT view_name FROM duckdb_views()")
    ).getRows();
    c.closeSync();
    instance.closeSync();
    expect(tables.map(([t]) => String(t)).filter((t) => t.startsWith("rec_") || t === "derived_cell")).toEqual([]);
    expect(readdirSync(join(data, "lake")).some((f) => f.startsWith("rec_"))).toBe(false);
  });

  it("puts records in the lake by feed and period with their non-personal columns only", async () => {
    const file = join(data, "lake", "records", "household-survey", "period=2021", "data.parquet");
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    const columns = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${file}')`)).getRows().map(([n]) => n);
    const [count] = (await c.runAndReadAll(`SELECT count(*) FROM read_parquet('${file}')`)).getRows();
    c.closeSync();
    instance.closeSync();
    expect(columns).toEqual([
      "county_code",
      "survey_year",
      "household_size",
      "_region",
      "_period",
      "_vintage",
      "_source_uri",
      "_line",
      "period", // from the Hive path
    ]);
    expect(Number(count?.[0])).toBe(3600);
  });

  it("puts the registry in the lake without its credit codes, pseudonymised or not", async () => {
    const instance = await DuckDBInstance.create(":memory:");
    const c = await instance.connect();
    const glob = join(data, "lake", "records", "market-registry", "*", "data.parquet");
    const columns = (await c.runAndReadAll(`DESCRIBE SELECT * FROM read_parquet('${glob}')`)).getRows().map(([n]) => n);
    const [count] = (await c.runAndReadAll(`SELECT count(*) FROM read_parquet('${glob}')`)).getRows();
    c.closeSync();
    instance.closeSync();
    expect(columns).not.toContain("entity_id");
    expect(columns).not.toContain("legal_rep_id_card");
    expect(columns).toContain("entity_type");
    expect(Number(count?.[0])).toBe(10_347);
  });

  it("redacts identifiers and personal attributes in dead letters", async () => {
    const instance = await DuckDBInstance.create(join(data, "gongfu.duckdb"), { access_mode: "READ_ONLY" });
    const c = await instance.connect();
    const rows = (
      await c.runAndReadAll(
        "SELECT reason_codes, CAST(payload AS VARCHAR) AS payload FROM quarantine WHERE feed = 'household-survey' ORDER BY source_position",
      )
    ).getRowObjects();
    c.closeSync();
    instance.closeSync();
    expect(rows.map((r) => r["reason_codes"])).toEqual(["unknown_region", "parse_error"]);
    const payload = JSON.parse(String(rows[1]?.["payload"])) as Record<string, string>;
    expect(payload).toEqual({
      household_id: "[redacted]",
      head_id_card: "[redacted]",
      county_code: "330102",
      survey_year: "2021",
      household_size: "3",
      disposable_income: "[redacted]",
    });
  });
});
