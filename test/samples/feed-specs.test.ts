import { readdirSync } from "node:fs";
import { join, relative, sep } from "node:path";
import { describe, expect, it } from "vitest";
import { FeedSpec, readRecordFeedSpecs } from "../../schemas/index.ts";
import { REPO, SAMPLES, SAMPLE_FEEDS, SAMPLE_RECORD_FEEDS, sampleSpecs } from "./sample-feeds.ts";

const globToRegExp = (glob: string): RegExp =>
  new RegExp(
    `^${glob
      .replace(/[.+^${}()|[\]\\]/g, "\\$&")
      .replace(/\*/g, ".*")
      .replace(/\?/g, ".")}$`,
    "i",
  );

describe("sample feed specs", () => {
  it("every spec in feeds/ parses, and the six sample feeds are there, marked as samples", () => {
    const specs = sampleSpecs();
    for (const id of Object.keys(SAMPLE_FEEDS)) {
      const spec = specs.get(id);
      expect(spec, id).toBeDefined();
      expect(spec!.sample, id).toBe(true);
      expect(FeedSpec.safeParse(spec).success, id).toBe(true);
    }
  });

  it("each dropped sample file is picked up by exactly one file-drop feed, the one it belongs to", () => {
    // Record feeds (feeds/records/) read their own drop folders, like the observation feeds.
    const specs = [...sampleSpecs().values(), ...readRecordFeedSpecs(join(REPO, "feeds"))];
    const dropRoot = join(SAMPLES, "feeds");
    const files = readdirSync(dropRoot, { recursive: true, withFileTypes: true })
      .filter((e) => e.isFile())
      .map((e) => relative(dropRoot, join(e.parentPath, e.name)).split(sep).join("/"));
    for (const file of files) {
      const readers = specs.filter(
        (s) =>
          s.connector.kind === "file-drop" &&
          file.startsWith(`${s.connector.path}/`) &&
          globToRegExp(s.connector.pattern).test(file.split("/").pop()!),
      );
      expect(
        readers.map((s) => s.id),
        file,
      ).toHaveLength(1);
      const expected = Object.entries({ ...SAMPLE_FEEDS, ...SAMPLE_RECORD_FEEDS }).find(
        ([, f]) => f === `feeds/${file}`,
      )?.[0];
      if (expected) expect(readers[0]!.id).toBe(expected);
    }
  });

  it("the health API spec is a placeholder the demo server replaces, and its path names the served file", () => {
    const spec = sampleSpecs().get("health-api")!;
    expect(spec.connector.kind).toBe("http-poll");
    if (spec.connector.kind !== "http-poll") return;
    const url = new URL(spec.connector.url);
    expect(url.host).toBe("127.0.0.1:0");
    // The demo server serves a path from samples/http/ by its trailing segments joined with "-".
    expect(`http/${url.pathname.split("/").slice(-2).join("-")}.json`).toBe(SAMPLE_FEEDS["health-api"]);
    expect(relative(REPO, join(SAMPLES, SAMPLE_FEEDS["health-api"]))).toBe(
      join("samples", "http", "health-indicators.json"),
    );
  });
});
