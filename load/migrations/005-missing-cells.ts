/**
 * v5: missing_cell, the cells a department sent with a missing-value marker ("—", "…", an empty cell). Such a cell is
 * not an observation and never a zero; recording it lets an analyst tell "not reported" (a row here) from "not
 * received" (no row anywhere). The loader fills it in the merge that loads the rest of the source.
 */
export const missingCells = {
  version: 5,
  name: "missing_cell: cells sent without a value",
  sql:
    `
CREATE TABLE missing_cell (
  cell_key UHUGEINT PRIMARY KEY,
  indicator_code VARCHAR NOT NULL, region_code VARCHAR NOT NULL, period VARCHAR NOT NULL, unit VARCHAR NOT NULL,
  vintage TIMESTAMPTZ NOT NULL,
  source_feed VARCHAR NOT NULL, source_uri VARCHAR NOT NULL, source_position VARCHAR NOT NULL,
  source_line INTEGER, source_sheet VARCHAR, source_row INTEGER, source_column VARCHAR,
  ingested_at TIMESTAMPTZ NOT NULL, loaded_at TIMESTAMPTZ NOT NULL DEFAULT current_timestamp
);
COMMENT ON TABLE missing_cell IS '未填报单元格：来源中以缺失标记（—、…、空）报送的单元格 / Cells a department sent ` +
    `with a missing-value marker: not reported, as against not received';
COMMENT ON COLUMN missing_cell.cell_key IS '去重键：指标、地区、时期、版本与来源位置的哈希 / Dedup key over ` +
    `indicator, region, period, vintage and source position';
COMMENT ON COLUMN missing_cell.indicator_code IS '指标代码 / Indicator code (dim_indicator.code)';
COMMENT ON COLUMN missing_cell.region_code IS '地区代码 / Region code (dim_region.code)';
COMMENT ON COLUMN missing_cell.period IS '统计期 2025 / 2025Q3 / 2025-09 / Period';
COMMENT ON COLUMN missing_cell.unit IS '计量单位（同指标目录） / Unit (the catalog unit of the indicator)';
COMMENT ON COLUMN missing_cell.vintage IS '发布时间（版本） / When the source published this value';
COMMENT ON COLUMN missing_cell.source_feed IS '来源数据接口 / Feed id';
COMMENT ON COLUMN missing_cell.source_uri IS '来源文件或网址 / Source file or URL';
COMMENT ON COLUMN missing_cell.source_position IS '来源位置（行、工作表、列） / Position in the source';
COMMENT ON COLUMN missing_cell.source_line IS '来源文本文件行号 / Line in a text source';
COMMENT ON COLUMN missing_cell.source_sheet IS '来源工作表 / Sheet of a workbook source';
COMMENT ON COLUMN missing_cell.source_row IS '来源工作表行号 / Row in a workbook sheet';
COMMENT ON COLUMN missing_cell.source_column IS '来源列（宽表） / Column of a wide source';
COMMENT ON COLUMN missing_cell.ingested_at IS '进入管道时间 / When the pipeline normalised it';
COMMENT ON COLUMN missing_cell.loaded_at IS '写入仓库时间 / When the loader committed it';
`,
};
