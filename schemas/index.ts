/**
 * The shared language of the pipeline: the indicator model, the topic payloads, feed specs and the catalogs.
 * Every stage imports from here and from nowhere else in schemas/.
 */
export * from "./source.ts";
export * from "./observation.ts";
export * from "./raw-record.ts";
export * from "./dead-letter.ts";
export * from "./topics.ts";
export * from "./feed-spec.ts";
export * from "./feed-spec-file.ts";
export * from "./catalog.ts";
export * from "./regions.ts";
export * from "./periods.ts";
export * from "./units.ts";
export * from "./fast-validators.ts";
export * from "./batch/index.ts";
export * from "./catalog-overlay.ts";
export * from "./records/index.ts";
export * from "./warehouse-contract.ts";
