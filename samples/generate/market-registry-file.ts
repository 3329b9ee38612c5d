// 市场主体登记 sample registry: the market-regulation registry's events 2019-2025, as one extract. First the entities
// live at the end of 2018 (存续, with their establishment dates back to 1985), then every establishment (设立) and
// cancellation (注销) of 2019-2025 in date order; a cancellation repeats its entity's credit code and establishment
// date. Each county's live count at every year's end follows a target: the statistics bureau sample's market
// entities (model.ts: the province 803.2 万户 in 2020 to 1,097.6 万户 in 2025, split over the cities) shared over the
// city's counties by their 2020 population, with the ends of 2019 and 2018 taken back at 8% and 9% growth a year.
// Assumptions, stated to be argued with: growth before 2020 as in 2020-2021; 8% of the live entities cancelled each
// year; a third of the entities enterprises, almost two thirds individual businesses, 1% farmer cooperatives.
//
// `share` scales the registry: 1 is the published order (about 2.1·10^7 events, 1,097.6 万 live entities at the end
// of 2025); the shipped sample is a 1-in-2,000 sample (REGISTRY_SAMPLE_SHARE, about 10^4 events), each record
// standing for 2,000 entities (feeds/derivations/market-entities-live.yaml scales it back to 万户). Its county live
// counts are then a few to a few hundred records, so k = 10 suppresses a small county's cells as a real registry of
// fewer than 10 entities would be. `node samples/generate/market-registry-file.ts --events 1e7 --out <file>` writes a
// larger one for the bench without holding it in memory. Every identifier is made up.
import { resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { CITIES, countiesOf } from "./geography.ts";
import { csvText, SAMPLE_LABEL, type SampleFile } from "./format.ts";
import { creditCode, idCard } from "./id-numbers.ts";
import { writeLinesFile } from "./lines-file.ts";
import { buildSampleModel } from "./model.ts";
import { randomFor, type Random } from "./prng.ts";
import { getValue } from "./series.ts";

export const REGISTRY_SAMPLE_SHARE = 1 / 2000;
export const REGISTRY_FIRST_YEAR = 2019;
export const REGISTRY_LAST_YEAR = 2025;
const CANCEL_RATE = 0.08;
/** Growth of the live count during 2020 and 2019 (assumption), to take the 2020 stock back to the end of 2018. */
const GROWTH_DURING: Readonly<Record<number, number>> = { 2020: 1.08, 2019: 1.09 };
const TYPES = [
  { name: "企业", digit: 1, share: 0.33 },
  { name: "个体工商户", digit: 2, share: 0.66 },
  { name: "农民专业合作社", digit: 3, share: 0.01 },
] as const;
export const REGISTRY_HEADER = [
  "entity_id",
  "legal_rep_id_card",
  "county_code",
  "entity_type",
  "event_kind",
  "event_date",
  "registered_on",
  "cancelled_on",
] as const;

/** Live entities at each year's end 2018-2025 (entities, at the published order) per county. */
export function registryTargets(): Map<string, Map<number, number>> {
  const model = buildSampleModel();
  const split = model.splits.get("market_entities");
  if (!split) throw new Error("the sample model has no market_entities split");
  const out = new Map<string, Map<number, number>>();
  for (const city of CITIES) {
    const counties = countiesOf(city.code);
    const people = counties.map((c) => getValue(model.population, c.code, 2020));
    const total = people.reduce((a, b) => a + b, 0);
    const cityStock = (y: number): number =>
      y >= 2020 ? (getValue(split.cities, city.code, y) / split.scale) * 1e4 : cityStock(y + 1) / GROWTH_DURING[y + 1]!;
    counties.forEach((county, i) => {
      const years = new Map<number, number>();
      for (let y = REGISTRY_FIRST_YEAR - 1; y <= REGISTRY_LAST_YEAR; y++)
        years.set(y, (cityStock(y) * people[i]!) / total);
      out.set(county.code, years);
    });
  }
  return out;
}

/** Events a registry of `share` holds, in expectation: the opening stock, establishments and cancellations. */
export function expectedRegistryEvents(share: number): number {
  let events = 0;
  for (const years of registryTargets().values()) {
    events += years.get(REGISTRY_FIRST_YEAR - 1)!;
    for (let y = REGISTRY_FIRST_YEAR; y <= REGISTRY_LAST_YEAR; y++) {
      const before = years.get(y - 1)!;
      events += years.get(y)! - before + 2 * CANCEL_RATE * before;
    }
  }
  return events * share;
}

/** The share whose registry holds about `events` events. */
export const shareForEvents = (events: number): number => events / expectedRegistryEvents(1);

const DAY_MS = 86_400_000;
const dayOf = (y: number, m = 0, d = 1): number => Date.UTC(y, m, d) / DAY_MS;
const dateText = new Map<number, string>();
function date(day: number): string {
  let text = dateText.get(day);
  if (text === undefined) dateText.set(day, (text = new Date(day * DAY_MS).toISOString().slice(0, 10)));
  return text;
}
/** Rounds up with probability of the fraction: the counts' expectations stay exact at any share. */
const roundRandom = (x: number, r: Random): number => Math.floor(x + r.uniform());

/** Grows typed columns of the entities: county, type, establishment day. */
class Entities {
  county = new Uint8Array(1024);
  type = new Uint8Array(1024);
  day = new Int32Array(1024);
  size = 0;
  add(county: number, type: number, day: number): number {
    if (this.size === this.day.length) {
      const grow = <T extends Uint8Array | Int32Array>(a: T, make: (n: number) => T): T => {
        const b = make(a.length * 2);
        b.set(a);
        return b;
      };
      this.county = grow(this.county, (n) => new Uint8Array(n));
      this.type = grow(this.type, (n) => new Uint8Array(n));
      this.day = grow(this.day, (n) => new Int32Array(n));
    }
    this.county[this.size] = county;
    this.type[this.size] = type;
    this.day[this.size] = day;
    return this.size++;
  }
}

function pickType(r: Random): number {
  const u = r.uniform();
  return u < TYPES[0].share ? 0 : u < TYPES[0].share + TYPES[1].share ? 1 : 2;
}

/**
 * Generates the registry of `share` and hands each CSV line (without its line end) to `emit`, year block by year
 * block, so a large one is never held whole. Returns the events written.
 */
export function generateRegistry(share: number, emit: (line: string) => void): number {
  const targets = [...registryTargets()];
  const codes = targets.map(([code]) => code);
  const entities = new Entities();
  const live: number[][] = codes.map(() => []);
  const random = codes.map((code) => randomFor(`market-registry/${code}`));
  let events = 0;
  const line = (e: number, kind: string, eventDay: number, cancelled?: number): string => {
    const county = codes[entities.county[e]!]!;
    const type = TYPES[entities.type[e]!]!;
    // The legal representative's birth date from the entity's number: the same person on every row of the entity.
    const h = Math.imul(e + 1, 2_654_435_761) >>> 0;
    const birth = `${1950 + (h % 50)}${String(1 + ((h >>> 8) % 12)).padStart(2, "0")}${String(1 + ((h >>> 16) % 28)).padStart(2, "0")}`;
    events++;
    return [
      creditCode(type.digit, county, e + 1_000_000),
      idCard(county, birth, e),
      county,
      type.name,
      kind,
      date(eventDay),
      date(entities.day[e]!),
      cancelled === undefined ? "" : date(cancelled),
    ].join(",");
  };
  // The opening stock: established 1985-2018, more of them recently, in order of establishment.
  const opening: number[] = [];
  targets.forEach(([, years], c) => {
    const r = random[c]!;
    const n = roundRandom(share * years.get(REGISTRY_FIRST_YEAR - 1)!, r);
    for (let i = 0; i < n; i++) {
      const year = Math.max(1985, 2018 - Math.floor(-Math.log(1 - r.uniform()) * 7));
      const e = entities.add(c, pickType(r), dayOf(year) + Math.floor(r.uniform() * 365));
      live[c]!.push(e);
      opening.push(e);
    }
  });
  opening.sort((a, b) => entities.day[a]! - entities.day[b]! || a - b);
  for (const e of opening) emit(line(e, "存续", dayOf(REGISTRY_FIRST_YEAR - 1, 11, 31)));
  for (let y = REGISTRY_FIRST_YEAR; y <= REGISTRY_LAST_YEAR; y++) {
    const days = dayOf(y + 1) - dayOf(y);
    const block: { day: number; e: number; cancelled: boolean }[] = [];
    targets.forEach(([, years], c) => {
      const r = random[c]!;
      const alive = live[c]!;
      // Cancelled this year: among the entities live at its start, so a cancellation always follows its entity's
      // establishment in the file.
      const cancel = Math.min(alive.length, roundRandom(CANCEL_RATE * alive.length, r));
      const establish = Math.max(0, roundRandom(share * years.get(y)!, r) - alive.length + cancel);
      for (let i = 0; i < cancel; i++) {
        const k = Math.floor(r.uniform() * alive.length);
        const e = alive[k]!;
        alive[k] = alive[alive.length - 1]!;
        alive.pop();
        block.push({ day: dayOf(y) + Math.floor(r.uniform() * days), e, cancelled: true });
      }
      for (let i = 0; i < establish; i++) {
        const e = entities.add(c, pickType(r), dayOf(y) + Math.floor(r.uniform() * days));
        alive.push(e);
        block.push({ day: entities.day[e]!, e, cancelled: false });
      }
    });
    block.sort((a, b) => a.day - b.day || a.e - b.e);
    for (const b of block) emit(b.cancelled ? line(b.e, "注销", b.day, b.day) : line(b.e, "设立", b.day));
  }
  return events;
}

const title = (share: number): string => {
  const every = Math.round(1 / share).toLocaleString("en-US");
  return (
    `浙江省市场主体登记事件 ${REGISTRY_FIRST_YEAR}-${REGISTRY_LAST_YEAR}年（${SAMPLE_LABEL}；` +
    `按${every}户抽1户 one record per ${every} entities）`
  );
};

/** The shipped sample: samples/feeds/market-registry/. */
export function marketRegistryFile(): SampleFile {
  const lines: string[] = [];
  generateRegistry(REGISTRY_SAMPLE_SHARE, (l) => lines.push(l));
  const head = csvText([[title(REGISTRY_SAMPLE_SHARE)], [...REGISTRY_HEADER]]);
  return {
    path: `feeds/market-registry/zj-market-registry-${REGISTRY_FIRST_YEAR}-${REGISTRY_LAST_YEAR}.csv`,
    bytes: Buffer.from(`${head}${lines.join("\r\n")}\r\n`, "utf8"),
  };
}

/** Writes a registry of about `events` events to `path` in pieces; returns the events written and the share. */
export function writeRegistryFile(path: string, events: number): { events: number; share: number } {
  const share = shareForEvents(events);
  const head = csvText([[title(share)], [...REGISTRY_HEADER]]).trimEnd();
  const written = writeLinesFile(path, head, (emit) => generateRegistry(share, emit));
  return { events: written, share };
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({ options: { events: { type: "string", default: "1e7" }, out: { type: "string" } } });
  if (values.out === undefined) throw new Error("--out <file> is needed");
  process.stdout.write(`${JSON.stringify(writeRegistryFile(resolve(values.out), Number(values.events)))}\n`);
}
