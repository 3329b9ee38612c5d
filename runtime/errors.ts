/** Errors that carry context and say whether retrying can help (kafkajs's `retriable`, in three classes). */
export class PipelineError extends Error {
  readonly retriable: boolean = true;
  /** What the reader can do about it, one short phrase ("start a broker or set KAFKA_BROKERS"). */
  readonly hint: string | undefined;
  constructor(message: string, options?: { cause?: unknown; hint?: string }) {
    super(message, options?.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.hint = options?.hint;
  }
}

/** Bad configuration, feed spec or command-line input: fix the input, do not retry. */
export class ConfigError extends PipelineError {
  override readonly retriable: boolean = false;
}

/** Bad data in a feed: becomes a dead letter, never stops the pipeline. */
export class DataError extends PipelineError {
  override readonly retriable: boolean = false;
}

/** The message of an unknown thrown value, for logs and dead letters. */
export function errorMessage(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
