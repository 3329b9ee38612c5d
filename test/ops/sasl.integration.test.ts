import { execFile } from "node:child_process";
import { copyFileSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { REPO, runCli } from "../helpers/cli.ts";
import { freePort } from "../reliability/faults/own-broker.ts";
import { writeSection } from "../reliability/results-file.ts";

const run = promisify(execFile);
const KAFKA_LOCAL = join(REPO, "scripts/kafka-local/kafka-local");
const PASSWORD = "s3cret-scram-password";

/** A broker of the test's own whose client port takes SASL/SCRAM only (scripts/kafka-local with KAFKA_SASL_SCRAM). */
describe("Kafka with SASL/SCRAM", { timeout: 300_000 }, () => {
  const root = mkdtempSync(join(tmpdir(), "gongfu-sasl-"));
  let env: NodeJS.ProcessEnv = {};
  let brokers = "";
  const rows: string[] = [];

  beforeAll(async () => {
    const port = await freePort();
    brokers = `127.0.0.1:${port}`;
    env = {
      ...process.env,
      KAFKA_PORT: String(port),
      KAFKA_CONTROLLER_PORT: String(await freePort()),
      KAFKA_INTERNAL_PORT: String(await freePort()),
      GONGFU_KAFKA_DIR: join(root, "kafka"),
      KAFKA_SASL_SCRAM: `alice:${PASSWORD}`,
    };
    await run(KAFKA_LOCAL, ["start"], { env, timeout: 240_000 });
  });

  afterAll(async () => {
    await run(KAFKA_LOCAL, ["stop"], { env, timeout: 60_000 }).catch(() => {});
    rmSync(root, { recursive: true, force: true });
    await writeSection(
      "sasl",
      [
        "## Kafka with SASL/SCRAM",
        "",
        "`test/ops/sasl.integration.test.ts`: a broker of the test's own whose client listener takes SASL/SCRAM only",
        "(`KAFKA_SASL_SCRAM=user:password scripts/kafka-local/kafka-local start`), and `gongfu ingest` of one CSV",
        "(60 records) with the credentials in `KAFKA_SASL_*`. The password appears in no output.",
        "",
        "| mechanism | password | outcome |",
        "|---|---|---|",
        ...rows,
      ].join("\n"),
    );
  });

  const ingest = async (mechanism: string, password: string, prefix: string) => {
    const data = join(root, prefix);
    const feeds = join(root, "feeds");
    mkdirSync(feeds, { recursive: true });
    copyFileSync(join(REPO, "feeds", "stats-bureau-income.yaml"), join(feeds, "stats-bureau-income.yaml"));
    mkdirSync(join(data, "inbox", "stats-bureau"), { recursive: true });
    copyFileSync(
      join(REPO, "samples/feeds/stats-bureau/zj-income-2020-2024.csv"),
      join(data, "inbox", "stats-bureau", "income.csv"),
    );
    return runCli(
      ["ingest", "--kafka", brokers, "--topic-prefix", prefix, "--data", data, "--feeds", feeds, "--no-metrics"],
      {
        env: {
          KAFKA_SASL_MECHANISM: mechanism,
          KAFKA_SASL_USERNAME: "alice",
          KAFKA_SASL_PASSWORD: password,
          GONGFU_LOG_LEVEL: "info",
        },
      },
    );
  };

  it("produces with SCRAM-SHA-256 and SCRAM-SHA-512", async () => {
    for (const mechanism of ["scram-sha-256", "scram-sha-512"]) {
      const r = await ingest(mechanism, PASSWORD, `sasl-${mechanism.slice(-3)}`);
      expect(r.code, r.stderr).toBe(0);
      expect(r.stdout).toContain('"records":60');
      expect(`${r.stdout}${r.stderr}`).not.toContain(PASSWORD);
      rows.push(`| ${mechanism} | right | exit 0, 60 records produced |`);
    }
  });

  it("says in one line that the broker refused the login, without kafkajs's raw message or the password", async () => {
    const r = await ingest("scram-sha-256", "wrong-password", "sasl-wrong");
    expect(r.code).toBe(1);
    const lines = r.stderr.split("\n").filter((l) => l.startsWith("gongfu:"));
    expect(lines).toEqual([
      expect.stringMatching(
        new RegExp(
          /^gongfu: Kafka( at 127\.0\.0\.1:\d+)? refused the SASL login \(SCRAM-SHA-256\): wrong user name or password, /
            .source + /or a mechanism the broker does not take — check KAFKA_SASL_MECHANISM/.source,
        ),
      ),
    ]);
    expect(lines[0]).not.toMatch(/SASL SCRAM SHA256 authentication failed/);
    expect(r.stderr).not.toContain("wrong-password");
    rows.push(`| scram-sha-256 | wrong | exit 1: \`${lines[0]!.replace(/127\.0\.0\.1:\d+/, "127.0.0.1:<port>")}\` |`);
  });
});
