import { z } from "zod";
import { Observation } from "./observation.ts";
import { RawRecord } from "./raw-record.ts";
import { DeadLetter } from "./dead-letter.ts";
import { FeedSpec } from "./feed-spec.ts";

/** Every payload other producers and consumers may see, by the file name of its JSON Schema. */
export const PUBLISHED_SCHEMAS = {
  "observation.schema.json": {
    schema: Observation,
    title: "gongfu Observation",
    topic: "gongfu.observations",
    io: "output",
  },
  "raw-record.schema.json": { schema: RawRecord, title: "gongfu RawRecord", topic: "gongfu.raw.<feed>", io: "input" },
  "dead-letter.schema.json": {
    schema: DeadLetter,
    title: "gongfu DeadLetter",
    topic: "gongfu.dlq.<stage>",
    io: "output",
  },
  "feed-spec.schema.json": { schema: FeedSpec, title: "gongfu feed spec (feeds/*.yaml)", topic: null, io: "input" },
} as const;

/**
 * The JSON Schema (draft 2020-12) of one payload, as text. Producers of raw records are validated as input
 * (defaults optional); observations and dead letters as we emit them.
 */
export function jsonSchemaText(name: keyof typeof PUBLISHED_SCHEMAS): string {
  const entry = PUBLISHED_SCHEMAS[name];
  const generated = z.toJSONSchema(entry.schema, { io: entry.io, unrepresentable: "any", target: "draft-2020-12" });
  const withTitle = {
    $id: `https://gongfu.example/schemas/${name}`,
    title: entry.title,
    ...(entry.topic ? { description: `Payload of topic ${entry.topic} (JSON, UTF-8).` } : {}),
    ...generated,
  };
  return `${JSON.stringify(withTitle, null, 2)}\n`;
}
