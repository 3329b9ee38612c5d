// Writes schemas/json/*.schema.json from the zod schemas (npm run schemas:json); a test fails when they drift.
import { mkdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { PUBLISHED_SCHEMAS, jsonSchemaText } from "../schemas/json-schemas.ts";

const outDir = fileURLToPath(new URL("../schemas/json/", import.meta.url));
mkdirSync(outDir, { recursive: true });
for (const name of Object.keys(PUBLISHED_SCHEMAS) as (keyof typeof PUBLISHED_SCHEMAS)[]) {
  writeFileSync(`${outDir}${name}`, jsonSchemaText(name));
  process.stdout.write(`wrote schemas/json/${name}\n`);
}
