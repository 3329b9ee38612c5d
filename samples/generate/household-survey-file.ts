// 住户收支调查 sample households: one record per household, with a direct identifier (the survey's household number),
// the head's ID-card number (a personal identifier the feed drops at ingest), the county, the household size and the
// household's annual disposable income. Incomes are log-normal (σ 0.65), μ shifted by how developed the city and
// the county are (geography.ts) around 11.86, so that the whole sample has 70.0% of households at 100-500k yuan and
// 31.3% at 200-600k (published for 2021: 七成家庭年收入10-50万元; 30.6% at 20-60万元 in
// samples/calibration/published-stats.csv) and a Gini of 0.35. Every identifier is made up: none belongs to a real
// household or person.
import { COUNTIES, countyStanding, development } from "./geography.ts";
import { csvText, SAMPLE_LABEL, type SampleFile } from "./format.ts";
import { idCard } from "./id-numbers.ts";
import { randomFor } from "./prng.ts";

export const HOUSEHOLD_SURVEY_YEAR = 2021;
/** Households per county: enough for every city cell to pass k = 10, few enough for a quick demo. */
const PER_COUNTY = 40;
const MU = 11.86;
const SIGMA = 0.65;

export function householdSurveyFile(): SampleFile {
  const rows: string[][] = [
    [`浙江省住户收支调查样本户 ${HOUSEHOLD_SURVEY_YEAR}年（${SAMPLE_LABEL}）`],
    ["household_id", "head_id_card", "county_code", "survey_year", "household_size", "disposable_income"],
  ];
  for (const county of COUNTIES) {
    const random = randomFor(`household-survey/${county.code}`);
    const city = county.parentCode ?? county.code;
    const mu = MU + 0.12 * development(city) + 0.05 * countyStanding(county);
    for (let n = 1; n <= PER_COUNTY; n++) {
      const income = Math.exp(mu + SIGMA * random.normal());
      const size = 1 + Math.min(5, Math.floor(random.uniform() * 4 + random.uniform() * 2));
      const year = 1950 + Math.floor(random.uniform() * 50);
      const month = String(1 + Math.floor(random.uniform() * 12)).padStart(2, "0");
      const day = String(1 + Math.floor(random.uniform() * 28)).padStart(2, "0");
      const birth = `${year}${month}${day}`;
      rows.push([
        `HH${HOUSEHOLD_SURVEY_YEAR}-${county.code}-${String(n).padStart(4, "0")}`,
        idCard(county.code, birth, n),
        county.code,
        String(HOUSEHOLD_SURVEY_YEAR),
        String(size),
        String(Math.round(income)),
      ]);
    }
  }
  return {
    path: `feeds/household-survey/zj-household-survey-${HOUSEHOLD_SURVEY_YEAR}.csv`,
    bytes: Buffer.from(csvText(rows), "utf8"),
  };
}
