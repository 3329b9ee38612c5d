import { createServer, type ServerResponse } from "node:http";
import type { HttpStep } from "./case.ts";

export interface CaseServer {
  /** Serves a case's steps at its own path; returns the URL a spec should poll. */
  serve(id: string, steps: HttpStep[]): string;
  close(): Promise<void>;
}

/** One local node:http server for every HTTP case: slow, partial, reset, 429/5xx or plain answers, in order per case. */
export async function startCaseServer(): Promise<CaseServer> {
  const scripts = new Map<string, { steps: HttpStep[]; n: number }>();
  const open = new Set<ServerResponse>();
  const server = createServer((req, res) => {
    const id = new URL(req.url ?? "/", "http://x").pathname.split("/")[2] ?? "";
    const script = scripts.get(id);
    if (!script) return void res.writeHead(404).end();
    const step = script.steps[Math.min(script.n++, script.steps.length - 1)]!;
    if (step === "reset") return void req.socket.destroy();
    if ("partial" in step) {
      // Promise more than is sent, then hang up: the client sees a body cut short.
      res.writeHead(200, {
        "content-type": "application/json",
        "content-length": String(Buffer.byteLength(step.partial) * 2),
      });
      res.write(step.partial);
      return void setTimeout(() => req.socket.destroy(), 10);
    }
    const answer = () => {
      open.delete(res);
      if (res.destroyed) return;
      res.writeHead(step.status, { "content-type": "application/json", ...step.headers });
      res.end(step.body);
    };
    open.add(res);
    if (step.delayMs) setTimeout(answer, step.delayMs).unref();
    else answer();
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const address = server.address();
  const port = typeof address === "object" && address ? address.port : 0;
  return {
    serve(id, steps) {
      scripts.set(id, { steps, n: 0 });
      return `http://127.0.0.1:${port}/case/${id}/data`;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
