import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { loadConfig, loadConfigWithOrigin } from "../../runtime/config.ts";
import { ConfigError } from "../../runtime/errors.ts";
import { maskSecrets, MASK } from "../../runtime/config-view.ts";
import { REPO } from "../helpers/cli.ts";

function configFile(text: string): { dir: string; file: string } {
  const dir = mkdtempSync(join(tmpdir(), "gongfu-config-"));
  const file = join(dir, "gongfu.config.yaml");
  writeFileSync(file, text);
  return { dir, file };
}

function failure(run: () => unknown): ConfigError {
  try {
    run();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error("expected a ConfigError");
}

describe("configuration", () => {
  it("uses the defaults when there is no file and no environment", () => {
    const dir = mkdtempSync(join(tmpdir(), "gongfu-config-"));
    const config = loadConfig({ env: {}, cwd: dir });
    expect(config.dataDir).toBe("data");
    expect(config.kafka).toMatchObject({ brokers: [], ssl: false, clientId: "gongfu" });
    expect(config.kafka.sasl).toBeUndefined();
    expect(config.metrics).toEqual({ port: 9464, host: "0.0.0.0" });
    expect(config.schedule).toEqual({ cron: "0 2 1 * *", timezone: "Asia/Shanghai" });
  });

  it("names the file and line of a bad value", () => {
    const { file } = configFile('dataDir: data\nkafka:\n  brokers: ["a:9092"]\n  ssl: maybe\n');
    const err = failure(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain(`${file}:4: kafka.ssl:`);
  });

  it("names the line of an unknown setting", () => {
    const { file } = configFile("dataDir: data\nmetrics:\n  port: 9464\n  prot: 1\n");
    const err = failure(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain(`${file}:4: metrics.prot: unknown setting (prot)`);
  });

  it("names the line of a YAML syntax error", () => {
    const { file } = configFile("dataDir: data\nkafka:\n  brokers: [a:9092\n");
    const err = failure(() => loadConfig({ file, env: {} }));
    expect(err.message).toMatch(new RegExp(`${file.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")}:\\d+: not valid YAML`));
  });

  it("rejects an invalid cron expression and time zone", () => {
    const { file } = configFile("schedule:\n  cron: every month\n  timezone: Mars/Olympus\n");
    const err = failure(() => loadConfig({ file, env: {} }));
    expect(err.message).toContain(`${file}:2: schedule.cron: not a valid cron expression`);
    expect(err.message).toContain(`${file}:3: schedule.timezone: not an IANA time zone`);
  });

  it("lets the environment override the file and says which variable set what", () => {
    const { file } = configFile('kafka:\n  brokers: ["file:9092"]\nmetrics:\n  port: 9000\n');
    const loaded = loadConfigWithOrigin({
      file,
      env: {
        KAFKA_BROKERS: "a:9092, b:9093",
        KAFKA_SSL: "true",
        GONGFU_METRICS_PORT: "9999",
        GONGFU_SCHEDULE_CRON: "0 3 2 * *",
      },
    });
    expect(loaded.config.kafka.brokers).toEqual(["a:9092", "b:9093"]);
    expect(loaded.config.kafka.ssl).toBe(true);
    expect(loaded.config.metrics.port).toBe(9999);
    expect(loaded.config.schedule.cron).toBe("0 3 2 * *");
    expect(loaded.fromEnv.get("kafka.ssl")).toBe("KAFKA_SSL");
  });

  it("names the environment variable of a bad value", () => {
    const err = failure(() =>
      loadConfig({ env: { KAFKA_SSL: "perhaps" }, cwd: mkdtempSync(join(tmpdir(), "gongfu-config-")) }),
    );
    expect(err.message).toContain("KAFKA_SSL (environment): kafka.ssl:");
  });

  it("takes SASL credentials from the environment", () => {
    const config = loadConfig({
      env: { KAFKA_SASL_MECHANISM: "SCRAM-SHA-512", KAFKA_SASL_USERNAME: "gongfu", KAFKA_SASL_PASSWORD: "s3cret" },
      cwd: mkdtempSync(join(tmpdir(), "gongfu-config-")),
    });
    expect(config.kafka.sasl).toEqual({ mechanism: "scram-sha-512", username: "gongfu", password: "s3cret" });
  });

  it("reads the SASL password from a file", () => {
    const { dir, file } = configFile(
      "kafka:\n  sasl:\n    mechanism: plain\n    username: gongfu\n    passwordFile: secret.txt\n",
    );
    writeFileSync(join(dir, "secret.txt"), "from-a-file\n");
    const config = loadConfig({ file, env: {}, cwd: dir });
    expect(config.kafka.sasl?.password).toBe("from-a-file");
    const viaEnv = loadConfig({
      env: {
        KAFKA_SASL_MECHANISM: "plain",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_PASSWORD_FILE: join(dir, "secret.txt"),
      },
      cwd: dir,
    });
    expect(viaEnv.kafka.sasl?.password).toBe("from-a-file");
  });

  it("refuses a password written in the configuration file, naming its line", () => {
    const { file } = configFile("kafka:\n  sasl:\n    mechanism: plain\n    username: gongfu\n    password: hunter2\n");
    const err = failure(() => loadConfig({ file, env: {} }));
    expect(err.message).toBe(`${file}:5: kafka.sasl.password: secrets do not belong in the configuration file`);
    expect(err.hint).toContain("KAFKA_SASL_PASSWORD");
  });

  it("refuses SASL without a password, and a password file that cannot be read", () => {
    const cwd = mkdtempSync(join(tmpdir(), "gongfu-config-"));
    expect(
      failure(() => loadConfig({ env: { KAFKA_SASL_MECHANISM: "plain", KAFKA_SASL_USERNAME: "u" }, cwd })).message,
    ).toContain("SASL needs a password");
    expect(
      failure(() =>
        loadConfig({
          env: {
            KAFKA_SASL_MECHANISM: "plain",
            KAFKA_SASL_USERNAME: "u",
            KAFKA_SASL_PASSWORD_FILE: join(cwd, "missing"),
          },
          cwd,
        }),
      ).message,
    ).toContain("cannot read it");
  });

  it("fails when an explicitly named file does not exist", () => {
    expect(failure(() => loadConfig({ file: "/nonexistent/gongfu.config.yaml", env: {} })).message).toContain(
      "does not exist",
    );
  });

  it("accepts the documented example file as it is", () => {
    const config = loadConfig({ file: join(REPO, "gongfu.config.example.yaml"), env: {}, cwd: REPO });
    expect(config.metrics.port).toBe(9464);
    expect(config.schedule.timezone).toBe("Asia/Shanghai");
  });

  it("masks secrets for printing and leaves everything else", () => {
    const config = loadConfig({
      env: {
        KAFKA_SASL_MECHANISM: "plain",
        KAFKA_SASL_USERNAME: "u",
        KAFKA_SASL_PASSWORD: "s3cret",
        KAFKA_BROKERS: "a:9092",
      },
      cwd: mkdtempSync(join(tmpdir(), "gongfu-config-")),
    });
    const masked = maskSecrets(config);
    expect(masked.kafka.sasl).toEqual({ mechanism: "plain", username: "u", password: MASK });
    expect(masked.kafka.brokers).toEqual(["a:9092"]);
    expect(JSON.stringify(masked)).not.toContain("s3cret");
    expect(config.kafka.sasl?.password).toBe("s3cret");
  });
});
