import { describe, it } from "vitest";
import { walkingSkeletonScenario } from "./walking-skeleton.scenario.ts";

describe("walking skeleton, embedded mode", () => {
  it("turns a GBK statistics-bureau CSV into warehouse rows, dead letters and realisation degrees", async () => {
    await walkingSkeletonScenario([], { KAFKA_BROKERS: "" });
  });
});
