import { describe, it } from "vitest";
import { kafkaBrokers, uniqueTopicPrefix } from "../helpers/kafka.ts";
import { walkingSkeletonScenario } from "./walking-skeleton.scenario.ts";

describe("walking skeleton, on a real Kafka broker", () => {
  it("gives the same warehouse rows, dead letters and realisation degrees through the topics", async () => {
    await walkingSkeletonScenario(["--kafka", kafkaBrokers(), "--topic-prefix", uniqueTopicPrefix("skeleton")]);
  });
});
