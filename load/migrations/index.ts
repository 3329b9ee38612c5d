import { starSchema } from "./001-star-schema.ts";
import { latestViews } from "./002-views.ts";
import { deterministicLatestAndLake } from "./003-deterministic-latest-and-lake.ts";
import { factWithoutKeyIndex } from "./004-fact-without-key-index.ts";
import { missingCells } from "./005-missing-cells.ts";
import { recordFeeds } from "./006-records.ts";
import { sourceLines } from "./007-source-lines.ts";
import { recordPeriods } from "./008-record-periods.ts";
import { derivedCellCounts } from "./009-derived-cell-counts.ts";

export interface Migration {
  version: number;
  name: string;
  sql: string;
}

/** Every schema version, in order. Append only: a released migration is never edited. */
export const MIGRATIONS: readonly Migration[] = [
  starSchema,
  latestViews,
  deterministicLatestAndLake,
  factWithoutKeyIndex,
  missingCells,
  recordFeeds,
  sourceLines,
  recordPeriods,
  derivedCellCounts,
];
