import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { parse } from "yaml";
import { REPO } from "../helpers/cli.ts";

interface Service {
  image?: string;
  build?: unknown;
  command?: string[];
  environment?: Record<string, string>;
  volumes?: string[];
  healthcheck?: { test: string[] };
  depends_on?: Record<string, { condition: string }>;
}
const compose = parse(readFileSync(join(REPO, "docker-compose.yml"), "utf8"), { merge: true }) as {
  services: Record<string, Service>;
  volumes: Record<string, unknown>;
};
const dockerfile = readFileSync(join(REPO, "Dockerfile"), "utf8");

/** The compose client, if this machine has one (it validates without an engine). */
function composeClient(): string[] | undefined {
  for (const cmd of [["docker", "compose"], ["docker-compose"]]) {
    try {
      execFileSync(cmd[0]!, [...cmd.slice(1), "version"], { stdio: "ignore" });
      return cmd;
    } catch {
      // not installed here
    }
  }
  return undefined;
}

describe("the Docker stack", () => {
  it("runs Kafka in KRaft mode, a Kafka web UI, and ingest, transform and load from one image", () => {
    const s = compose.services;
    expect(s["kafka"]!.image).toMatch(/^apache\/kafka:\d/);
    expect(s["kafka"]!.environment!["KAFKA_PROCESS_ROLES"]).toBe("broker,controller");
    expect(s["kafka-ui"]!.image).toMatch(/kafka-ui/);
    expect(s["kafka-ui"]!.environment!["KAFKA_CLUSTERS_0_BOOTSTRAPSERVERS"]).toBe("kafka:9092");
    const stages = { ingest: ["ingest", "--watch"], transform: ["transform"], load: ["load"] };
    for (const [name, command] of Object.entries(stages)) {
      const svc = s[name]!;
      expect(svc.build, name).toBe(".");
      expect(svc.image, name).toBe("gongfu:local");
      expect(svc.command, name).toEqual(command);
      expect(svc.environment!["KAFKA_BROKERS"], name).toBe("kafka:9092");
      expect(svc.depends_on!["kafka"], name).toEqual({ condition: "service_healthy" });
    }
    // Where a compose client is installed (it needs no engine), it must accept the file as well.
    const client = composeClient();
    if (client) {
      const out = execFileSync(
        client[0]!,
        [...client.slice(1), "-f", join(REPO, "docker-compose.yml"), "config", "--services"],
        { encoding: "utf8" },
      );
      expect(out.trim().split("\n").sort()).toEqual(["ingest", "kafka", "kafka-ui", "load", "transform"]);
    }
  });

  it("health-checks every service, the stages on /readyz", () => {
    for (const [name, svc] of Object.entries(compose.services))
      expect(svc.healthcheck?.test.length, name).toBeGreaterThan(0);
    for (const name of ["ingest", "transform", "load"])
      expect(compose.services[name]!.healthcheck!.test.join(" ")).toContain("/readyz");
  });

  it("keeps the drop folder and the warehouse on volumes", () => {
    expect(compose.services["ingest"]!.volumes).toContain("inbox:/data/inbox");
    expect(compose.services["load"]!.volumes).toContain("warehouse:/data/warehouse");
    expect(compose.services["load"]!.environment!["GONGFU_WAREHOUSE"]).toBe("/data/warehouse/gongfu.duckdb");
    expect(Object.keys(compose.volumes)).toEqual(expect.arrayContaining(["inbox", "warehouse", "state", "kafka-data"]));
  });

  it("builds in stages on Node 24 and runs as a non-root user", () => {
    const froms = [...dockerfile.matchAll(/^FROM (\S+)(?: AS (\S+))?/gm)];
    expect(froms.length).toBeGreaterThanOrEqual(2);
    for (const f of froms) expect(f[1]).toMatch(/^node:24/);
    expect(dockerfile).toMatch(/COPY --from=deps/);
    const users = [...dockerfile.matchAll(/^USER (\S+)/gm)].map((m) => m[1]);
    expect(users.at(-1)).toBeDefined();
    expect(["root", "0"]).not.toContain(users.at(-1));
    // The last USER comes after the last RUN, so nothing at run time is root.
    expect(dockerfile.lastIndexOf("\nUSER ")).toBeGreaterThan(dockerfile.lastIndexOf("\nRUN "));
    expect(dockerfile).toMatch(/^ENTRYPOINT \["node", "cli\/gongfu\.ts"\]$/m);
    expect(dockerfile).toMatch(/^HEALTHCHECK /m);
    // Everything the image copies exists in the repository.
    for (const m of dockerfile.matchAll(/^COPY (?!--from)(?:--\S+ )*(.+) \S+$/gm))
      for (const src of m[1]!.split(" "))
        expect(() => readFileSync(join(REPO, src === "." ? "package.json" : src))).not.toThrow(/ENOENT/);
  });
});
