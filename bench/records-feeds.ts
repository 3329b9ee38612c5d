// The record feeds of bench/records-derive.ts beyond its own households: the shipped market registry and air-quality
// station feeds (feeds/records/), their shipped derivations, and inputs written by the sample generators in a child
// process, so the generator's memory never counts in the measured process's peak RSS.
import { execFileSync } from "node:child_process";
import { closeSync, mkdirSync, openSync, readFileSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Catalog, Derivation, RecordFeedSpec } from "../schemas/index.ts";
import { parseDerivation, parseRecordFeedSpec } from "../schemas/index.ts";

const root = fileURLToPath(new URL("../", import.meta.url));
const read = (path: string): string => readFileSync(join(root, path), "utf8");

/** A file's first 4 KiB as text: a registry of 10^7 events is larger than a string may be. */
function head(path: string): string {
  const fd = openSync(path, "r");
  try {
    const bytes = Buffer.alloc(4096);
    return bytes.subarray(0, readSync(fd, bytes, 0, bytes.length, 0)).toString("utf8");
  } finally {
    closeSync(fd);
  }
}

export interface BenchRecordFeed {
  spec: RecordFeedSpec;
  derivations: Derivation[];
  /** Writes the input into the feed's drop folder; returns the records written (excluding title and header). */
  write(folder: string): number;
  /** A late file of the feed (a back-dated change to records already loaded): its name and text. */
  late(): { name: string; text: string };
}

function feed(id: string, derivationIds: readonly string[], catalog: Catalog, edit = (y: string) => y) {
  const spec = parseRecordFeedSpec(read(`feeds/records/${id}.yaml`), `${id}.yaml`);
  const derivations = derivationIds.map((d) =>
    parseDerivation(edit(read(`feeds/derivations/${d}.yaml`)), `${d}.yaml`, [spec], catalog),
  );
  return { spec, derivations };
}

function generate(script: string, args: readonly string[]): Record<string, number> {
  const out = execFileSync(process.execPath, [join(root, script), ...args], { encoding: "utf8" });
  return JSON.parse(out.trim().split("\n").at(-1)!) as Record<string, number>;
}

/** About `events` registry events (the sample generator at the share that gives them), and market-entities-live. */
export function registryFeed(events: number, catalog: Catalog): BenchRecordFeed {
  // Counted in entities (scale 0.0001 → 万户) as a full registry would be: the timing does not depend on it.
  const { spec, derivations } = feed("market-registry", ["market-entities-live"], catalog, (y) =>
    y.replace(/^scale: .*$/m, "scale: 0.0001"),
  );
  let firstLine = "";
  return {
    spec,
    derivations,
    write(folder) {
      mkdirSync(folder, { recursive: true });
      const path = join(folder, "registry.csv");
      const { events: written } = generate("samples/generate/market-registry-file.ts", [
        "--events",
        String(events),
        "--out",
        path,
      ]);
      firstLine = head(path).split(/\r?\n/)[2] ?? "";
      return written!;
    },
    late() {
      // The first entity of the opening stock, cancelled on 2019-03-01 in a file published later: every year-end
      // from 2019 of its county, city and the province changes.
      const f = firstLine.split(",");
      const header =
        "entity_id,legal_rep_id_card,county_code,entity_type,event_kind,event_date,registered_on,cancelled_on";
      const row = [f[0], f[1], f[2], f[3], "注销", "2019-03-01", f[6], "2019-03-01"].join(",");
      return { name: "late.csv", text: `late\n${header}\n${row}\n` };
    },
  };
}

/** Every station (102) for `years` years from 2024 back, and both station derivations. */
export function stationsFeed(years: number, catalog: Catalog): BenchRecordFeed {
  const { spec, derivations } = feed("air-stations", ["pm25-concentration", "good-air-days-share"], catalog);
  const list = Array.from({ length: Math.min(5, Math.max(1, years)) }, (_, i) => 2024 - i);
  return {
    spec,
    derivations,
    write(folder) {
      mkdirSync(folder, { recursive: true });
      const path = join(folder, "readings.csv");
      return generate("samples/generate/air-stations-file.ts", ["--years", list.join(","), "--out", path]).rows!;
    },
    late() {
      // One station-day re-sent with corrected readings: one day's records, re-derived.
      const lines = ["late", "station_id,county_code,city_code,read_at,pm25"];
      for (let h = 0; h < 24; h++)
        lines.push(`1001A,330102,330100,2024-03-05T${String(h).padStart(2, "0")}:00:00+08:00,${40 + h}`);
      return { name: "late.csv", text: `${lines.join("\n")}\n` };
    },
  };
}

/** Stations × hours of one year: how many readings a year of every station gives. */
export const READINGS_PER_YEAR = 102 * 8_784;

export function writeLate(folder: string, feed: BenchRecordFeed): void {
  const late = feed.late();
  writeFileSync(join(folder, late.name), late.text);
}
