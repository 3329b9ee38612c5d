import { describe, expect, it } from "vitest";
import {
  defaultCatalog,
  FeedSpecError,
  parseDerivation,
  parseRecordFeedSpec,
  readDerivations,
  readRecordFeedSpecs,
} from "../../schemas/index.ts";
import { readPseudonymKey } from "../../runtime/pseudonym-key.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { createPseudonymiser } from "../../ingest/records/pseudonymise.ts";
import { REPO } from "../helpers/cli.ts";
import { SPEC_YAML } from "../load/records/record-scenario.ts";

const problemsOf = (fn: () => unknown) => {
  try {
    fn();
  } catch (err) {
    if (err instanceof FeedSpecError) return err.problems;
    throw err;
  }
  throw new Error("expected a FeedSpecError");
};

describe("record feed specs", () => {
  it("accepts the shipped record feeds and derivations", () => {
    const feeds = readRecordFeedSpecs(`${REPO}/feeds`);
    expect(feeds.map((f) => f.id)).toEqual(["air-stations", "household-survey", "market-registry"]);
    expect(
      readDerivations(`${REPO}/feeds`, feeds, defaultCatalog())
        .map((d) => d.indicator)
        .sort(),
    ).toEqual([
      "good_air_days_share",
      "households_100k_500k_share",
      "households_200k_600k_share",
      "market_entities",
      "pm25_concentration",
    ]);
  });

  it("rejects a key column that is not declared, naming file, line and field and what to do", () => {
    const text = SPEC_YAML.replace("key: [household_id]", "key: [household_no]");
    const [problem] = problemsOf(() => parseRecordFeedSpec(text, "households.yaml"));
    expect(problem).toMatchObject({ file: "households.yaml", field: "records.key.0" });
    expect(problem?.line).toBe(SPEC_YAML.split("\n").findIndex((l) => l.includes("key: [household_id]")) + 1);
    expect(problem?.message).toMatch(/household_no is not one of records.columns; declare it there/);
  });

  it("rejects a region column that is not of type region, and a dropped key", () => {
    const text = SPEC_YAML.replace("county_code: { type: region }", "county_code: { type: string }").replace(
      "household_id: { type: string, personal: identifier }",
      "household_id: { type: string, personal: drop }",
    );
    const problems = problemsOf(() => parseRecordFeedSpec(text, "h.yaml"));
    expect(problems.map((p) => p.field).sort()).toEqual(["records.columns.household_id.personal", "records.region"]);
    expect(problems.find((p) => p.field === "records.region")?.message).toMatch(/give it type: region/);
  });

  it("rejects an optional key column: a record without its key is refused at ingest instead", () => {
    const text = SPEC_YAML.replace(
      "household_id: { type: string, personal: identifier }",
      "household_id: { type: string, personal: identifier, optional: true }",
    );
    const [problem] = problemsOf(() => parseRecordFeedSpec(text, "h.yaml"));
    expect(problem?.field).toBe("records.columns.household_id.optional");
    expect(problem?.message).toMatch(/household_id is a key column, so it cannot be optional/);
  });
});

describe("derivations", () => {
  const feed = parseRecordFeedSpec(SPEC_YAML, "h.yaml");
  const catalog = defaultCatalog();

  it("rejects a measure over a dropped or non-numeric column, and an unknown indicator", () => {
    const text = `
id: bad
indicator: no_such_indicator
records: test-households
measure: { kind: mean, column: id_card }
`;
    const problems = problemsOf(() => parseDerivation(text, "bad.yaml", [feed], catalog));
    expect(problems.map((p) => [p.field, p.line])).toEqual([
      ["indicator", 3],
      ["measure.column", 5],
    ]);
  });

  it("rejects a derivation of a record feed that does not exist, listing those that do", () => {
    const text = "id: no-feed\nindicator: households_100k_500k_share\nrecords: nothing\nmeasure: { kind: count }\n";
    const [problem] = problemsOf(() => parseDerivation(text, "x.yaml", [feed], catalog));
    expect(problem?.message).toMatch(/no record feed nothing; the record feeds are test-households/);
  });

  it("rejects a list value for = and a single value for in", () => {
    const text = `
id: bad-filters
indicator: households_100k_500k_share
records: test-households
filters:
  - { column: members, op: "=", value: [1, 2] }
  - { column: members, op: in, value: 1 }
measure: { kind: count }
`;
    const problems = problemsOf(() => parseDerivation(text, "x.yaml", [feed], catalog));
    expect(problems.map((p) => p.field)).toEqual(["filters.0.value", "filters.1.value"]);
  });
});

describe("the pseudonymisation key", () => {
  it("is required when a feed has identifiers, with what to set", () => {
    expect(() => readPseudonymKey({}, ["household-survey"])).toThrow(ConfigError);
    expect(() => readPseudonymKey({}, ["household-survey"])).toThrow(
      /household-survey.*neither GONGFU_PSEUDONYM_KEY nor GONGFU_PSEUDONYM_KEY_FILE is set/,
    );
  });

  it("refuses a short key", () => {
    expect(() => readPseudonymKey({ GONGFU_PSEUDONYM_KEY: "short" }, ["f"])).toThrow(/shorter than 16 bytes/);
  });

  it("gives the same pseudonym for the same identifier and key, another for another key, never the value", () => {
    const a = createPseudonymiser(Buffer.from("a".repeat(32)));
    const b = createPseudonymiser(Buffer.from("b".repeat(32)));
    expect(a("330102198001010011")).toBe(a(" 330102198001010011 "));
    expect(a("330102198001010011")).not.toBe(b("330102198001010011"));
    expect(a("330102198001010011")).toMatch(/^p_[0-9a-f]{32}$/);
  });
});
