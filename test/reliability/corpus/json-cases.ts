import { caseSpec, type CorpusCase, type Expected } from "./case.ts";
import { toJson } from "./render.ts";
import { LONG } from "./text-cases.ts";

type Make = (id: string) => CorpusCase;
const json =
  (
    name: string,
    bytes: string | Buffer,
    records: number,
    expect: Expected,
    dataPath: string | undefined = "data",
    overrides: Record<string, unknown> = {},
  ): Make =>
  (id) => ({
    id,
    category: "json-shape",
    name,
    spec: caseSpec(id, { kind: "json", ...(dataPath ? { dataPath } : {}) }, overrides),
    files: [{ name: "data.json", bytes }],
    records,
    expect,
  });
const ok = (loaded: number): Expected => ({ loaded, dead: 0, missing: 0, codes: [] });
const refused = (code: string): Expected => ({ loaded: 0, dead: 1, missing: 0, codes: [code] });
const some = (loaded: number, ...codes: string[]): Expected => ({ loaded, dead: codes.length, missing: 0, codes });
const el = (r: object) => JSON.stringify(r);
const good = LONG.map(el).join(",");
const nest = (depth: number, inner: string) => "[".repeat(depth) + inner + "]".repeat(depth);
const deepObject = (depth: number) => `${'{"a":'.repeat(depth)}1${"}".repeat(depth)}`;
const many = Array.from({ length: 20_000 }, (_, i) => ({
  region: "杭州市",
  period: String(2020 + (i % 6)),
  indicator: "urbanization_rate",
  value: String(60 + (i % 30)),
  unit: "%",
  n: i,
}));

/** JSON documents: nesting, shapes that are not a records array, truncation, huge ones. */
export const JSON_CASES: Make[] = [
  json("a records array at data", toJson(LONG), 4, ok(4)),
  json("cut in the middle of an element", toJson(LONG).slice(0, -40), 4, some(3, "truncated")),
  json("cut right after the array opens", '{"data":[', 1, refused("truncated")),
  json("cut inside a string of the wrapper, before the array", '{"status":"o', 1, refused("no_data_array")),
  json("an empty file", "", 1, refused("empty_file")),
  json("HTML instead of JSON", "<html><body>502 Bad Gateway</body></html>", 1, refused("not_json")),
  json("a top-level object without dataPath", toJson(LONG), 1, refused("no_data_array"), ""),
  json("dataPath naming an object", '{"data":{"region":"杭州市"}}', 1, refused("no_data_array")),
  json("dataPath naming nothing", '{"items":[]}', 1, refused("no_data_array")),
  json(
    "elements that are numbers, strings, null and arrays",
    `{"data":[${good},1,"x",null,[1]]}`,
    8,
    some(4, "not_an_object", "not_an_object", "not_an_object", "not_an_object"),
  ),
  json(
    "an element nested 60 deep",
    `{"data":[${good},{"region":"杭州市","x":${deepObject(60)}}]}`,
    5,
    some(4, "not_an_object"),
  ),
  json(
    "an element nested 200,000 deep (arrays)",
    `{"data":[${good},${nest(200_000, "1")}]}`,
    5,
    some(4, "oversize_record"),
  ),
  json(
    "an element nested 20,000 deep within the limit",
    `{"data":[${good},${nest(20_000, "1")}]}`,
    5,
    some(4, "bad_json"),
  ),
  json(
    "200,000 levels of objects before the data array",
    `${'{"a":'.repeat(200_000)}{"data":[${good}]}${"}".repeat(200_000)}`,
    1,
    refused("no_data_array"),
  ),
  json("malformed between elements", `{"data":[${good},,${good}]}`, 5, some(4, "bad_json")),
  json("a malformed element (single quotes)", `{"data":[${good},{'region':'杭州市'}]}`, 5, some(4, "bad_json")),
  json("comments in JSON", `{"data":[${good}, // a comment\n ${good}]}`, 5, some(4, "bad_json")),
  json(
    "NaN and Infinity as bare JSON values",
    `{"data":[${good},{"region":"杭州市","period":"2023","indicator":"urbanization_rate","value":NaN,"unit":"%"}]}`,
    5,
    some(4, "bad_json"),
  ),
  json(
    "a JSON number too big for a double",
    `{"data":[${good},{"region":"杭州市","period":"2023","indicator":"urbanization_rate","value":1e999,"unit":"%"}]}`,
    5,
    some(4, "not_a_number"),
  ),
  json(
    "an element longer than maxRecordBytes",
    `{"data":[${good},{"region":"${"杭".repeat(100_000)}"}]}`,
    5,
    some(4, "oversize_record"),
  ),
  json("garbage after the data array is not read", `${toJson(LONG)} trailing garbage {{{`, 4, ok(4)),
  json("20,000 records (a big document, read streaming)", toJson(many), 20_000, ok(20_000)),
  json("a file over maxFileBytes", toJson(LONG), 1, refused("oversize_file"), "data", {
    limits: { maxFileBytes: 200, maxRecordBytes: 1000 },
  }),
  json(
    "__proto__ keys are fields, never the prototype",
    `{"data":[${good},{"__proto__":{"polluted":"yes"},"region":"杭州市","period":"2023",` +
      `"indicator":"urbanization_rate","value":"70","unit":"%"}]}`,
    5,
    ok(5),
  ),
  json(
    "constructor and prototype keys",
    `{"data":[{"constructor":{"prototype":{"x":1}},"region":"杭州市","period":"2023",` +
      `"indicator":"urbanization_rate","value":"70","unit":"%"}]}`,
    1,
    ok(1),
  ),
  json(
    "escaped and surrogate characters in strings",
    `{"data":[${good},{"region":"\\u676d\\u5dde\\u5e02","period":"2023",` +
      `"indicator":"urbanization_rate","value":"70","unit":"%"},{"region":"\\ud800","period":"2023",` +
      `"indicator":"urbanization_rate","value":"1","unit":"%"}]}`,
    6,
    some(5, "unknown_region"),
  ),
];
