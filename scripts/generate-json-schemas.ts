// Writes schemas/json/*.schema.json from the zod schemas, and schemas/arrow/*.arrow.json from the batch codec (npm
// run schemas:json); a test fails when they drift.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { arrowSchemaText, PUBLISHED_ARROW_SCHEMAS } from "../schemas/batch/index.ts";
import { PUBLISHED_SCHEMAS, jsonSchemaText } from "../schemas/json-schemas.ts";

const outDir = fileURLToPath(new URL("../schemas/json/", import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const name of Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[]) {
  writeFileSync(`${outDir}${name}`, jsonSchemaText(name));
  process.stdout.write(`wrote schemas/json/${name}\n`);
}
// The Arrow schemas of the batch topics, beside them.
const arrowDir = fileURLToPath(new URL("../schemas/arrow/", import.meta.url));
mkdirSync(arrowDir, { recursive: true });
for (const name of Object.keys(PUBLISHED_ARROW_SCHEMAS) as (keyof typeof PUBLISHED_ARROW_SCHEMAS)[]) {
  writeFileSync(`${arrowDir}${name}`, arrowSchemaText(name));
  process.stdout.write(`wrote schemas/arrow/${name}\n`);
}
