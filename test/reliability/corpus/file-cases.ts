import { expect } from "vitest";
import { caseSpec, WIDE_HEADER, type CorpusCase, type Expected, type Query } from "./case.ts";
import { toCsv, type Row } from "./render.ts";
import { csv, WIDE } from "./text-cases.ts";

type Make = (id: string) => CorpusCase;
const ok = (loaded: number, duplicates?: number): Expected => ({
  loaded,
  dead: 0,
  missing: 0,
  codes: [],
  ...(duplicates === undefined ? {} : { duplicates }),
});
const refused = (code: string): Expected => ({ loaded: 0, dead: 1, missing: 0, codes: [code] });
const at = (iso: string) => new Date(iso);
const withVintage = (rows: Row[], vintage: string) =>
  toCsv(
    [...WIDE_HEADER, "发布时间"],
    rows.map((r) => ({ ...r, 发布时间: vintage })),
  );

/** Revisions use 舟山市 in 2016, a key no other case loads, so obs_latest is theirs alone. */
const REVISED = { 地区: "舟山市", 年份: "2016", 居民人均可支配收入: "38000", 城镇化率: "67.1", 常住人口: "116" };
const latestIncome = async (query: Query) =>
  (
    await query(
      "SELECT value, CAST(vintage AS VARCHAR) AS v FROM obs_latest WHERE region_code = '330900' " +
        "AND period = '2016' AND indicator_code = 'disposable_income_per_capita'",
    )
  )[0];

const file = (name: string, bytes: string, mtime?: Date) => ({ name, bytes, ...(mtime ? { mtime } : {}) });

