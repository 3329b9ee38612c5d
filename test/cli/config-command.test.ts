import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";

// Each test starts several gongfu processes; a busy shared machine makes each take seconds.
describe("gongfu config", { timeout: 240_000 }, () => {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-config-cmd-"));
  const file = join(dir, "gongfu.config.yaml");
  writeFileSync(file, 'topicPrefix: zj\nkafka:\n  brokers: ["kafka-1:9092"]\n');
  const env = {
    KAFKA_SASL_MECHANISM: "scram-sha-512",
    KAFKA_SASL_USERNAME: "gongfu",
    KAFKA_SASL_PASSWORD: "pa55-w0rd",
    KAFKA_SSL: "true",
  };

  it("prints the effective configuration as JSON with secrets masked and where each override came from", async () => {
    const result = await runCli(["config", "--json", "--config", file, "--feeds", join(REPO, "feeds")], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain("pa55-w0rd");
    const out = JSON.parse(result.stdout) as {
      file: string;
      fileExists: boolean;
      mode: string;
      fromEnv: Record<string, string>;
      config: { topicPrefix: string; kafka: { ssl: boolean; brokers: string[]; sasl: Record<string, string> } };
    };
    expect(out).toMatchObject({ file, fileExists: true, mode: "kafka" });
    expect(out.config.topicPrefix).toBe("zj");
    expect(out.config.kafka).toMatchObject({
      brokers: ["kafka-1:9092"],
      ssl: true,
      sasl: { mechanism: "scram-sha-512", username: "gongfu", password: "********" },
    });
    expect(out.fromEnv).toMatchObject({ "kafka.ssl": "KAFKA_SSL", "kafka.sasl.password": "KAFKA_SASL_PASSWORD" });
  });

  it("prints YAML for people, secrets masked too", async () => {
    const result = await runCli(["config", "--config", file], { env });
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(`# file: ${file}`);
    expect(result.stdout).toContain("# kafka.sasl.password from KAFKA_SASL_PASSWORD");
    expect(result.stdout).toMatch(/password: "?\*{8}"?/);
    expect(result.stdout).not.toContain("pa55-w0rd");
  });
});
