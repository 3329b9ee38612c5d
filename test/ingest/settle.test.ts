import { closeSync, existsSync, mkdirSync, mkdtempSync, openSync, writeFileSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { describe, expect, it } from "vitest";
import { runIngestOnce } from "../../ingest/index.ts";
import { silentLogger } from "../../runtime/logger.ts";
import { captureBus } from "./helpers/capture-bus.ts";
import { dropFixture } from "./helpers/drop.ts";
import { testSpec } from "./helpers/specs.ts";

const HEADER = "地区,年份,居民人均可支配收入\n";
const spec = (connector: Record<string, unknown> = {}) =>
  testSpec({ connector: { kind: "file-drop", path: "stats", pattern: "*.csv", ...connector } });
const values = (t: { raw: () => { fields: Record<string, string> }[] }) =>
  t.raw().map((r) => `${r.fields["地区"]}=${r.fields["居民人均可支配收入"]}`);

describe("reading a dropped file only once it is complete", () => {
  it("in run mode waits out a writer that pauses mid-number, then reads the whole file (71023, not 710)", async () => {
    const base = mkdtempSync(join(tmpdir(), "gongfu-settle-"));
    const folder = join(base, "inbox", "stats");
    mkdirSync(folder, { recursive: true });
    const t = await captureBus(["test-feed"]);
    const fd = openSync(join(folder, "income.csv"), "w");
    writeSync(fd, `${HEADER}杭州市,2024,710`);
    const writer = (async () => {
      await sleep(250); // a slow upload stalls mid-line
      writeSync(fd, "23\n宁波市,2024,76156\n");
      closeSync(fd);
    })();
    const stats = await runIngestOnce({
      specs: [spec()],
      bus: t.bus,
      topics: t.topics,
      dropRoot: join(base, "inbox"),
      stateDir: join(base, "state"),
      logger: silentLogger(),
      settleMs: 600,
    });
    await writer;
    expect(values(t)).toEqual(["杭州市=71023", "宁波市=76156"]);
    expect(stats[0]).toMatchObject({ files: 1, records: 2, pending: 0 });
  });

  it("leaves a file written less than the settle time ago for later, and a feed can set its own settle time", async () => {
    const t = await dropFixture(spec({ settleSeconds: 3600 }), 0);
    t.drop("fresh.csv", `${HEADER}杭州市,2024,79323\n`);
    const polling = t.connector().poll(AbortSignal.timeout(300));
    expect(await polling).toMatchObject({ records: 0, pending: 1 });
    expect(t.raw()).toEqual([]);
  });

  it("reads a file at once when its .done marker has arrived, and removes the marker with it", async () => {
    const t = await dropFixture(spec({ settleSeconds: 3600 }), 0);
    const path = t.drop("income.csv", `${HEADER}杭州市,2024,79323\n`);
    writeFileSync(`${path}.done`, "");
    expect(await t.connector().poll()).toMatchObject({ records: 1, pending: 0 });
    expect(existsSync(`${path}.done`)).toBe(false);
    expect(t.listed("processed")).toEqual([expect.stringMatching(/_income\.csv$/)]);
  });

  it("with readyMarker: required reads only the files whose marker has arrived", async () => {
    const t = await dropFixture(spec({ readyMarker: "required" }), 0);
    t.drop("a.csv", `${HEADER}杭州市,2024,79323\n`);
    const b = t.drop("b.csv", `${HEADER}宁波市,2024,76156\n`);
    writeFileSync(`${b}.done`, "");
    expect(await t.connector().poll()).toMatchObject({ files: 1, records: 1 });
    expect(values(t)).toEqual(["宁波市=76156"]);
  });

  it("never reads upload temporaries (*.tmp, *.part), dotfiles or hidden folders", async () => {
    const t = await dropFixture(testSpec({ connector: { kind: "file-drop", path: "stats" } }), 0);
    for (const name of ["a.csv.tmp", "b.csv.part", ".c.csv", ".staging/d.csv", "e.csv.done"])
      t.drop(name, `${HEADER}杭州市,2024,79323\n`);
    expect(await t.connector().poll()).toMatchObject({ files: 0, records: 0, deadLetters: 0 });
  });

  it("leaves a file that changed while it was read in place, and reads it again whole", async () => {
    const t = await dropFixture(spec(), 0);
    const path = t.drop("income.csv", `${HEADER}杭州市,2024,79323\n`);
    const publish = t.bus.publish.bind(t.bus);
    let appended = false;
    t.bus.publish = async (topic, records) => {
      if (!appended) {
        appended = true;
        await sleep(20);
        writeFileSync(path, `${HEADER}杭州市,2024,79323\n宁波市,2024,76156\n`);
      }
      return publish(topic, records);
    };
    const first = await t.connector().poll();
    expect(first).toMatchObject({ pending: 1 });
    expect(existsSync(path)).toBe(true);
    expect(t.listed("processed")).toEqual([]);
    expect(await t.connector().poll()).toMatchObject({ records: 2, pending: 0 });
    expect(values(t).slice(-2)).toEqual(["杭州市=79323", "宁波市=76156"]);
  });
});
