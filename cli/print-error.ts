import { FeedSpecError } from "../schemas/index.ts";
import { ConfigError, PipelineError, errorMessage } from "../runtime/errors.ts";
import { redactUrlCredentials } from "../runtime/logger.ts";
import { describeProcess } from "./lock-holder.ts";
import { escapeControls } from "../runtime/terminal-text.ts";

/** What went wrong, said for the person at the terminal: what, where, and what to do. */
export interface DescribedError {
  message: string;
  hint: string | undefined;
  /** A usage or configuration error (exit 2) rather than a failure (exit 1). */
  usage: boolean;
}

function causes(err: unknown): unknown[] {
  const chain: unknown[] = [];
  for (let e: unknown = err; e !== undefined && chain.length < 10; e = e instanceof Error ? e.cause : undefined)
    chain.push(e);
  return chain;
}

const firstLine = (s: string) => s.split("\n")[0] ?? s;

/** Errors that other libraries raise, translated into what they mean here. */
function known(err: unknown): DescribedError | undefined {
  for (const e of causes(err)) {
    if (!(e instanceof Error)) continue;
    const code = (e as NodeJS.ErrnoException).code;
    const lock = /Could not set lock on file "([^"]+)".*?(PID \d+)?\)?/s.exec(e.message);
    if (lock) {
      const pid = /PID (\d+)/.exec(e.message)?.[1];
      const holder = pid === undefined ? undefined : describeProcess(Number(pid));
      const gongfu = holder?.startsWith("gongfu") === true;
      return {
        message:
          `the warehouse ${lock[1]} is locked by ` +
          `${gongfu ? holder : `another process${holder ? ` (${holder})` : ""}`}${pid ? ` (pid ${pid})` : ""}`,
        hint: gongfu
          ? `DuckDB allows one writer, and no writer beside a reader: wait for that ${holder} ` +
            `to finish or stop it, or use another --data folder`
          : "DuckDB allows one writer: stop the other process or use another --data folder",
        usage: false,
      };
    }
    if (e.name === "KafkaJSSASLAuthenticationError" || /SASL .*authentication failed/i.test(e.message)) {
      const mechanism = /mechanism (\S+)/i.exec(e.message)?.[1] ?? /SASL (\S+(?: SHA\d+)?)/.exec(e.message)?.[1];
      const broker = (e as { broker?: string }).broker;
      return {
        message:
          `Kafka${broker ? ` at ${broker}` : ""} refused the SASL login${mechanism ? ` (${mechanism})` : ""}: ` +
          `wrong user name or password, or a mechanism the broker does not take`,
        hint:
          "check KAFKA_SASL_MECHANISM, KAFKA_SASL_USERNAME and KAFKA_SASL_PASSWORD (or " +
          "KAFKA_SASL_PASSWORD_FILE); gongfu config shows what is in effect",
        usage: false,
      };
    }
    if (
      e.name.startsWith("KafkaJS") &&
      /ECONNREFUSED|Connection error|Closed connection|ENOTFOUND|Connection timeout|retries exceeded|Failed to connect/i.test(
        `${e.message} ${errorMessage(e.cause ?? "")}`,
      )
    ) {
      const broker = (e as { broker?: string }).broker;
      return {
        message: `cannot reach Kafka${broker ? ` at ${broker}` : ""} (${firstLine(e.message)})`,
        hint: "start a broker (scripts/kafka-local/kafka-local start, or docker compose up -d kafka) and check --kafka / KAFKA_BROKERS",
        usage: false,
      };
    }
    if (code === "EADDRINUSE" && !(err instanceof PipelineError))
      return {
        message: `a port is already in use (${firstLine(e.message)})`,
        hint: "stop the other process or choose another port",
        usage: false,
      };
  }
  return undefined;
}

export function describeError(err: unknown): DescribedError {
  if (err instanceof FeedSpecError) {
    return {
      message: `feed spec problems:\n  ${err.problems.map((p) => `${p.file}:${p.line}: ${p.field}: ${p.message}`).join("\n  ")}`,
      hint: "fix the feed spec at the lines above (gongfu validate checks a file against its spec)",
      usage: true,
    };
  }
  const translated = err instanceof ConfigError ? undefined : known(err);
  if (translated) return translated;
  const usage = err instanceof ConfigError;
  const cause = err instanceof Error && err.cause !== undefined ? firstLine(errorMessage(err.cause)) : undefined;
  const message = errorMessage(err) + (cause && !usage && !errorMessage(err).includes(cause) ? `: ${cause}` : "");
  return { message, hint: err instanceof PipelineError ? err.hint : undefined, usage };
}

/** The text for stderr: one line (what: why — what to do), and the stack chain only when verbose. */
export function formatError(err: unknown, verbose: boolean): string {
  const d = describeError(err);
  const multiline = d.message.includes("\n");
  const message = escapeControls(redactUrlCredentials(d.message), { keepLayout: multiline });
  const hint = d.hint === undefined ? undefined : escapeControls(d.hint);
  let text = `gongfu: ${message}${hint ? (multiline ? `\n  → ${hint}` : ` — ${hint}`) : ""}\n`;
  if (verbose) for (const e of causes(err)) text += `${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`;
  return text;
}
