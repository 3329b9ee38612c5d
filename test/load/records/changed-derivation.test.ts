import { rmSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { startRecordLoad } from "../../../load/index.ts";
import { parseDerivation, topicNames, defaultCatalog } from "../../../schemas/index.ts";
import { csv, households, recordRig } from "./record-scenario.ts";

const COUNT = (filters: string) => `
id: test-count
indicator: households_100k_500k_share
records: test-households
${filters}
measure: { kind: count }
`;

describe("a derivation edited after its cells were computed", () => {
  it("is recomputed over every cell when the loader starts, as new observations", async () => {
    const rig = await recordRig([COUNT("")]);
    rig.drop("a.csv", csv(households([2024])));
    await rig.ingest();
    await rig.runner.stop();
    rig.warehouse.close();
    const edited = parseDerivation(
      COUNT('filters: [{ column: members, op: ">=", value: 3 }]'),
      "d.yaml",
      [rig.spec],
      defaultCatalog(),
    );
    const loader = await startRecordLoad({
      bus: rig.bus,
      topics: topicNames("test"),
      specs: [rig.spec],
      derivations: [edited],
      warehousePath: rig.warehousePath,
      logger: rig.logger,
    });
    try {
      const c = loader.warehouse.connection;
      const read = async (sql: string) => (await c.runAndReadAll(sql)).getRowObjects();
      const [province] = await read(
        "SELECT records FROM derived_cell WHERE derivation = 'test-count' AND region_code = '330000'",
      );
      const [want] = await read("SELECT count(*) AS n FROM rec_test_households WHERE members >= 3");
      expect(Number(province?.["records"])).toBe(Number(want?.["n"]));
      expect(Number(want?.["n"])).toBeLessThan(159);
      const values = await read("SELECT value FROM fact_observation WHERE region_code = '330000' ORDER BY ingested_at");
      expect(values.map((v) => Number(v["value"]))).toEqual([159, Number(want?.["n"])]);
      expect(loader.stats.cells).toBe(7);
    } finally {
      await loader.runner.stop();
      loader.warehouse.close();
      await rig.bus.close();
      rmSync(rig.dir, { recursive: true, force: true });
    }
  });
});
