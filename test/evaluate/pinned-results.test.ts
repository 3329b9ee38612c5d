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
// (version 3, issue 17: the coverage rule leaves thin dimensions out and ranks only comparable regions).
const NOW = () => new Date("2026-02-01T00:00:00Z");
const CASES: readonly { readonly name: string; readonly request: EvaluationRequest; readonly sha256: string }[] = [
  {
    name: "2025-12, newest vintage, default settings (1000 draws)",
    request: { period: "2025-12" },
    sha256: "499b71bf1a4db54e934b0a0210c0e8c99c338e0ec2c9084f6552ef516ca57c15",
  },
  {
    name: "2025-09 as of 2025-08-15 (before revisions and late months), entropy weights",
    request: {
      period: "2025-09",
      asOf: "2025-08-15T00:00:00Z",
      config: { weights: "entropy", sensitivity: { draws: 300 } },
    },
    sha256: "ff29924114287468f67a0ff840196ed242a07e3bf8d4442c67cae83446e66eeb",
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
    sha256: "b2f6905947174351a0bf452ca5e5febefd3c802cb09dfef8e7963448cadadd80",
  },
  {
    name: "2024, an annual period",
    request: { period: "2024", config: { sensitivity: { draws: 100 } } },
    sha256: "01e1a997831955d7981417c3c8c6d15c732b1db7d157d94d00ed888a23e0d7a8",
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
