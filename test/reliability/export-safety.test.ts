import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, symlinkSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { runCli, type CliResult } from "../helpers/cli.ts";
import { writeSection } from "./results-file.ts";

const CLI = fileURLToPath(new URL("../../cli/gongfu.ts", import.meta.url));
const outputs: string[] = [];
const queries: string[] = [];
let lockLine = "";

const hashOf = (paths: string[]) => {
  const h = createHash("sha256");
  for (const p of paths) h.update(existsSync(p) ? readFileSync(p) : "absent");
  return h.digest("hex");
};
const firstLine = (r: CliResult) =>
  (r.stderr.split("\n").find((l) => l.startsWith("gongfu:")) ?? r.stderr.trim().split("\n")[0] ?? "").slice(0, 400);

describe("export cannot harm the warehouse, and --query reads only the warehouse and the lake", {
  timeout: 300_000,
}, () => {
  let root: string;
  let data: string;
  let warehouseFiles: string[];
  const exportCli = (...args: string[]) => runCli(["export", "--data", data, "--no-metrics", ...args]);
  const shown = (s: string) => s.replaceAll(root, "<tmp>");

  beforeAll(async () => {
    root = mkdtempSync(join(tmpdir(), "gongfu-export-safety-"));
    data = join(root, "data");
    const run = await runCli(["run", "--samples", "--data", data, "--no-metrics"]);
    expect(run.code, run.stderr).toBe(0);
    warehouseFiles = [join(data, "gongfu.duckdb"), join(data, "gongfu.duckdb.wal"), join(data, "bi.duckdb")];
  });

  afterAll(async () => {
    if (root) rmSync(root, { recursive: true, force: true });
    await writeSection(
      "export-safety",
      [
        "## Export: output paths and the --query sandbox",
        "",
        "`test/reliability/export-safety.test.ts`, against a warehouse made by `gongfu run --samples`. The warehouse,",
        "its WAL and bi.duckdb are byte-identical after every case below.",
        "",
        "| --out | outcome |",
        "|---|---|",
        ...outputs,
        "",
        "`--query` runs on a connection with `enable_external_access = false`, `allowed_directories` = the lake,",
        "`allowed_paths` = the file the export writes, extension autoinstall and autoload off, and the configuration",
        "locked. Statements are classified from DuckDB's parse tree (`json_serialize_sql` serializes SELECT only).",
        "",
        "| --query | outcome |",
        "|---|---|",
        ...queries,
        "",
        `Lock holder: while \`gongfu export\` holds the warehouse (writing into a FIFO nobody ` +
          `reads yet), \`gongfu run\` says: \`${lockLine}\``,
      ].join("\n"),
    );
  });

  it("refuses an --out that is a database file or lies inside the warehouse's files", async () => {
    const before = hashOf(warehouseFiles);
    const other = join(root, "other.duckdb");
    execFileSync(
      process.execPath,
      [
        "--input-type=module",
        "-e",
        `import { DuckDBInstance } from "@duckdb/node-api"; const i = await DuckDBInstance.create(${JSON.stringify(other)}); ` +
          `(await i.connect()).closeSync(); i.closeSync();`,
      ],
      { cwd: fileURLToPath(new URL("../../", import.meta.url)) },
    );
    const link = join(root, "innocent.csv");
    symlinkSync(join(data, "gongfu.duckdb"), link);
    const cases: Array<[string, string, string[]]> = [
      ["the warehouse", join(data, "gongfu.duckdb"), ["--format", "csv"]],
      ["the warehouse, by a relative path with ..", join("data", "..", "data", "gongfu.duckdb"), ["--format", "csv"]],
      ["a symlink to the warehouse", link, []],
      ["the warehouse's WAL", join(data, "gongfu.duckdb.wal"), ["--format", "csv"]],
      ["bi.duckdb", join(data, "bi.duckdb"), ["--format", "parquet"]],
      ["a file in the lake", join(data, "lake", "dim_region.parquet"), []],
      ["a new file in the lake", join(data, "lake", "fact_observation", "year=2024", "x.parquet"), []],
      ["a file in the state folder", join(data, "state", "stats-bureau-income.json"), ["--format", "csv"]],
      ["another DuckDB database", other, ["--format", "csv"]],
    ];
    for (const [what, out, extra] of cases) {
      const r = await runCli(
        ["export", "--data", data, "--no-metrics", "--table", "dim_region", "--out", out, ...extra],
        {
          cwd: root,
        },
      );
      expect(r.code, `${what}: ${r.stderr}`).toBe(2);
      expect(r.stderr).toMatch(/an export never replaces it/);
      outputs.push(`| ${what} | exit ${r.code}: \`${shown(firstLine(r))}\` |`);
    }
    expect(hashOf(warehouseFiles)).toBe(before);
    expect(readFileSync(other).subarray(8, 12).toString()).toBe("DUCK");
    const fine = await exportCli("--table", "dim_region", "--out", join(root, "dim_region.csv"));
    expect(fine.code, fine.stderr).toBe(0);
    outputs.push("| a new file outside the data folder | exit 0, written |");
  });

  it("keeps --query inside the warehouse and the lake, and refuses what is not one plain SELECT up front", async () => {
    const before = hashOf(warehouseFiles);
    const out = join(root, "q.csv");
    const cases: Array<[string, 0 | 1 | 2, RegExp]> = [
      ["SELECT * FROM read_text('/etc/passwd')", 2, /file system operations are disabled by configuration/],
      ["SELECT * FROM glob('/root/*')", 2, /Permission Error/],
      [`SELECT * FROM read_csv('${join(data, "state", "stats-bureau-income.json")}')`, 2, /Permission Error/],
      ["SELECT * FROM read_parquet('https://example.com/x.parquet')", 2, /Permission Error/],
      [`SELECT count(*) AS n FROM read_parquet('${join(data, "lake", "dim_region.parquet")}')`, 0, /^$/],
      [`SELECT * FROM read_text('${data}/lake/../state/stats-bureau-income.json')`, 2, /Permission Error/],
      [`SELECT * FROM read_text('${join(data, "bi.duckdb")}')`, 2, /Permission Error/],
      // DuckDB always lets a connection read its own database file: the same data the query can select anyway.
      [`SELECT size > 0 AS readable FROM read_blob('${join(data, "gongfu.duckdb")}')`, 0, /^$/],
      [
        "SELECT current_setting('autoload_known_extensions') AS a, " +
          "current_setting('autoinstall_known_extensions') AS i, current_setting('enable_external_access') AS e",
        0,
        /^$/,
      ],
      ["SET enable_external_access = true", 2, /must be a SELECT statement, not SET/],
      ["INSTALL httpfs", 2, /must be a SELECT statement, not INSTALL/],
      ["LOAD httpfs", 2, /must be a SELECT statement, not LOAD/],
      [`ATTACH '${join(root, "x.db")}' AS x`, 2, /must be a SELECT statement, not ATTACH/],
      ["PRAGMA database_list", 2, /must be a SELECT statement, not PRAGMA/],
      ["CALL pragma_version()", 2, /must be a SELECT statement, not CALL/],
      ["EXPLAIN SELECT 1", 2, /must be a SELECT statement, not EXPLAIN/],
      ["COPY dim_region TO '/tmp/x.csv'", 2, /must be a SELECT statement, not COPY/],
      ["SELECT 1 --", 2, /holds a comment at character 10 \(--\)/],
      ["SELECT 1 /* a */", 2, /holds a comment/],
      ["SELECT 1; SELECT 2", 2, /single statement, not 2/],
      ['SELECT \'--not a comment\' AS s, "a--b".x FROM (SELECT 1 AS x) AS "a--b"', 0, /^$/],
    ];
    for (const [query, code, pattern] of cases) {
      const r = await exportCli("--query", query, "--out", out);
      expect(r.code, `${query}: ${r.stderr}`).toBe(code);
      expect(firstLine(r), query).toMatch(code === 0 ? /^$/ : pattern);
      const result = code === 0 ? readFileSync(out, "utf8").trim().split("\n").join(" / ") : shown(firstLine(r));
      queries.push(
        `| \`${shown(query).replaceAll("|", "\\|")}\` | exit ${r.code}: ` +
          `${code === 0 ? `\`${result}\`` : `\`${result.replaceAll("|", "\\|")}\``} |`,
      );
      if (query.startsWith("SELECT current_setting")) expect(result).toContain("false,false,false");
    }
    expect(hashOf(warehouseFiles)).toBe(before);
  });

  it("names the command that holds the lock", async () => {
    const fifo = join(root, "hold.csv");
    execFileSync("mkfifo", [fifo]);
    const holder = spawn(
      process.execPath,
      [CLI, "export", "--data", data, "--no-metrics", "--table", "dim_region", "--out", fifo],
      {
        env: { ...process.env, GONGFU_LOG_LEVEL: "warn", KAFKA_BROKERS: "" },
        stdio: ["ignore", "ignore", "pipe"],
      },
    );
    let holderErr = "";
    holder.stderr?.on("data", (d: Buffer) => {
      holderErr += d.toString();
    });
    try {
      // The export opens the warehouse, then blocks opening the FIFO for writing until a reader comes: wait until
      // it holds the warehouse open, then start a run beside it.
      const warehouse = join(data, "gongfu.duckdb");
      const holdsWarehouse = () => {
        try {
          return readdirSync(`/proc/${holder.pid}/fd`).some((fd) => {
            try {
              return readlinkSync(`/proc/${holder.pid}/fd/${fd}`) === warehouse;
            } catch {
              return false;
            }
          });
        } catch {
          return false;
        }
      };
      for (let i = 0; i < 1200 && !holdsWarehouse(); i++) await new Promise((res) => setTimeout(res, 100));
      expect(holdsWarehouse(), holderErr).toBe(true);
      const r = await runCli(["run", "--data", data, "--no-metrics"]);
      expect(r.code).toBe(1);
      expect(firstLine(r)).toMatch(
        new RegExp(`is locked by gongfu export \\(pid ${holder.pid}\\) — .*wait for that gongfu export to finish`),
      );
      lockLine = shown(firstLine(r));
    } finally {
      holder.kill("SIGKILL");
      await new Promise((res) => holder.once("exit", res));
    }
  });
});
