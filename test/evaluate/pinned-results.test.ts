import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Warehouse } from "../../load/index.ts";
import { runEvaluation, type EvaluationRequest } from "../../evaluate/index.ts";
import { createSyntheticWarehouse } from "./synthetic-warehouse.ts";
import { dumpRun, fillPinnedWarehouse, sha256 } from "./pinned-warehouse.ts";

// The numbers of a full evaluation, pinned: the hashes below were recorded with the evaluator before its inputs,
// scoring and writing were made faster (issue 9), so an optimisation that changes any stored value, null, flag,
// row or JSON document fails here. A deliberate change of the method bumps EVALUATOR_VERSION and re-records them
// (version 3, issue 17: the coverage rule leaves thin dimensions out and ranks only comparable regions; then the new
// settings' defaults in the stored config and the imputation, band and other-outlier-rank columns, values unchanged;
// then the catalog's supporting good_air_days_share: eval_run's catalog hash and input row count only, no score).
const NOW = () => new Date("2026-02-01T00:00:00Z");
const CASES: readonly { readonly name: string; readonly request: EvaluationRequest; readonly sha256: string }[] = [
  {
    name: "2025-12, newest vintage, default settings (1000 draws)",
    request: { period: "2025-12" },
    sha256: "e9606304cb318970e7833f9d384f13557f79f3071d8673b0ebc72b8df2dbb37f",
  },
  {
    name: "2025-09 as of 2025-08-15 (before revisions and late months), entropy weights",
    request: {
      period: "2025-09",
      asOf: "2025-08-15T00:00:00Z",
      config: { weights: "entropy", sensitivity: { draws: 300 } },
    },
    sha256: "3b134a226cd62058a0ed899d945507d030e0843a099a55daeff69ee0e0b5fa72",
  },
  {
    name: "2025Q2, progress method, geometric aggregation, expert weights, short windows",
    request: {
      period: "2025Q2",
      asOf: "2025-12-01T00:00:00+08:00",
      config: {
        method: "progress",
        aggregation: "geometric",
        weights: "config",
        expertWeights: { indicators: { disposable_income_per_capita: 3, life_expectancy: 0.5 }, dimensions: { D3: 2 } },
        staleness: { annual: 12, quarterly: 3, monthly: 1 },
        sensitivity: { draws: 200, seed: 7, perturbation: 0.4 },
      },
    },
    sha256: "cfc823cd8de9b3f52026d5f14dc4254ef66d2d71f8da72f20510acfde28d6f1d",
  },
  {
    name: "2024, an annual period",
    request: { period: "2024", config: { sensitivity: { draws: 100 } } },
    sha256: "10d2b491a01cc3f684189011fac66db299f4778028e9eec91ce6e0e6b54aa23b",
  },
];

let w: Warehouse;
const dumps = mkdtempSync(join(tmpdir(), "gongfu-pinned-"));

beforeAll(async () => {
  w = await createSyntheticWarehouse();
  await fillPinnedWarehouse(w.connection);
}, 120_000);
afterAll(() => w.close());

describe("the stored results of an evaluation are pinned", () => {
  for (const c of CASES) {
    it(`stores exactly the recorded rows: ${c.name}`, async () => {
      const run = await runEvaluation(w.connection, { ...c.request, now: NOW, force: true });
      const lines = await dumpRun(w.connection, run.runId);
      const file = join(dumps, `${run.period}.jsonl`);
      writeFileSync(file, `${lines.join("\n")}\n`);
      expect(lines.length).toBeGreaterThan(10_000);
      expect(sha256(lines), `dump written to ${file}`).toBe(c.sha256);
    }, 60_000);
  }

  it("stores the same rows when a run is forced to recompute", async () => {
    const first = await runEvaluation(w.connection, {
      period: "2025-06",
      now: NOW,
      config: { sensitivity: { draws: 100 } },
    });
    const before = await dumpRun(w.connection, first.runId);
    const again = await runEvaluation(w.connection, {
      period: "2025-06",
      now: NOW,
      config: { sensitivity: { draws: 100 } },
      force: true,
    });
    expect(again).toMatchObject({ runId: first.runId, status: "succeeded", attempts: 2 });
    expect(await dumpRun(w.connection, first.runId)).toEqual(before);
  }, 60_000);
});
