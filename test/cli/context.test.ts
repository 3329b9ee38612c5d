import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterEach, describe, expect, it, vi } from "vitest";
import { createContext } from "../../cli/context.ts";
import { REPO } from "../helpers/cli.ts";

const feeds = join(REPO, "feeds");

describe("command context", () => {
  afterEach(() => vi.unstubAllEnvs());

  it("hands SASL and SSL from the environment to the Kafka bus settings", () => {
    vi.stubEnv("GONGFU_CONFIG", "");
    vi.stubEnv("KAFKA_SSL", "true");
    vi.stubEnv("KAFKA_SASL_MECHANISM", "scram-sha-256");
    vi.stubEnv("KAFKA_SASL_USERNAME", "pipeline");
    vi.stubEnv("KAFKA_SASL_PASSWORD", "s3cret");
    const ctx = createContext({ kafka: "b1:9093,b2:9093", feeds, data: mkdtempSync(join(tmpdir(), "gongfu-ctx-")) });
    expect(ctx.brokers).toEqual(["b1:9093", "b2:9093"]);
    expect(ctx.kafkaSettings()).toMatchObject({
      brokers: ["b1:9093", "b2:9093"],
      ssl: true,
      sasl: { mechanism: "scram-sha-256", username: "pipeline", password: "s3cret" },
    });
  });

  it("runs embedded, without Kafka settings, when no broker is given", () => {
    vi.stubEnv("KAFKA_BROKERS", "");
    const ctx = createContext({ feeds });
    expect(ctx.brokers).toBeUndefined();
    expect(ctx.kafkaSettings()).toBeUndefined();
    expect(ctx.createBus().kind).toBe("embedded");
  });

  it("serves metrics on the configured port for daemons only, on --metrics-port always, never with --no-metrics", () => {
    vi.stubEnv("GONGFU_METRICS_PORT", "9555");
    expect(createContext({ feeds }).metricsPort(true)).toBe(9555);
    expect(createContext({ feeds }).metricsPort(false)).toBeUndefined();
    expect(createContext({ feeds, metricsPort: "0" }).metricsPort(false)).toBe(0);
    expect(createContext({ feeds, metrics: false }).metricsPort(true)).toBeUndefined();
    expect(() => createContext({ feeds, metricsPort: "http" })).toThrow(/--metrics-port http: not a port number/);
  });

  it("fails with what to do when the feed spec folder is missing", () => {
    expect(() => createContext({ feeds: "/nonexistent/feeds" })).toThrow(
      /feed spec folder \/nonexistent\/feeds does not exist/,
    );
    // `gongfu config` still works: it reads the specs only if asked.
    expect(createContext({ feeds: "/nonexistent/feeds" }, { lazySpecs: true }).config.feedsDir).toBe(
      "/nonexistent/feeds",
    );
  });
});
