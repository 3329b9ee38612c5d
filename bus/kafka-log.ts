import { logLevel, type LogEntry } from "./kafkajs.ts";
import type { Logger } from "../runtime/logger.ts";

/**
 * Routes kafkajs's own logs into pino, under `component: kafkajs`. kafkajs logs every failed request at ERROR,
 * including the ones it then retries (a coordinator still loading on a fresh broker, a leader moving); a failure
 * that survives the retries reaches our code as an exception and is logged there. So its ERROR becomes warn.
 */
export function kafkajsLogCreator(logger: Logger) {
  const log = logger.child({ component: "kafkajs" });
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, timestamp: _t, logger: _l, ...fields } = entry;
      if (level === logLevel.ERROR || level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}
