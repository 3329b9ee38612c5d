export * from "./record-feed-spec.ts";
export * from "./derivation-spec.ts";
export * from "./record-spec-file.ts";
export * from "./record-batch.ts";
