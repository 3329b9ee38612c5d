export {
  ARROW_ENCODING,
  BatchDecodeError,
  decodeObservationBatch,
  decodeRawBatch,
  encodeObservationBatch,
  encodeRawBatch,
  OBSERVATION_BATCH_VERSION,
  RAW_BATCH_VERSION,
} from "./arrow-codec.ts";
export { type ObservationBatch, ObservationBatchBuilder } from "./observation-batch.ts";
export { type PositionColumns, PositionBuilder, positionAt } from "./positions.ts";
export { BATCH_LIMITS, type RawBatch, RawBatchBuilder } from "./raw-batch.ts";
export { ABSENT, constantColumn, type TextColumn, TextColumnBuilder, textAt } from "./text-column.ts";
export { batchRecord, ENCODING_HEADER, observationBatchOf, rawBatchOf } from "./on-the-bus.ts";
export { rawRecordAt, rawRecordsOf } from "./raw-records.ts";
export { arrowSchemaText, PUBLISHED_ARROW_SCHEMAS } from "./arrow-schemas.ts";
export { apacheArrow } from "./apache-arrow.ts";
export { observationBatchProblems, rawBatchProblems } from "./batch-shape.ts";
