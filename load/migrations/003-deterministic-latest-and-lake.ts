/**
 * v3: "newest" no longer depends on load timing, the Parquet lake's change marks, and a comment on every column.
 * obs_latest and obs_as_of broke vintage ties by loaded_at, so a crash and restart (other batch boundaries) could
 * pick a different row than an uninterrupted run; ties now fall to ingested_at, then the Kafka position, then the key.
 */
export const deterministicLatestAndLake = {
  version: 3,
  name: "deterministic obs_latest, lake change marks, column comments",
  sql:
    `
CREATE OR REPLACE VIEW obs_latest AS
SELECT * FROM fact_observation
QUALIFY row_number() OVER (
  PARTITION BY indicator_code, region_code, period
  ORDER BY vintage DESC, ingested_at DESC, kafka_partition DESC NULLS LAST, kafka_offset DESC NULLS LAST, obs_key DESC) = 1;
COMMENT ON VIEW obs_latest IS '每个指标、地区、时期的最新版本（按发布时间，其次按进入管道时间） / The newest vintage of ` +
    `each indicator, region and period (ties: latest ingested)';

CREATE OR REPLACE MACRO obs_as_of(ts) AS TABLE
SELECT * FROM fact_observation
WHERE vintage <= CAST(ts AS TIMESTAMPTZ)
QUALIFY row_number() OVER (
  PARTITION BY indicator_code, region_code, period
  ORDER BY vintage DESC, ingested_at DESC, kafka_partition DESC NULLS LAST, kafka_offset DESC NULLS LAST, obs_key DESC) = 1;
COMMENT ON MACRO TABLE obs_as_of IS '某一时刻已知的数据：发布时间不晚于 ts 的最新版本，用法 SELECT * FROM ` +
    `obs_as_of(TIMESTAMPTZ ''2024-06-30 00:00:00+08'') / What was known at ts: the newest ` +
    `vintage published by then';

CREATE TABLE _lake_dirty (
  table_name VARCHAR NOT NULL, part VARCHAR NOT NULL, marked_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp,
  PRIMARY KEY (table_name, part)
);
COMMENT ON TABLE _lake_dirty IS 'Parquet 湖待重写的分区（与数据同一事务标记） / Lake partitions to rewrite, marked in the same transaction as the rows';
COMMENT ON COLUMN _lake_dirty.table_name IS '表名 / Table';
COMMENT ON COLUMN _lake_dirty.part IS '分区，如 year=2024；整表为空串 / Partition such as year=2024; empty for a single-file table';
COMMENT ON COLUMN _lake_dirty.marked_at IS '首次标记时间 / When first marked';

COMMENT ON COLUMN dim_dimension.code IS '维度代码 D1-D7 / Dimension code D1-D7';
COMMENT ON COLUMN dim_dimension.name_zh IS '维度名称（中文） / Chinese name';
COMMENT ON COLUMN dim_dimension.name_en IS '维度名称（英文） / English name';
COMMENT ON COLUMN dim_dimension.seed_section IS '方案中的章节 / Section of the plan it comes from';

COMMENT ON COLUMN dim_indicator.name_en IS '指标名称（英文） / English name';
COMMENT ON COLUMN dim_indicator.dimension_code IS '所属维度 / Dimension (dim_dimension.code)';
COMMENT ON COLUMN dim_indicator.target_year IS '目标年份 / Year the target applies to';
COMMENT ON COLUMN dim_indicator.seed_section IS '方案中的章节 / Section of the plan it comes from';
COMMENT ON COLUMN dim_indicator.note IS '说明 / Note';
COMMENT ON COLUMN dim_indicator.kind IS 'target 方案目标 / supporting 支撑指标 / A plan target or a supporting series';
COMMENT ON COLUMN dim_indicator.frequency IS '统计频率 annual / quarterly / monthly / How often it is published';

COMMENT ON COLUMN dim_region.code IS '行政区划代码（GB/T 2260） / Region code (GB/T 2260)';
COMMENT ON COLUMN dim_region.name_zh IS '地区全称 / Full Chinese name';
COMMENT ON COLUMN dim_region.name_short IS '地区简称 / Short name';
COMMENT ON COLUMN dim_region.pinyin IS '拼音 / Pinyin';
COMMENT ON COLUMN dim_region.level IS '层级 province 省 / prefecture 设区市 / county 县级 / Level';
COMMENT ON COLUMN dim_region.parent_code IS '上级地区代码 / Parent region code';
COMMENT ON COLUMN dim_region.county_type IS '县级类型：市辖区、县、县级市、自治县 / Kind of county-level unit';

COMMENT ON COLUMN dim_period.period IS '统计期 2025 / 2025Q3 / 2025-09 / Period';
COMMENT ON COLUMN dim_period.frequency IS '频率 annual / quarterly / monthly / Frequency';
COMMENT ON COLUMN dim_period.year IS '年 / Year';
COMMENT ON COLUMN dim_period.quarter IS '季度（年度为空） / Quarter (empty for a year)';
COMMENT ON COLUMN dim_period.month IS '月（年度、季度为空） / Month (empty for a year or quarter)';
COMMENT ON COLUMN dim_period.start_date IS '起始日 / First day';
COMMENT ON COLUMN dim_period.end_date IS '截止日 / Last day';

COMMENT ON COLUMN fact_observation.unit IS '计量单位（同指标目录） / Unit (the catalog unit of the indicator)';
COMMENT ON COLUMN fact_observation.source_line IS '来源文本文件行号 / Line in a text source';
COMMENT ON COLUMN fact_observation.source_sheet IS '来源工作表 / Sheet of a workbook source';
COMMENT ON COLUMN fact_observation.source_row IS '来源工作表行号 / Row in a workbook sheet';
COMMENT ON COLUMN fact_observation.source_column IS '来源列（宽表） / Column of a wide source';
COMMENT ON COLUMN fact_observation.kafka_topic IS '消息主题 / Kafka topic it was read from';
COMMENT ON COLUMN fact_observation.kafka_partition IS '消息分区 / Kafka partition';
COMMENT ON COLUMN fact_observation.kafka_offset IS '消息位移 / Kafka offset';
COMMENT ON COLUMN fact_observation.loaded_at IS '写入仓库时间 / When the loader committed it';

COMMENT ON COLUMN quarantine.dl_key IS '去重键 / Dedup key over stage, feed, source position and reasons';
COMMENT ON COLUMN quarantine.stage IS '拒收环节 ingest / transform / load / Stage that rejected it';
COMMENT ON COLUMN quarantine.feed IS '数据接口 / Feed id';
COMMENT ON COLUMN quarantine.source_uri IS '来源文件或网址 / Source file or URL';
COMMENT ON COLUMN quarantine.source_position IS '来源位置 / Position in the source';
COMMENT ON COLUMN quarantine.reason_codes IS '原因代码（逗号分隔） / Reason codes, comma-separated';
COMMENT ON COLUMN quarantine.payload IS '原始记录 / The original record';
COMMENT ON COLUMN quarantine.failed_at IS '拒收时间 / When it was rejected';
COMMENT ON COLUMN quarantine.kafka_topic IS '消息主题 / Kafka topic it was read from';
COMMENT ON COLUMN quarantine.kafka_partition IS '消息分区 / Kafka partition';
COMMENT ON COLUMN quarantine.kafka_offset IS '消息位移 / Kafka offset';
COMMENT ON COLUMN quarantine.loaded_at IS '写入仓库时间 / When the loader committed it';

COMMENT ON COLUMN _kafka_offsets.consumer_group IS '消费组 / Consumer group';
COMMENT ON COLUMN _kafka_offsets.topic IS '主题 / Topic';
COMMENT ON COLUMN _kafka_offsets.partition IS '分区 / Partition';
COMMENT ON COLUMN _kafka_offsets.next_offset IS '下一条待读位移 / Next offset to read';
COMMENT ON COLUMN _kafka_offsets.updated_at IS '更新时间 / When it was stored';

COMMENT ON TABLE _schema_migrations IS '已应用的仓库结构版本 / Warehouse schema versions applied to this file';
COMMENT ON COLUMN _schema_migrations.version IS '版本号 / Version';
COMMENT ON COLUMN _schema_migrations.name IS '变更内容 / What it changed';
COMMENT ON COLUMN _schema_migrations.applied_at IS '应用时间 / When it was applied';
`,
} as const;
