// GDP, GDP per capita and urbanisation of the 90 county-level units, summing (GDP) or averaging (urbanisation,
// population-weighted) to their city; county figures published in the reference table are kept exactly.
import { CITIES, countiesOf, countyStanding } from "./geography.ts";
import { weightedMean, type Economy } from "./economy.ts";
import { averagePopulation } from "./population.ts";
import { published } from "./published.ts";
import { randomFor } from "./prng.ts";
import { YEARS, getValue, round, setValue, type RegionSeries } from "./series.ts";

/** GDP shares inside a city: population times a tilt toward core districts. */
function countyGdp(
  cityCode: string,
  year: number,
  cityGdp: number,
  population: RegionSeries,
  tilt: ReadonlyMap<string, number>,
): Map<string, number> {
  const members = countiesOf(cityCode);
  const mass = members.reduce((a, k) => a + getValue(population, k.code, year) * tilt.get(k.code)!, 0);
  return new Map(
    members.map((k) => [k.code, (cityGdp * getValue(population, k.code, year) * tilt.get(k.code)!) / mass]),
  );
}

function countyUrban(
  cityCode: string,
  year: number,
  cityRate: number,
  population: RegionSeries,
  base: ReadonlyMap<string, number>,
): Map<string, number> {
  const raw = countiesOf(cityCode).map((k) => [k.code, base.get(k.code)! + 0.5 * (year - 2020)] as const);
  const shift = cityRate - weightedMean(raw, population, year);
  return new Map(raw.map(([code, v]) => [code, Math.min(99, v + shift)]));
}

/** Adds the counties to `economy` (which holds the province and the cities). */
export function addCountyEconomy(economy: Economy, population: RegionSeries): void {
  const rnd = randomFor("county-economy");
  const counties = CITIES.flatMap((c) => countiesOf(c.code));
  const tilt = new Map(counties.map((k) => [k.code, Math.exp(0.5 * countyStanding(k) + 0.08 * rnd.normal())]));
  const urbanBase = new Map(counties.map((k) => [k.code, 62 + 24 * countyStanding(k) + 3 * rnd.normal()]));
  const cityGdp = (k: string, year: number) => getValue(economy.gdp, k, year);
  const cityUrban = (k: string, year: number) => getValue(economy.urbanization, k, year);
  // A published county figure sets that county's level in every year, so its series has no jump at that year.
  for (let pass = 0; pass < 4; pass++) {
    for (const k of counties) {
      const city = k.parentCode!;
      for (const year of YEARS) {
        const gdpPin =
          published("gdp", k.code, year) ??
          perCapitaToGdp(published("gdp_per_capita", k.code, year), population, k.code, year);
        if (gdpPin !== undefined)
          tilt.set(
            k.code,
            (tilt.get(k.code)! * gdpPin) / countyGdp(city, year, cityGdp(city, year), population, tilt).get(k.code)!,
          );
        const urbanPin = published("urbanization_rate", k.code, year);
        if (urbanPin !== undefined)
          urbanBase.set(
            k.code,
            urbanBase.get(k.code)! +
              urbanPin -
              countyUrban(city, year, cityUrban(city, year), population, urbanBase).get(k.code)!,
          );
      }
    }
  }
  for (const c of CITIES) {
    for (const year of YEARS) {
      const gdp = countyGdp(c.code, year, cityGdp(c.code, year), population, tilt);
      const urban = countyUrban(c.code, year, cityUrban(c.code, year), population, urbanBase);
      for (const k of countiesOf(c.code)) {
        const g = published("gdp", k.code, year) ?? round(gdp.get(k.code)!, 1);
        setValue(economy.gdp, k.code, year, g);
        setValue(
          economy.gdpPerCapita,
          k.code,
          year,
          published("gdp_per_capita", k.code, year) ??
            Math.round((g * 1e4) / averagePopulation(population, k.code, year)),
        );
        setValue(
          economy.urbanization,
          k.code,
          year,
          published("urbanization_rate", k.code, year) ?? round(urban.get(k.code)!, 1),
        );
      }
    }
  }
}

function perCapitaToGdp(
  perCapita: number | undefined,
  population: RegionSeries,
  code: string,
  year: number,
): number | undefined {
  return perCapita === undefined ? undefined : (perCapita * averagePopulation(population, code, year)) / 1e4;
}