/** Duplicates, out-of-order revisions, and paths that lead out of the drop folder. */
export const FILE_CASES: Make[] = [
  (id) => ({
    id,
    category: "duplicates",
    name: "the same file dropped twice under two names: produced once",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("a.csv", csv(), at("2025-01-01")), file("b.csv", csv(), at("2025-01-02"))],
    records: 4,
    expect: ok(4, 1),
  }),
  (id) => ({
    id,
    category: "duplicates",
    name: "the same file in a subfolder and at the top",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("a.csv", csv()), file("2023/a.csv", csv())],
    records: 4,
    expect: ok(4, 1),
  }),
  (id) => ({
    id,
    category: "duplicates",
    name: "the same row twice in one file: both kept as sources, one latest value",
    spec: caseSpec(id, { kind: "csv" }),
    files: [
      file(
        "a.csv",
        toCsv(WIDE_HEADER, [
          { ...REVISED, 地区: "湖州市" },
          { ...REVISED, 地区: "湖州市" },
        ]),
      ),
    ],
    records: 2,
    expect: ok(2),
    check: async (q) =>
      expect(
        await q("SELECT count(*)::INTEGER AS n FROM obs_latest WHERE region_code = '330500' AND period = '2016'"),
      ).toEqual([{ n: 3 }]),
  }),
  (id) => ({
    id,
    category: "duplicates",
    name: "the same rows in two different files (reordered)",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("a.csv", csv()), file("b.csv", csv([...WIDE].reverse()))],
    records: 8,
    expect: ok(8, 0),
  }),
  (id) => ({
    id,
    category: "duplicates",
    name: "the same content with a BOM and without: two files, both read",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("a.csv", csv()), file("b.csv", `\uFEFF${csv()}`)],
    records: 8,
    expect: ok(8, 0),
  }),
  (id) => ({
    id,
    category: "revisions",
    name: "a revision published earlier arrives later: the newest vintage stays latest",
    spec: caseSpec(id, { kind: "csv" }, { vintageColumn: "发布时间" }),
    files: [
      file(
        "new.csv",
        withVintage([{ ...REVISED, 居民人均可支配收入: "39000" }], "2017-06-30T00:00:00Z"),
        at("2025-01-01"),
      ),
      file("old.csv", withVintage([REVISED], "2017-01-31T00:00:00Z"), at("2025-02-01")),
    ],
    records: 2,
    expect: ok(2),
    check: async (q) => expect(await latestIncome(q)).toMatchObject({ value: 39000 }),
  }),
  (id) => ({
    id,
    category: "revisions",
    name: "two vintages in one file, older one last",
    spec: caseSpec(id, { kind: "csv" }, { vintageColumn: "发布时间" }),
    files: [
      file(
        "both.csv",
        withVintage([{ ...REVISED, 居民人均可支配收入: "39500" }], "2017-09-30T00:00:00Z") +
          withVintage([{ ...REVISED, 居民人均可支配收入: "38500" }], "2017-03-31T00:00:00Z")
            .split("\n")
            .slice(1)
            .join("\n"),
      ),
    ],
    records: 2,
    expect: ok(2),
    check: async (q) => expect(await latestIncome(q)).toMatchObject({ value: 39500 }),
  }),
  (id) => ({
    id,
    category: "revisions",
    name: "an unreadable vintage falls back to the file's time, and is not newer than a real one",
    spec: caseSpec(id, { kind: "csv" }, { vintageColumn: "发布时间" }),
    files: [file("x.csv", withVintage([{ ...REVISED, 居民人均可支配收入: "1" }], "not a date"), at("2017-01-01"))],
    records: 1,
    expect: ok(1),
    check: async (q) => expect(await latestIncome(q)).toMatchObject({ value: 39500 }),
  }),
  (id) => ({
    id,
    category: "paths",
    // A relative path with .. is a spec error now (test/schemas/feed-spec-errors.test.ts); an absolute one is
    // refused when the folder is resolved unless it lies under ingest.allowedRoots.
    name: "an absolute connector.path outside the drop root and the allowed roots",
    spec: caseSpec(id, { kind: "csv" }, { connector: { kind: "file-drop", path: `/tmp/escape-${id}` } }),
    records: 1,
    expect: refused("refused_folder"),
  }),
  (id) => ({
    id,
    category: "paths",
    name: "an absolute connector.path to a system folder (/etc)",
    spec: caseSpec(id, { kind: "csv" }, { connector: { kind: "file-drop", path: "/etc" } }),
    records: 1,
    expect: refused("refused_folder"),
  }),
  (id) => ({
    id,
    category: "paths",
    name: "a symlink to a file outside the folder",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("../outside/secret.csv", csv()), { name: "in-link.csv", linkTo: "outside/secret.csv" }],
    records: 1,
    expect: refused("refused_file"),
  }),
  (id) => ({
    id,
    category: "paths",
    name: "a symlinked folder leading outside",
    spec: caseSpec(id, { kind: "csv" }),
    files: [{ name: "../outside/x.csv", bytes: csv() }, { name: "linked", linkTo: "outside" }, file("ok.csv", csv())],
    records: 5,
    expect: { loaded: 4, dead: 1, missing: 0, codes: ["refused_file"] },
  }),
  (id) => ({
    id,
    category: "paths",
    name: "a symlink to /etc/passwd",
    spec: caseSpec(id, { kind: "csv" }),
    files: [{ name: "passwd.csv", linkTo: "../../../../../../../../etc/passwd" }],
    records: 1,
    expect: refused("refused_file"),
  }),
  (id) => ({
    id,
    category: "paths",
    name: "a dangling symlink",
    spec: caseSpec(id, { kind: "csv" }),
    files: [{ name: "gone.csv", linkTo: "nowhere.csv" }, file("ok.csv", csv())],
    records: 5,
    expect: { loaded: 4, dead: 1, missing: 0, codes: ["refused_file"] },
  }),
  (id) => ({
    id,
    category: "paths",
    name: "a symlink to a file inside the folder: the same bytes, produced once",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("real.csv", csv(), at("2025-01-01")), { name: "alias.csv", linkTo: "in/real.csv" }],
    records: 4,
    expect: ok(4, 1),
  }),
  (id) => ({
    id,
    category: "paths",
    name: "file names with spaces, quotes, newlines and ..",
    spec: caseSpec(id, { kind: "csv" }),
    files: [file("a b'\"c\n..d.csv", csv())],
    records: 4,
    expect: ok(4),
  }),
];
