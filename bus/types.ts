/**
 * How stages talk. Stages see only this interface; `embedded` passes objects in process, `kafka` uses real topics.
 * Values are plain JSON-able objects: the Kafka bus serialises them, the embedded bus hands them over as they are.
 * A record with `binary` travels on Kafka as those bytes instead (see ENCODING_HEADER).
 */
export interface BusRecord {
  key: string;
  value: unknown;
  headers?: Record<string, string>;
  /**
   * The value's binary form (e.g. an Arrow IPC stream). A bus that serialises sends these bytes as the message value
   * instead of JSON, with header `gongfu-encoding` set to `encoding`; the embedded bus ignores it and hands `value`
   * over as is.
   */
  binary?: { encoding: string; bytes: () => Uint8Array };
}

/**
 * The header that marks a Kafka message's value as binary, naming its encoding. A consumer then gets the value as the
 * message's bytes (a Uint8Array, not JSON-parsed) with this header kept, and decodes it by the encoding. A message
 * without it is JSON, as every external producer sends.
 */
export const ENCODING_HEADER = "gongfu-encoding";

/** A record as a consumer receives it, with where it sits in its topic. */
export interface Delivered extends BusRecord {
  topic: string;
  partition: number;
  /** Kafka offset as a decimal string (offsets are int64). */
  offset: string;
}

/** The position to resume from: the next offset to read in one partition (Kafka's convention: last + 1). */
export interface PartitionPosition {
  topic: string;
  partition: number;
  offset: string;
}

/** Where a processor puts what it emits; it is published together with the consumed offsets. */
export interface Outbox {
  send(topic: string, records: BusRecord[]): void;
}

export interface ProcessorOptions {
  groupId: string;
  topics: string[];
  /** Called for bounded batches; everything sent to `out` commits atomically with the batch's offsets. */
  handle(batch: Delivered[], out: Outbox): Promise<void>;
  /** Most records per `handle` call and per transaction (Kafka; default 20000). */
  maxTransactionRecords?: number;
  /** How long the group waits for a silent member before handing its partitions on (Kafka; default 30000, broker minimum 6000). */
  sessionTimeoutMs?: number;
}

export interface SinkOptions {
  groupId: string;
  topics: string[];
  /** The sink stores positions itself (e.g. in the warehouse, in the same transaction as the rows). */
  handle(batch: Delivered[], positions: PartitionPosition[]): Promise<void>;
  /** Positions stored by the sink, to resume from after a restart. */
  storedPositions(): Promise<PartitionPosition[]>;
  /** Commits whatever the sink holds back from its handled batches (a sink may gather several before it writes). */
  flush?(): Promise<void>;
  /** How long the group waits for a silent member before handing its partitions on (Kafka; default 30000, broker minimum 6000). */
  sessionTimeoutMs?: number;
}

/** A running consumer: `idle()` resolves once it has caught up and nothing arrived for a while. */
export interface Runner {
  idle(): Promise<void>;
  stop(): Promise<void>;
}

export interface Bus {
  readonly kind: "embedded" | "kafka";
  /** Makes sure the topics exist (Kafka) before anything is produced or subscribed. */
  ensureTopics(topics: string[]): Promise<void>;
  publish(topic: string, records: BusRecord[]): Promise<void>;
  /**
   * Resolves once what was published before is as durable as the bus makes it. Embedded: every sink has committed
   * it (sinks gather batches). Kafka has none: a publish resolves once the broker has it.
   */
  flush?(): Promise<void>;
  runProcessor(options: ProcessorOptions): Promise<Runner>;
  runSink(options: SinkOptions): Promise<Runner>;
  close(): Promise<void>;
}
