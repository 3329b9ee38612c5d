import { linkSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { FeedSpecError, parseFeedSpec, type SpecProblem } from "../../schemas/index.ts";
import { runCli } from "../helpers/cli.ts";

const spec = (connector: string, extra = "") => `id: spec-test
name: test
department: { code: d, name: 部门 }
connector: ${connector}
format: { kind: csv }
layout: { kind: wide, region: 地区, period: 年份, columns: {} }
frequency: annual
${extra}`;

function problems(text: string, context: Parameters<typeof parseFeedSpec>[2] = {}): SpecProblem[] {
  try {
    parseFeedSpec(text, "feeds/spec-test.yaml", context);
  } catch (err) {
    if (err instanceof FeedSpecError) return [...err.problems];
    throw err;
  }
  return [];
}

const BOMB = `a: &a [x, x, x, x, x, x, x, x, x]
b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
`;

describe("feed spec errors at the spec", () => {
  it("reports a YAML syntax error at its own line", () => {
    const text = spec("{ kind: file-drop, path: x }").replace(
      "format: { kind: csv }",
      "format: { kind: csv\n  oops: [",
    );
    const found = problems(text);
    expect(found.length).toBeGreaterThan(0);
    expect(found.every((p) => p.field === "(yaml)" && p.file === "feeds/spec-test.yaml")).toBe(true);
    expect(found[0]!.line).toBeGreaterThanOrEqual(5); // the unclosed flow map opens on line 5, not line 1
  });

  it("refuses an alias bomb as a spec problem naming the file", () => {
    expect(problems(BOMB)).toEqual([
      expect.objectContaining({ file: "feeds/spec-test.yaml", message: expect.stringMatching(/alias/i) }),
    ]);
  });

  it("refuses file:// URLs and drop folders that climb out of the drop root, at validation", () => {
    const url = problems(spec("{ kind: http-poll, url: 'file:///etc/passwd' }"));
    expect(url).toEqual([expect.objectContaining({ field: "connector.url", line: 4 })]);
    const up = problems(spec("{ kind: file-drop, path: ../../.. }"));
    expect(up).toEqual([expect.objectContaining({ field: "connector.path", message: expect.stringContaining("..") })]);
    expect(problems(spec("{ kind: file-drop, path: a/../b }"))).toEqual([]);
  });

  it("refuses an absolute drop folder unless it lies under a root the configuration allows", () => {
    const text = spec("{ kind: file-drop, path: /srv/exchange/health }");
    expect(problems(text, { allowedRoots: [] })).toEqual([
      expect.objectContaining({ field: "connector.path", line: 4, message: expect.stringContaining("allowedRoots") }),
    ]);
    expect(problems(text, { allowedRoots: ["/srv/exchange"] })).toEqual([]);
    expect(problems(text, { allowedRoots: ["/srv/exch"] })).toHaveLength(1);
  });

  it("exits 2 naming the file for an alias bomb and for a YAML error, from validate and run", {
    timeout: 60_000,
  }, async () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-spec-errors-"));
    const feeds = join(dir, "feeds");
    mkdirSync(feeds);
    writeFileSync(join(feeds, "bomb.yaml"), BOMB);
    writeFileSync(join(dir, "x.csv"), "地区\n");
    const validate = await runCli(["validate", join(dir, "x.csv"), "--feed", "bomb", "--feeds", feeds]);
    expect(validate.code).toBe(2);
    expect(validate.stderr).toMatch(/bomb\.yaml:1: \(yaml\): cannot expand the YAML/);
    const run = await runCli(["run", "--feeds", feeds, "--data", join(dir, "data")]);
    expect(run.code).toBe(2);
  });
});

describe("hard links in the inbox", () => {
  it("are refused as symbolic links are", async () => {
    const { dropFixture } = await import("../ingest/helpers/drop.ts");
    const { testSpec } = await import("../ingest/helpers/specs.ts");
    const t = await dropFixture(testSpec({ connector: { kind: "file-drop", path: "stats" } }), 0);
    const outside = join(t.base, "elsewhere.csv");
    writeFileSync(outside, "地区,年份,居民人均可支配收入\n杭州市,2024,79323\n");
    linkSync(outside, join(t.folder, "linked.csv"));
    expect(await t.connector().poll()).toMatchObject({ records: 0, failedFiles: 1 });
    expect(t.dead()[0]!.reasons[0]).toMatchObject({
      code: "refused_file",
      message: expect.stringContaining("hard link"),
    });
  });
});
