import type { Bus } from "../bus/index.ts";
import type { TopicNames } from "../schemas/index.ts";
import type { Logger } from "../runtime/logger.ts";

/** What producing a source needs: where to publish, the clock, the log. */
export interface ProduceDeps {
  bus: Bus;
  topics: TopicNames;
  now: () => Date;
  logger: Logger;
}

/** What producing one source did. */
export interface SourceOutcome {
  records: number;
  /** Rows dead-lettered. */
  rejected: number;
  /** Dead letters published: the rejected rows, plus one when the whole source was refused. */
  deadLetters: number;
  /** Set when nothing of the source could be read at all. */
  fatal?: string;
}
