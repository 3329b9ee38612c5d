/**
 * v4: fact_observation without the primary-key index on obs_key. The key stays (the loader refuses a row whose key is
 * already there, with an anti-join per merge), but an ART index of every key lived in memory and made each row an
 * index insert: memory grew with the warehouse and loading slowed as it grew. DuckDB cannot drop a key constraint,
 * so the table is rebuilt with the same columns, rows and comments; the views name it and need no change.
 */
export const factWithoutKeyIndex = {
  version: 4,
  name: "fact_observation without the obs_key index (merge by anti-join)",
  sql:
    `
CREATE TABLE fact_observation_v4 (
  obs_key UHUGEINT NOT NULL,
  indicator_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL, period VARCHAR NOT NULL,
  value DOUBLE NOT NULL, unit VARCHAR NOT NULL, vintage TIMESTAMPTZ NOT NULL,
  source_feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL, source_position VARCHAR NOT NULL,
  source_line INTEGER, source_sheet VARCHAR, source_row INTEGER, source_column VARCHAR,
  kafka_topic VARCHAR, kafka_partition INTEGER, kafka_offset BIGINT,
  ingested_at TIMESTAMPTZ NOT NULL, loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
INSERT INTO fact_observation_v4 SELECT * FROM fact_observation;
DROP TABLE fact_observation;
ALTER TABLE fact_observation_v4 RENAME TO fact_observation;

COMMENT ON TABLE fact_observation IS '观测值事实表（只追加，保留每个版本） / Observations, append-only: every vintage of every cell';
COMMENT ON COLUMN fact_observation.obs_key IS '去重键：指标、地区、时期、版本与来源位置的哈希（加载时去重） / Dedup key ` +
    `over indicator, region, period, vintage and source position (checked on load)';
COMMENT ON COLUMN fact_observation.indicator_code IS '指标代码 / Indicator code (dim_indicator.code)';
COMMENT ON COLUMN fact_observation.region_code IS '地区代码 / Region code (dim_region.code)';
COMMENT ON COLUMN fact_observation.period IS '统计期 2025 / 2025Q3 / 2025-09 / Period';
COMMENT ON COLUMN fact_observation.value IS '数值（指标目录单位） / Value in the catalog unit of the indicator';
COMMENT ON COLUMN fact_observation.unit IS '计量单位（同指标目录） / Unit (the catalog unit of the indicator)';
COMMENT ON COLUMN fact_observation.vintage IS '发布时间（版本） / When the source published this value';
COMMENT ON COLUMN fact_observation.source_feed IS '来源数据接口 / Feed id';
COMMENT ON COLUMN fact_observation.source_uri IS '来源文件或网址 / Source file or URL';
COMMENT ON COLUMN fact_observation.source_position IS '来源位置（行、工作表、列） / Position in the source';
COMMENT ON COLUMN fact_observation.source_line IS '来源文本文件行号 / Line in a text source';
COMMENT ON COLUMN fact_observation.source_sheet IS '来源工作表 / Sheet of a workbook source';
COMMENT ON COLUMN fact_observation.source_row IS '来源工作表行号 / Row in a workbook sheet';
COMMENT ON COLUMN fact_observation.source_column IS '来源列（宽表） / Column of a wide source';
COMMENT ON COLUMN fact_observation.kafka_topic IS '消息主题 / Kafka topic it was read from';
COMMENT ON COLUMN fact_observation.kafka_partition IS '消息分区 / Kafka partition';
COMMENT ON COLUMN fact_observation.kafka_offset IS '消息位移 / Kafka offset';
COMMENT ON COLUMN fact_observation.ingested_at IS '进入管道时间 / When the pipeline normalised it';
COMMENT ON COLUMN fact_observation.loaded_at IS '写入仓库时间 / When the loader committed it';
`,
} as const;
