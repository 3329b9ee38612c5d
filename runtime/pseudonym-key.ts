import { readFileSync } from "node:fs";
import { ConfigError } from "./errors.ts";

/** The environment variables that give the pseudonymisation key: the key itself, or a file holding it (a mounted secret). */
export const PSEUDONYM_KEY_ENV = "GONGFU_PSEUDONYM_KEY";
export const PSEUDONYM_KEY_FILE_ENV = "GONGFU_PSEUDONYM_KEY_FILE";

/** Shorter keys are refused: a short key can be found by trying, and then every pseudonym can be reversed. */
const MIN_KEY_BYTES = 16;

/**
 * The key of the keyed hash that pseudonymises personal identifiers at ingest. It is read from the environment (or
 * the file it names) once, by the caller, and handed to ingest as bytes; it is never stored, logged or shown.
 */
export function readPseudonymKey(env: Readonly<Record<string, string | undefined>>, feeds: readonly string[]): Buffer {
  const direct = env[PSEUDONYM_KEY_ENV];
  const file = env[PSEUDONYM_KEY_FILE_ENV];
  let key: Buffer;
  if (direct !== undefined && direct !== "") key = Buffer.from(direct, "utf8");
  else if (file !== undefined && file !== "") {
    try {
      key = Buffer.from(readFileSync(file, "utf8").trim(), "utf8");
    } catch (cause) {
      throw new ConfigError(`cannot read the pseudonymisation key file named by ${PSEUDONYM_KEY_FILE_ENV}`, {
        cause,
        hint: "point it at a readable file holding the key (a mounted secret)",
      });
    }
  } else
    throw new ConfigError(
      `record feed ${feeds.join(", ")} has personal identifiers to pseudonymise, ` +
        `and neither ${PSEUDONYM_KEY_ENV} nor ${PSEUDONYM_KEY_FILE_ENV} is set`,
      {
        hint:
          `set ${PSEUDONYM_KEY_ENV} (at least ${MIN_KEY_BYTES} bytes, e.g. from \`openssl rand -hex 32\`) ` +
          `or ${PSEUDONYM_KEY_FILE_ENV}; keep the same key for as long as pseudonyms must match across loads`,
      },
    );
  if (key.length < MIN_KEY_BYTES)
    throw new ConfigError(`the pseudonymisation key is shorter than ${MIN_KEY_BYTES} bytes`, {
      hint: "use a longer random key, e.g. from `openssl rand -hex 32`",
    });
  return key;
}
