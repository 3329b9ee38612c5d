import { apacheArrow } from "./apache-arrow.ts";
import { encodeObservationBatch, encodeRawBatch, OBSERVATION_BATCH_VERSION, RAW_BATCH_VERSION } from "./arrow-codec.ts";
import { ObservationBatchBuilder } from "./observation-batch.ts";
import { RawBatchBuilder } from "./raw-batch.ts";

/**
 * The Arrow schemas of the batch topics, for consumers in other languages, written beside the JSON Schemas
 * (schemas/arrow/*.arrow.json, `npm run schemas:json`; a test fails when they drift). Read from what the codec
 * actually writes, so the description cannot disagree with the bytes.
 */
export const PUBLISHED_ARROW_SCHEMAS = {
  "raw-batch.arrow.json": {
    version: RAW_BATCH_VERSION,
    topic: "gongfu.raw.<feed>",
    sample: () =>
      encodeRawBatch(
        (() => {
          const b = new RawBatchBuilder({ feed: "f", uri: "u", checksum: "0".repeat(64), receivedAt: "t", seq: 0 });
          b.add({ line: 2 }, { "<source column>": "text" }, "t");
          return b.build();
        })(),
      ),
    note:
      "The source's columns come first, in the order the source gave them, named as in the source (gongfu.field_count " +
      "of them, all dictionary-encoded text, null where a row lacks the field); then vintage and the position columns.",
  },
  "observation-batch.arrow.json": {
    version: OBSERVATION_BATCH_VERSION,
    topic: "gongfu.observations",
    sample: () =>
      encodeObservationBatch(
        new ObservationBatchBuilder({ feed: "f", uri: "u", checksum: "0".repeat(64), seq: 0, ingestedAt: "t" }).build(),
      ),
    note:
      "One row per observation, values in the indicator's catalog unit. A row whose value is null records a cell " +
      "the department sent with a missing-value marker (not reported): it is not an observation.",
  },
} as const;

const METADATA = {
  "gongfu.batch": "kind and version of the batch; a reader refuses one it does not know",
  "gongfu.feed": "feed id",
  "gongfu.uri": "the source: a file path relative to the drop folder, or the URL of a response",
  "gongfu.checksum": "sha256 of the whole source, hex",
  "gongfu.seq": "this batch's index in its source (0, 1, …): with the checksum, the batch's identity",
  "gongfu.received_at": "raw batches: when the source was received (ISO 8601)",
  "gongfu.field_count": "raw batches: how many of the first columns are the source's own",
  "gongfu.ingested_at": "observation batches: when transform normalised the batch (ISO 8601)",
} as const;

export function arrowSchemaText(name: keyof typeof PUBLISHED_ARROW_SCHEMAS): string {
  const entry = PUBLISHED_ARROW_SCHEMAS[name];
  const schema = apacheArrow().tableFromIPC(entry.sample()).schema;
  const keys = [...schema.metadata.keys()];
  const doc = {
    title: `gongfu ${entry.version} batch (Apache Arrow IPC stream, one record batch per Kafka message)`,
    topic: entry.topic,
    header: "gongfu-encoding: arrow-ipc",
    version: entry.version,
    note: entry.note,
    dictionaries:
      "Text columns are dictionaries of Utf8 values; their codes are Int8, Int16 or Int32, chosen per message and " +
      "column as the narrowest signed integer that holds the dictionary (the fields below show a small sample's).",
    metadata: Object.fromEntries(keys.map((k) => [k, METADATA[k as keyof typeof METADATA] ?? ""])),
    fields: schema.fields.map((f) => ({ name: f.name, type: String(f.type), nullable: f.nullable })),
  };
  return `${JSON.stringify(doc, null, 2)}\n`;
}
