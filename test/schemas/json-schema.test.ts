import { readFileSync, readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";
import { PUBLISHED_SCHEMAS, jsonSchemaText } from "../../schemas/json-schemas.ts";

const dir = fileURLToPath(new URL("../../schemas/json/", import.meta.url));

describe("checked-in JSON Schemas", () => {
  it.each(Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[])(
    "%s matches the zod schema (run `npm run schemas:json` after changing one)",
    (name) => {
      expect(readFileSync(`${dir}${name}`, "utf8")).toBe(jsonSchemaText(name));
    },
  );

  it("has no stale file for a schema that no longer exists", () => {
    expect(
      readdirSync(dir)
        .filter((f) => f.endsWith(".json"))
        .sort(),
    ).toEqual(Object.keys(PUBLISHED_SCHEMAS).sort());
  });

  it("describes dates as ISO strings, since JSON Schema cannot carry a Date", () => {
    const observation = JSON.parse(readFileSync(`${dir}observation.schema.json`, "utf8")) as {
      properties: Record<string, { type: string; format?: string }>;
    };
    expect(observation.properties["vintage"]).toMatchObject({ type: "string", format: "date-time" });
  });
});
