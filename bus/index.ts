export type {
  Bus,
  BusRecord,
  Delivered,
  Outbox,
  PartitionPosition,
  ProcessorOptions,
  Runner,
  SinkOptions,
} from "./types.ts";
export { ENCODING_HEADER } from "./types.ts";
export { createEmbeddedBus } from "./embedded.ts";
export { createKafkaBus } from "./kafka-lazy.ts";
export { KafkaSettings, kafkaConnection } from "./kafka-config.ts";
export { countUnreadRecords, unreadKey, type UnreadRange } from "./consumer-lag.ts";
