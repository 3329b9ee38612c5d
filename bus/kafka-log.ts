import { logLevel, type LogEntry } from "kafkajs";
import type { Logger } from "../runtime/logger.ts";

/** Routes kafkajs's own logs into pino, under `component: kafkajs`, at the matching level. */
export function kafkajsLogCreator(logger: Logger) {
  const log = logger.child({ component: "kafkajs" });
  return () =>
    ({ level, log: entry }: LogEntry) => {
      const { message, timestamp: _t, logger: _l, ...fields } = entry;
      if (level === logLevel.ERROR) log.error(fields, message);
      else if (level === logLevel.WARN) log.warn(fields, message);
      else if (level === logLevel.INFO) log.info(fields, message);
      else log.debug(fields, message);
    };
}
