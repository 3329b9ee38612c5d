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
// settings' defaults in the stored config and the imputation, band and other-outlier-rank columns, values unchanged).
const NOW = () => new Date("2026-02-01T00:00:00Z");
const CASES: readonly { readonly name: string; readonly request: EvaluationRequest; readonly sha256: string }[] = [
  {
    name: "2025-12, newest vintage, default settings (1000 draws)",
    request: { period: "2025-12" },
    sha256: "2e704beb7e30327216472264f5308fc72262f0d4855b2eac560382cd0833e453",
  },
  {
    name: "2025-09 as of 2025-08-15 (before revisions and late months), entropy weights",
    request: {
      period: "2025-09",
      asOf: "2025-08-15T00:00:00Z",
      config: { weights: "entropy", sensitivity: { draws: 300 } },
    },
    sha256: "587f00471482cf643d3eacbf62da34a4b4e15ac46912c2ced91b6095c3383dde",
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
    sha256: "e220a44af22f2c6da3a237811372c6b4bb5f474a7f39ecfb3fdd8907d586695e",
  },
  {
    name: "2024, an annual period",
    request: { period: "2024", config: { sensitivity: { draws: 100 } } },
    sha256: "a79964b5d461a7f5031b0beb6a474ec042ef932af853ed60fde456ec41ddb570",
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
