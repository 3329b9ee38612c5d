import { pino, type Logger, type LoggerOptions } from "pino";
import { withoutBinary } from "./log-binary.ts";

export type { Logger };

/**
 * The stable fields of a gongfu log line, beside pino's level, time, pid and msg. Dashboards and alerts may
 * rely on these names; other fields may change.
 */
export const LOG_FIELDS = ["stage", "feed", "file", "line", "topic", "partition", "offset", "runId"] as const;
export type LogField = (typeof LOG_FIELDS)[number];
export type LogFields = Partial<Record<LogField, string | number>>;

/** Keys whose values are secrets wherever they sit (top level and up to three levels down). */
const SECRET_KEYS = [
  "password",
  "passwd",
  "token",
  "accessToken",
  "refreshToken",
  "apiKey",
  "secret",
  "authorization",
  "Authorization",
  "cookie",
  "connectionString",
  "saslPassword",
];

/** Paths pino blanks out wherever they appear in a log line: secrets never reach the logs. */
export const REDACTED_PATHS: readonly string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`, `*.*.*.${k}`]);

export const REDACTED = "[redacted]";

export interface LoggerSettings {
  level?: string;
  /** Pretty output for people; JSON otherwise. Defaults to whether stderr is a TTY. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
  /** More paths to redact (configuration `logRedact`), in pino's path syntax. */
  redact?: readonly string[];
}

/** user:password@ in a URL or connection string. */
const URL_CREDENTIALS = /([a-z][a-z0-9+.-]*:\/\/)[^\s/@:]+:[^\s/@]+@/gi;

/** A connection string with credentials in it becomes `scheme://[redacted]@host`; other strings pass unchanged. */
export function redactUrlCredentials(text: string): string {
  return text.replace(URL_CREDENTIALS, `$1${REDACTED}@`);
}

/** The one root logger of a process; stages take `logger.child({ stage })`. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? "info",
    base: { pid: process.pid },
    redact: { paths: [...REDACTED_PATHS, ...(settings.redact ?? [])], censor: REDACTED },
    // Before redaction, which throws on a Buffer: bytes are logged as their length.
    formatters: { log: withoutBinary },
    // Connection strings hide in error messages (a driver quoting its URL): scrub the serialised error text.
    serializers: { err: (err: unknown) => scrubError(pino.stdSerializers.err(err as Error)) },
  };
  if (settings.destination) return pino(options, settings.destination as pino.DestinationStream);
  const pretty = settings.pretty ?? process.stderr.isTTY === true;
  if (pretty) {
    return pino({
      ...options,
      transport: { target: "pino-pretty", options: { destination: 2, translateTime: "SYS:HH:MM:ss", ignore: "pid" } },
    });
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}

function scrubError<T extends { message?: unknown; stack?: unknown }>(serialised: T): T {
  if (typeof serialised.message === "string") serialised.message = redactUrlCredentials(serialised.message);
  if (typeof serialised.stack === "string") serialised.stack = redactUrlCredentials(serialised.stack);
  return serialised;
}

/** A child logger carrying some of the stable fields (`stage`, `feed`, `runId`, ...). */
export function withFields(logger: Logger, fields: LogFields): Logger {
  return logger.child(fields);
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
