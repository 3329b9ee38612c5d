import { Writable } from "node:stream";
import { describe, expect, it } from "vitest";
import { createLogger, redactUrlCredentials, withFields, LOG_FIELDS, REDACTED } from "../../runtime/logger.ts";

/** A logger writing JSON lines into an array. */
function capture(redact: string[] = []) {
  const lines: Record<string, unknown>[] = [];
  const raw: string[] = [];
  const destination = new Writable({
    write(chunk: Buffer, _enc, done) {
      raw.push(chunk.toString());
      lines.push(JSON.parse(chunk.toString()) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ level: "debug", destination, redact }), lines, raw };
}

describe("logger", () => {
  // pino's redaction threw on a Buffer one or two levels down; a kafkajs debug line with a response's bytes then
  // crashed the consumer that logged it.
  it("logs bytes as their length, at any depth, and still redacts beside them", () => {
    const { logger, lines } = capture();
    const payload = Buffer.from("personal value 330102199001011234");
    expect(() =>
      logger.debug(
        {
          value: payload,
          response: { memberAssignment: payload, nested: { bytes: new Uint8Array(7), password: "p-1" } },
          list: [payload],
        },
        "Response SyncGroup",
      ),
    ).not.toThrow();
    const line = JSON.stringify(lines[0]);
    expect(line).not.toContain("330102199001011234");
    expect(line).not.toContain("p-1");
    expect(lines[0]).toMatchObject({
      value: `[${payload.length} bytes]`,
      response: { memberAssignment: `[${payload.length} bytes]`, nested: { bytes: "[7 bytes]", password: REDACTED } },
      list: [`[${payload.length} bytes]`],
      msg: "Response SyncGroup",
    });
  });

  it("redacts SASL passwords, tokens, connection strings and Authorization headers wherever they sit", () => {
    const { logger, raw } = capture();
    logger.info(
      {
        password: "p-top",
        sasl: { mechanism: "plain", username: "u", password: "p-sasl" },
        settings: { kafka: { sasl: { password: "p-deep" } } },
        token: "t-top",
        http: { headers: { Authorization: "Bearer t-header", authorization: "Basic t-lower" } },
        db: { connectionString: "postgres://user:pw@db/gongfu" },
        apiKey: "k-1",
      },
      "connecting",
    );
    const line = raw.join("");
    for (const secret of ["p-top", "p-sasl", "p-deep", "t-top", "t-header", "t-lower", "user:pw", "k-1"])
      expect(line).not.toContain(secret);
    const parsed = JSON.parse(line) as {
      sasl: { password: string; username: string };
      http: { headers: { Authorization: string } };
      msg: string;
    };
    expect(parsed.sasl.password).toBe(REDACTED);
    expect(parsed.sasl.username).toBe("u");
    expect(parsed.http.headers.Authorization).toBe(REDACTED);
    expect(parsed.msg).toBe("connecting");
  });

  it("scrubs credentials out of error messages and stacks", () => {
    const { logger, lines } = capture();
    logger.error({ err: new Error("cannot connect to postgres://admin:hunter2@db:5432/x") }, "connection failed");
    const err = lines[0]!["err"] as { message: string; stack: string };
    expect(err.message).toBe(`cannot connect to postgres://${REDACTED}@db:5432/x`);
    expect(err.stack).not.toContain("hunter2");
  });

  it("redacts the extra paths the configuration names", () => {
    const { logger, lines } = capture(["feedAuth.cookieJar"]);
    logger.info({ feedAuth: { cookieJar: "session=abc" } }, "polled");
    expect((lines[0]!["feedAuth"] as { cookieJar: string }).cookieJar).toBe(REDACTED);
  });

  it("writes the stable fields at the top level of a JSON line", () => {
    const { logger, lines } = capture();
    withFields(logger, { stage: "transform", feed: "stats-bureau-income", runId: "r1" }).warn(
      { file: "a.csv", line: 12, topic: "gongfu.raw.x", partition: 0, offset: "42" },
      "record rejected",
    );
    const line = lines[0]!;
    for (const field of LOG_FIELDS) expect(line).toHaveProperty(field);
    expect(line).toMatchObject({
      level: 40,
      stage: "transform",
      feed: "stats-bureau-income",
      file: "a.csv",
      line: 12,
      msg: "record rejected",
    });
  });

  it("leaves strings without credentials alone", () => {
    expect(redactUrlCredentials("kafka://broker:9092 and https://example.org/a@b")).toBe(
      "kafka://broker:9092 and https://example.org/a@b",
    );
    expect(redactUrlCredentials("amqp://u:p@mq")).toBe(`amqp://${REDACTED}@mq`);
  });
});
