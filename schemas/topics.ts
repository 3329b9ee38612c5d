/**
 * Topic names of the pipeline. A prefix lets tests and parallel deployments use their own topics;
 * every stage gets its names from here, never from string literals.
 */
export interface TopicNames {
  readonly prefix: string;
  /** Raw records of one feed, as ingest produced them. */
  raw(feedId: string): string;
  /** Matches every raw topic, for transform's subscription. */
  readonly rawPattern: RegExp;
  readonly observations: string;
  /** Records of one record feed (households, registry events, readings), pseudonymised at ingest. */
  records(feedId: string): string;
  readonly dlqIngest: string;
  readonly dlqTransform: string;
  readonly dlqLoad: string;
}

export function topicNames(prefix = "gongfu"): TopicNames {
  const escaped = prefix.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
  return {
    prefix,
    raw: (feedId) => `${prefix}.raw.${feedId}`,
    rawPattern: new RegExp(`^${escaped}\\.raw\\.`),
    observations: `${prefix}.observations`,
    records: (feedId) => `${prefix}.records.${feedId}`,
    dlqIngest: `${prefix}.dlq.ingest`,
    dlqTransform: `${prefix}.dlq.transform`,
    dlqLoad: `${prefix}.dlq.load`,
  };
}

export const TOPICS: TopicNames = topicNames();

/** Kafka header names set on every record, so a consumer can route without parsing the value. */
export const HEADERS = {
  feed: "gongfu-feed",
  checksum: "gongfu-checksum",
  position: "gongfu-position",
  schema: "gongfu-schema",
} as const;
