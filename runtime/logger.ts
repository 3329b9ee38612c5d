import { pino, type Logger, type LoggerOptions } from "pino";

export type { Logger };

/** Paths pino blanks out wherever they appear in a log line: secrets never reach the logs. */
export const REDACTED_PATHS = [
  "password",
  "*.password",
  "sasl.password",
  "*.sasl.password",
  "token",
  "*.token",
  "authorization",
  "*.authorization",
  "headers.authorization",
  "*.headers.authorization",
  "connectionString",
  "*.connectionString",
];

export interface LoggerSettings {
  level?: string;
  /** Pretty output for people; JSON otherwise. Defaults to whether stderr is a TTY. */
  pretty?: boolean;
  destination?: NodeJS.WritableStream;
}

/** The one root logger of a process; stages take `logger.child({ stage })`. */
export function createLogger(settings: LoggerSettings = {}): Logger {
  const options: LoggerOptions = {
    level: settings.level ?? "info",
    base: { pid: process.pid },
    redact: { paths: REDACTED_PATHS, censor: "[redacted]" },
  };
  if (settings.destination) return pino(options, settings.destination as pino.DestinationStream);
  const pretty = settings.pretty ?? process.stderr.isTTY === true;
  if (pretty) {
    return pino({ ...options, transport: { target: "pino-pretty", options: { destination: 2, translateTime: "SYS:HH:MM:ss" } } });
  }
  return pino(options, pino.destination({ dest: 2, sync: true }));
}

/** A logger that writes nothing, for tests and library use. */
export function silentLogger(): Logger {
  return pino({ level: "silent" });
}
