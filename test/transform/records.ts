import { fileURLToPath } from "node:url";
import {
  createRegionResolver,
  defaultCatalog,
  readFeedSpecs,
  type Catalog,
  type FeedSpec,
  type RawRecord,
} from "../../schemas/index.ts";
import type { NormalizeContext } from "../../transform/normalize-record.ts";

export const catalog: Catalog = defaultCatalog();
export const regions = createRegionResolver(catalog.regions);
export const INGESTED_AT = "2026-01-05T08:00:00.000Z";

/** The test feeds, read from the same YAML files the Kafka tests pass to the CLI with --feeds. */
export const FEEDS_DIR = fileURLToPath(new URL("./feeds/", import.meta.url));
const specs = readFeedSpecs(FEEDS_DIR);
const spec = (id: string): FeedSpec => {
  const found = specs.find((s) => s.id === id);
  if (!found) throw new Error(`test feed ${id} is missing from ${FEEDS_DIR}`);
  return found;
};

/** A wide feed: one row per region and year, one column per indicator (units declared per column or in the cell). */
export const wideSpec: FeedSpec = spec("test-wide");
/** A long feed: one row per region, indicator and period, with a unit column and a name map. */
export const longSpec: FeedSpec = spec("test-long");

export function rawRecord(feed: FeedSpec, fields: Record<string, string>, line = 7): RawRecord {
  return {
    feed: feed.id,
    source: { feed: feed.id, uri: "2024/bulletin.csv", position: { line } },
    checksum: "ab".repeat(32),
    receivedAt: "2026-01-05T07:59:00.000Z",
    vintage: "2025-01-20T00:00:00.000Z",
    fields,
  };
}

export function context(spec: FeedSpec, overrides: Partial<NormalizeContext> = {}): NormalizeContext {
  return { spec, catalog, regions, ingestedAt: INGESTED_AT, ...overrides };
}
