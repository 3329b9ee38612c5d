/**
 * v6: record feeds and derivations. A column named like one elsewhere carries the same Chinese label (export takes
 * a view's column labels from any table's comment). record_batch holds each record batch loaded (its identity makes a re-delivered
 * batch a no-op) and numbers the feed's snapshots; derived_cell holds the current state of every derived cell,
 * suppressed ones included, so explain and status can say how a derived value was made or why there is none. The
 * _record_derived says how far each feed's derivations have been computed: the cells touched by later snapshots
 * are dirty. The record tables themselves (rec_<feed>) are made from each feed's spec when the loader starts.
 */
export const recordFeeds = {
  version: 6,
  name: "record batches and derived cells",
  sql:
    `
CREATE TABLE record_batch (
  feed VARCHAR NOT NULL, checksum VARCHAR NOT NULL, seq INTEGER NOT NULL, snapshot BIGINT NOT NULL,
  source_uri VARCHAR NOT NULL, records INTEGER NOT NULL, vintage TIMESTAMPTZ NOT NULL,
  kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT,
  loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (feed, checksum, seq)
);
COMMENT ON TABLE record_batch IS '已加载的记录批次（同一批次只加载一次） / Record batches loaded, each once';
COMMENT ON COLUMN record_batch.feed IS '数据接口 / Record feed id';
COMMENT ON COLUMN record_batch.checksum IS '来源文件校验和 / sha256 of the source';
COMMENT ON COLUMN record_batch.seq IS '文件内批次序号 / Batch number within the source';
COMMENT ON COLUMN record_batch.snapshot IS '记录快照号 / Record snapshot number, rising per feed: the batches of the feed loaded so far';
COMMENT ON COLUMN record_batch.source_uri IS '来源文件或网址 / Source file';
COMMENT ON COLUMN record_batch.records IS '记录数 / Records in the batch';
COMMENT ON COLUMN record_batch.vintage IS '发布时间（版本） / When the source published its records';
COMMENT ON COLUMN record_batch.kafka_topic IS '消息主题 / Kafka topic it was read from';
COMMENT ON COLUMN record_batch.kafka_partition IS '消息分区 / Kafka partition';
COMMENT ON COLUMN record_batch.kafka_offset IS '消息位移 / Kafka offset';
COMMENT ON COLUMN record_batch.loaded_at IS '写入仓库时间 / When the loader committed it';

CREATE TABLE derived_cell (
  derivation VARCHAR NOT NULL, indicator_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
  value DOUBLE, records BIGINT NOT NULL, suppressed BOOLEAN NOT NULL, feed VARCHAR NOT NULL, snapshot BIGINT NOT NULL,
  vintage TIMESTAMPTZ NOT NULL, computed_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (derivation, region_code, period)
);
COMMENT ON TABLE derived_cell IS '派生指标单元格的当前状态（含因样本过少而抑制的单元格） / Current state of each derived cell, suppressed ones included';
COMMENT ON COLUMN derived_cell.derivation IS '派生规则 / Derivation id (feeds/derivations/)';
COMMENT ON COLUMN derived_cell.indicator_code IS '指标代码 / Indicator code (dim_indicator.code)';
COMMENT ON COLUMN derived_cell.region_code IS '地区代码 / Region code (dim_region.code)';
COMMENT ON COLUMN derived_cell.period IS '统计期 2025 / 2025Q3 / 2025-09 / Period';
COMMENT ON COLUMN derived_cell.value IS '数值（指标目录单位） / Value in the catalog unit of the indicator; empty when suppressed';
COMMENT ON COLUMN derived_cell.records IS '记录数 / Records the value is built from';
COMMENT ON COLUMN derived_cell.suppressed IS '记录数少于k而抑制 / Suppressed: built from fewer than k records';
COMMENT ON COLUMN derived_cell.feed IS '数据接口 / Record feed it is derived from';
COMMENT ON COLUMN derived_cell.snapshot IS '记录快照号 / Record snapshot it was computed on';
COMMENT ON COLUMN derived_cell.vintage IS '发布时间（版本） / Vintage: the newest publication among its records and the change that recomputed it';
CREATE TABLE _derivation (derivation VARCHAR PRIMARY KEY, definition VARCHAR NOT NULL);
COMMENT ON TABLE _derivation IS '各派生规则的定义哈希（规则改变则全部重算） / ` +
    `Per derivation, the hash of the definition its cells were computed with: a changed one is recomputed';
COMMENT ON COLUMN _derivation.derivation IS '派生规则 / Derivation id (feeds/derivations/)';
COMMENT ON COLUMN _derivation.definition IS '定义哈希 / sha256 of the derivation as parsed';

CREATE TABLE _record_derived (feed VARCHAR PRIMARY KEY, snapshot BIGINT NOT NULL);
COMMENT ON TABLE _record_derived IS '各记录接口已派生到的快照号 / Per record feed, the snapshot its derivations have been computed through';
COMMENT ON COLUMN _record_derived.feed IS '数据接口 / Record feed id';
COMMENT ON COLUMN _record_derived.snapshot IS '记录快照号 / Snapshot its derivations have been computed through';
COMMENT ON COLUMN derived_cell.computed_at IS '计算时间 / When it was computed';
`,
} as const;
