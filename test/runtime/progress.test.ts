import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createProgress, etaSeconds, formatProgress, rateOf } from "../../runtime/progress.ts";
import { createLogger } from "../../runtime/logger.ts";

function sink() {
  const chunks: string[] = [];
  const stream = new Writable({
    write(c: Buffer, _e, done) {
      chunks.push(c.toString());
      done();
    },
  });
  return { stream, chunks };
}

describe("progress", () => {
  it("computes rate and ETA from the work done so far", () => {
    const s = { label: "income.csv", unit: "rows", done: 1200, total: 6000, elapsedMs: 3000 };
    expect(rateOf(s)).toBe(400);
    expect(etaSeconds(s)).toBe(12);
    expect(formatProgress(s)).toBe("income.csv 1,200/6,000 rows 20.0% · 400 rows/s · ETA 0:12");
    expect(formatProgress({ ...s, total: undefined })).toBe("income.csv 1,200 rows · 400 rows/s");
    expect(etaSeconds({ ...s, done: 0 })).toBeUndefined();
  });

  it("redraws one line on a TTY at most every redraw interval and ends it with a newline", () => {
    let t = 0;
    const { stream, chunks } = sink();
    const p = createProgress({
      label: "replay",
      total: 100,
      unit: "records",
      stream,
      tty: true,
      redrawMs: 200,
      now: () => t,
    });
    t = 100;
    p.tick(10);
    expect(chunks).toHaveLength(0);
    t = 250;
    p.tick(10);
    expect(chunks).toHaveLength(1);
    expect(chunks[0]).toBe("\r\x1b[2Kreplay 20/100 records 20.0% · 80 records/s · ETA 0:01");
    t = 500;
    p.tick(80);
    p.done();
    expect(chunks.at(-1)).toMatch(/^\r\x1b\[2Kreplay 100\/100 records 100\.0% .*\n$/);
  });

  it("writes nothing to the stream without a TTY; logs at debug level every log interval instead", () => {
    let t = 0;
    const { stream, chunks } = sink();
    const logs = sink();
    const logger = createLogger({ level: "debug", destination: logs.stream });
    const p = createProgress({
      label: "backfill",
      total: 1000,
      stream,
      tty: false,
      logger,
      logEveryMs: 10_000,
      now: () => t,
    });
    for (let i = 1; i <= 10; i++) {
      t = i * 3000;
      p.tick(100);
    }
    p.done();
    expect(chunks).toHaveLength(0);
    const lines = logs.chunks.map((c) => JSON.parse(c) as { level: number; msg: string; done: number });
    expect(lines.map((l) => l.msg)).toEqual(["progress", "progress", "progress finished"]);
    expect(lines.every((l) => l.level === 20)).toBe(true);
    expect(lines.at(-1)!.done).toBe(1000);
  });
});
