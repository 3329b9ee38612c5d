import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createEmbeddedBus, type Bus } from "../../../bus/index.ts";
import { runRecordIngestOnce } from "../../../ingest/index.ts";
import { openWarehouse, startRecordLoad, syncCatalog } from "../../../load/index.ts";
import { createLogger, type Logger } from "../../../runtime/logger.ts";
import {
  defaultCatalog,
  parseDerivation,
  parseRecordFeedSpec,
  topicNames,
  type Derivation,
  type RecordFeedSpec,
} from "../../../schemas/index.ts";

/** A key for tests only (never a real one): 32 bytes of text. */
export const TEST_KEY = "test-only-pseudonym-key-0123456789abcdef";

/** The plainest derivation of the test feed: how many households a cell has. */
export const COUNT_DERIVATION = `
id: test-count
indicator: households_100k_500k_share
records: test-households
measure: { kind: count }
`;

export const SPEC_YAML = `
id: test-households
name: 测试样本户 Test households
department: { code: test, name: 测试 Test }
connector: { kind: file-drop, path: test-households, pattern: "*.csv" }
format: { kind: csv, encoding: utf-8 }
records:
  columns:
    household_id: { type: string, personal: identifier }
    id_card: { type: string, personal: drop }
    county_code: { type: region }
    survey_year: { type: integer }
    members: { type: integer }
    income: { type: number, personal: attribute, optional: true }
  key: [household_id]
  region: county_code
  eventTime: survey_year
frequency: annual
vintage: { published: 2024-03-01 }
`;

/**
 * A registry of entities, each registered on a date and perhaps cancelled on a later one (the stock and dirty-cell
 * tests); `extra` adds column lines after `cancelled_on`.
 */
export const entitySpecYaml = (id: string, name: string, extra: readonly string[] = []): string => `
id: ${id}
name: ${name}
department: { code: test, name: 测试 Test }
connector: { kind: file-drop, path: ${id}, pattern: "*.csv" }
format: { kind: csv }
records:
  columns:
    entity_id: { type: string, personal: identifier }
    county_code: { type: region }
    registered_on: { type: date }
    cancelled_on: { type: date, optional: true }
${extra.map((line) => `    ${line}\n`).join("")}  key: [entity_id]
  region: county_code
  eventTime: registered_on
frequency: annual
vintage: { published: 2025-01-15 }
`;

/** The entity registry with a capital column, which the dirty-cell and count-update tests derive from. */
export const ENTITY_CAPITAL_SPEC = entitySpecYaml("test-entities", "测试主体 Test entities", [
  "capital: { type: number, optional: true }",
]);
/** Its stock period (live at each year's end), a share of capital in a band, and a filter on capital. */
export const ENTITY_STOCK = "period: { kind: stock, end: cancelled_on }";
export const ENTITY_SHARE = "{ kind: share_in_band, column: capital, min: 200000, max: 700000 }";
export const ENTITY_BIG = 'filters: [{ column: capital, op: ">=", value: 100000 }]';
/** Counties of two cities for the entities. */
export const ENTITY_COUNTIES = ["330102", "330106", "330212", "330281"];

/** A derivation over ENTITY_CAPITAL_SPEC's records: its period (flow when empty), measure, filters and k. */
export const entityDerivation = (id: string, period: string, measure: string, filters = "", minRecords = 1) => `
id: ${id}
indicator: households_100k_500k_share
records: test-entities
${period}
${filters}
measure: ${measure}
minRecords: ${minRecords}
`;

/** Counties of two cities, and one with a handful of households to be suppressed at county level. */
export const COUNTY_SIZES: Record<string, number> = { "330102": 60, "330105": 45, "330212": 50, "330281": 4 };

/** Deterministic households (a small LCG): id, a made-up ID-card number, county, year, members, income. */
export function households(years: readonly number[] = [2023, 2024]): string[][] {
  let seed = 12345;
  const next = () => {
    seed = (seed * 1103515245 + 12345) % 2 ** 31;
    return seed / 2 ** 31;
  };
  const rows: string[][] = [];
  for (const year of years)
    for (const [county, n] of Object.entries(COUNTY_SIZES))
      for (let i = 1; i <= n; i++) {
        const income = Math.round(Math.exp(11.8 + 0.7 * (next() + next() + next() - 1.5) * 1.4));
        rows.push([
          `HH-${county}-${String(i).padStart(4, "0")}`,
          `${county}19${String(50 + Math.floor(next() * 49))}0101${String(i).padStart(3, "0")}X`,
          county,
          String(year),
          String(1 + Math.floor(next() * 5)),
          // Every 17th household did not report its income: an optional value, left out of income measures.
          i % 17 === 0 ? "" : String(income),
        ]);
      }
  return rows;
}

export const HEADER = ["household_id", "id_card", "county_code", "survey_year", "members", "income"];

export function csv(rows: readonly (readonly string[])[]): string {
  return `${[HEADER, ...rows].map((r) => r.join(",")).join("\n")}\n`;
}

interface RigBase {
  dir: string;
  dropDir: string;
  warehousePath: string;
  bus: Bus;
  spec: RecordFeedSpec;
  derivations: Derivation[];
  logger: Logger;
  drop(name: string, text: string): string;
  ingest(env?: Record<string, string>): ReturnType<typeof runRecordIngestOnce>;
  close(): Promise<void>;
}

export type RecordRig = RigBase & Awaited<ReturnType<typeof startRecordLoad>>;

/** A warehouse with the catalog, a record loader on an embedded bus, and a drop folder for the test feed. */
export async function recordRig(
  derivationYaml: readonly string[],
  logger = createLogger({ level: "silent" }),
  specYaml = SPEC_YAML,
  options: { lake?: boolean } = {},
): Promise<RecordRig> {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-records-"));
  const dropDir = join(dir, "inbox");
  const warehousePath = join(dir, "gongfu.duckdb");
  const catalog = defaultCatalog();
  const spec = parseRecordFeedSpec(specYaml, "test-feed.yaml");
  const derivations = derivationYaml.map((y, i) => parseDerivation(y, `d${i}.yaml`, [spec], catalog));
  const base = await openWarehouse(warehousePath);
  await syncCatalog(base.connection, catalog);
  base.close();
  const bus = createEmbeddedBus();
  const topics = topicNames("test");
  const loader = await startRecordLoad({
    bus,
    topics,
    specs: [spec],
    derivations,
    warehousePath,
    logger,
    ...(options.lake ? { lakeDir: join(dir, "lake") } : {}),
  });
  return {
    ...loader,
    dir,
    dropDir,
    warehousePath,
    bus,
    spec,
    derivations,
    logger,
    drop(name, text) {
      mkdirSync(join(dropDir, spec.connector.path), { recursive: true });
      const path = join(dropDir, spec.connector.path, name);
      writeFileSync(path, text);
      return path;
    },
    ingest: (env = { GONGFU_PSEUDONYM_KEY: TEST_KEY }) =>
      runRecordIngestOnce({
        specs: [spec],
        bus,
        topics,
        catalog,
        dropRoot: dropDir,
        stateDir: join(dir, "state"),
        logger,
        env,
      }),
    async close() {
      await loader.runner.stop();
      await bus.close();
      loader.warehouse.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
