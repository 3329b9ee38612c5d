import { afterEach, describe, expect, it } from "vitest";
import { COUNT_DERIVATION, csv, households, recordRig, type RecordRig } from "./record-scenario.ts";

// Whether a period holds a record in more than one version is kept in _record_period, and each pass checks only
// what its new records change (derive-cells.ts). These files arrive one by one, so a pass that took the kept status
// wrongly (a revised year taken as clean) would count a household twice, and one that forgot a twin or an earlier
// version in the new file would do the same.

let rig: RecordRig | undefined;
afterEach(async () => {
  await rig?.close();
  rig = undefined;
});

const query = async (r: RecordRig, sql: string) => (await r.warehouse.connection.runAndReadAll(sql)).getRowObjects();
const status = async (r: RecordRig) =>
  (await query(r, "SELECT period, revised FROM _record_period ORDER BY period")).map((p) => [
    p["period"],
    p["revised"],
  ]);
/** The province's household count by year: every household once, whatever its versions. */
const province = async (r: RecordRig) =>
  (await query(r, "SELECT period, value FROM obs_latest WHERE region_code = '330000' ORDER BY period")).map((c) => [
    c["period"],
    Number(c["value"]),
  ]);
const household = (id: string, county: string, year: string, income: string) => [
  id,
  "330102195001010011",
  county,
  year,
  "2",
  income,
];

describe("the revision status of record periods", () => {
  it("is kept across passes, so later files in a revised year still count each household once", async () => {
    rig = await recordRig([COUNT_DERIVATION]);
    rig.drop("a.csv", csv(households([2023, 2024])));
    await rig.ingest();
    expect(await status(rig)).toEqual([
      ["2023", false],
      ["2024", false],
    ]);
    expect(await province(rig)).toEqual([
      ["2023", 159],
      ["2024", 159],
    ]);

    // An earlier version in the warehouse: 2024 becomes revised (the household moved county, still counted once).
    rig.drop("b.csv", csv([household("HH-330102-0001", "330105", "2024", "150000")]));
    await rig.ingest();
    expect(await status(rig)).toEqual([
      ["2023", false],
      ["2024", true],
    ]);

    // A new household in 2024: the pass only sees a fresh key, and must still pick latest versions in 2024.
    rig.drop("c.csv", csv([household("HH-330102-9001", "330102", "2024", "90000")]));
    await rig.ingest();
    expect(await status(rig)).toEqual([
      ["2023", false],
      ["2024", true],
    ]);
    expect(await province(rig)).toEqual([
      ["2023", 159],
      ["2024", 160],
    ]);

    // Twins within one new file make its year revised too.
    const twin = household("HH-330212-9002", "330212", "2023", "80000");
    rig.drop("d.csv", csv([twin, household("HH-330212-9002", "330212", "2023", "85000")]));
    await rig.ingest();
    expect(await status(rig)).toEqual([
      ["2023", true],
      ["2024", true],
    ]);
    expect(await province(rig)).toEqual([
      ["2023", 160],
      ["2024", 160],
    ]);
  });

  it("checks a period it holds no status for in full (a warehouse from before the status was kept)", async () => {
    rig = await recordRig([COUNT_DERIVATION]);
    rig.drop("a.csv", csv([...households([2024]), household("HH-330102-0002", "330105", "2024", "120000")]));
    await rig.ingest();
    expect(await status(rig)).toEqual([["2024", true]]);
    await rig.warehouse.connection.run("DELETE FROM _record_period");
    rig.drop("b.csv", csv([household("HH-330102-9003", "330102", "2024", "70000")]));
    await rig.ingest();
    expect(await status(rig)).toEqual([["2024", true]]);
    expect(await province(rig)).toEqual([["2024", 160]]);
  });
});
