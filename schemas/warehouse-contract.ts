/**
 * The warehouse's contract: every table, view and table macro of gongfu.duckdb that a stage, the command line, the
 * report or a BI tool reads or writes, named once. SQL outside the migrations names them through `WAREHOUSE`
 * (`FROM ${WAREHOUSE.obsLatest}`), never as literals, so a renamed or dropped object shows up here, in review.
 *
 * It lives in schemas/, beside the Kafka topics, because it is the same kind of thing: the language stages share.
 * load/ writes most of these objects and evaluate/ the eval_* ones, while evaluate/, report/ and cli/ read them; a
 * stage may not import another stage, and report/ only reaches a stage's door, so only schemas/ is below them all.
 *
 * docs/WAREHOUSE.md ("The contract") lists the same objects, and test/schemas/warehouse-contract.test.ts checks this
 * list, that table and the catalog of a freshly migrated warehouse against each other. The migrations keep their own
 * literals: they are history, and say what the file held at each version.
 */

/** What DuckDB calls the object: `duckdb_tables()`, `duckdb_views()`, or a table macro in `duckdb_functions()`. */
export type WarehouseObjectKind = "table" | "view" | "table macro";

/** Who creates it: the migrations, the loader's catalog sync (its columns follow the catalog), or the evaluator. */
export type WarehouseObjectOwner = "migrations" | "catalog sync" | "evaluate";

export interface WarehouseObject {
  readonly name: string;
  readonly kind: WarehouseObjectKind;
  readonly madeBy: WarehouseObjectOwner;
  /** Bookkeeping objects (a leading `_`) are the loader's own: BI tools and reports have no use for them. */
  readonly bookkeeping?: true;
}

/** The one list: add an object here (and to docs/WAREHOUSE.md) in the change that creates it. */
export const WAREHOUSE_OBJECTS = {
  factObservation: { name: "fact_observation", kind: "table", madeBy: "migrations" },
  obsLatest: { name: "obs_latest", kind: "view", madeBy: "migrations" },
  obsAsOf: { name: "obs_as_of", kind: "table macro", madeBy: "migrations" },
  obsWide: { name: "obs_wide", kind: "view", madeBy: "catalog sync" },
  dimIndicator: { name: "dim_indicator", kind: "table", madeBy: "migrations" },
  dimDimension: { name: "dim_dimension", kind: "table", madeBy: "migrations" },
  dimRegion: { name: "dim_region", kind: "table", madeBy: "migrations" },
  dimPeriod: { name: "dim_period", kind: "table", madeBy: "migrations" },
  quarantine: { name: "quarantine", kind: "table", madeBy: "migrations" },
  missingCell: { name: "missing_cell", kind: "table", madeBy: "migrations" },
  kafkaOffsets: { name: "_kafka_offsets", kind: "table", madeBy: "migrations", bookkeeping: true },
  lakeDirty: { name: "_lake_dirty", kind: "table", madeBy: "migrations", bookkeeping: true },
  schemaMigrations: { name: "_schema_migrations", kind: "table", madeBy: "migrations", bookkeeping: true },
  sourceLines: { name: "_source_lines", kind: "table", madeBy: "migrations", bookkeeping: true },
  recordBatch: { name: "record_batch", kind: "table", madeBy: "migrations" },
  derivedCell: { name: "derived_cell", kind: "table", madeBy: "migrations" },
  derivation: { name: "_derivation", kind: "table", madeBy: "migrations", bookkeeping: true },
  recordDerived: { name: "_record_derived", kind: "table", madeBy: "migrations", bookkeeping: true },
  recordPeriod: { name: "_record_period", kind: "table", madeBy: "migrations", bookkeeping: true },
  evalRun: { name: "eval_run", kind: "table", madeBy: "evaluate" },
  evalRunLatest: { name: "eval_run_latest", kind: "view", madeBy: "evaluate" },
  evalIndicatorScore: { name: "eval_indicator_score", kind: "table", madeBy: "evaluate" },
  evalObservationUsed: { name: "eval_observation_used", kind: "table", madeBy: "evaluate" },
  evalDimensionScore: { name: "eval_dimension_score", kind: "table", madeBy: "evaluate" },
  evalComposite: { name: "eval_composite", kind: "table", madeBy: "evaluate" },
  evalDisparity: { name: "eval_disparity", kind: "table", madeBy: "evaluate" },
  evalRanking: { name: "eval_ranking", kind: "table", madeBy: "evaluate" },
  evalSensitivity: { name: "eval_sensitivity", kind: "table", madeBy: "evaluate" },
  evalWeight: { name: "eval_weight", kind: "table", madeBy: "evaluate" },
} as const satisfies Record<string, WarehouseObject>;

type Objects = typeof WAREHOUSE_OBJECTS;

/** Each object's name, to put in SQL: `${WAREHOUSE.factObservation}` is `fact_observation`. */
export const WAREHOUSE = Object.freeze(
  Object.fromEntries(Object.entries(WAREHOUSE_OBJECTS).map(([key, o]) => [key, o.name])),
) as { readonly [K in keyof Objects]: Objects[K]["name"] };

/** Every object of the contract, in the list's order. */
export const WAREHOUSE_OBJECT_LIST: readonly WarehouseObject[] = Object.values(WAREHOUSE_OBJECTS);
