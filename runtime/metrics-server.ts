import { createServer, type IncomingMessage, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { ConfigError, errorMessage } from "./errors.ts";
import type { Metrics } from "./metrics.ts";

/** A dependency the process needs to do its work (the broker, the warehouse); `check` throws while it is unusable. */
export interface ReadinessCheck {
  name: string;
  check(): Promise<void>;
}

export interface MetricsServer {
  readonly port: number;
  readonly url: string;
  /** Stages add their checks once their dependencies are open. */
  addCheck(check: ReadinessCheck): void;
  close(): Promise<void>;
}

export interface MetricsServerOptions {
  metrics: Metrics;
  /** 0 picks a free port. */
  port: number;
  host?: string;
  checks?: ReadinessCheck[];
  /** A check slower than this counts as failed. */
  checkTimeoutMs?: number;
}

interface CheckResult {
  name: string;
  ok: boolean;
  error?: string;
}

/** Serves `/metrics` (Prometheus text), `/healthz` (alive) and `/readyz` (503 while a check fails). */
export async function startMetricsServer(options: MetricsServerOptions): Promise<MetricsServer> {
  const checks = [...(options.checks ?? [])];
  const timeoutMs = options.checkTimeoutMs ?? 5000;
  const host = options.host ?? "0.0.0.0";

  async function runChecks(): Promise<CheckResult[]> {
    return Promise.all(
      checks.map(async (c): Promise<CheckResult> => {
        let timer: NodeJS.Timeout | undefined;
        const timeout = new Promise<never>(
          (_, reject) => (timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs)),
        );
        try {
          await Promise.race([c.check(), timeout]);
          return { name: c.name, ok: true };
        } catch (err) {
          return { name: c.name, ok: false, error: errorMessage(err) };
        } finally {
          clearTimeout(timer);
        }
      }),
    );
  }

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const path = (req.url ?? "/").split("?")[0];
    if (req.method !== "GET" && req.method !== "HEAD") return send(res, 405, "text/plain", "method not allowed\n");
    if (path === "/metrics")
      return send(res, 200, options.metrics.registry.contentType, await options.metrics.registry.metrics());
    if (path === "/healthz") return send(res, 200, "application/json", `${JSON.stringify({ status: "alive" })}\n`);
    if (path === "/readyz") {
      const results = await runChecks();
      const ready = results.every((r) => r.ok);
      return send(res, ready ? 200 : 503, "application/json", `${JSON.stringify({ ready, checks: results })}\n`);
    }
    return send(res, 404, "text/plain", "not found: try /metrics, /healthz or /readyz\n");
  }

  const server = createServer((req, res) => {
    handle(req, res).catch((err: unknown) => send(res, 500, "text/plain", `${errorMessage(err)}\n`));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", (err: NodeJS.ErrnoException) => {
      reject(
        err.code === "EADDRINUSE"
          ? new ConfigError(`metrics port ${options.port} on ${host} is already in use (another gongfu stage?)`, {
              cause: err,
              hint: "pass --metrics-port <another port>, or --no-metrics",
            })
          : err,
      );
    });
    server.listen(options.port, host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://${host === "0.0.0.0" || host === "::" ? "127.0.0.1" : host}:${port}`,
    addCheck: (check) => void checks.push(check),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function send(res: ServerResponse, status: number, contentType: string, body: string): void {
  res.writeHead(status, { "content-type": contentType, "cache-control": "no-store" });
  res.end(body);
}
