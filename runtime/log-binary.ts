/** How deep a logged object is searched for binary values: as deep as the redaction paths reach, and one more. */
const MAX_DEPTH = 5;

/**
 * A logged object with every Buffer and typed array (a Kafka message's value or headers, a key) replaced by its
 * length. Binary payloads have no place in a log line, and pino's redaction threw on them ("Method get
 * %TypedArray%.prototype.buffer called on incompatible receiver"): a debug line of kafkajs's carrying a response's
 * bytes crashed the consumer that logged it. Objects without binary values are returned as they are, uncopied.
 */
export function withoutBinary(obj: Record<string, unknown>): Record<string, unknown> {
  return hasBinary(obj, 0) ? (replaceBinary(obj, 0) as Record<string, unknown>) : obj;
}

function isBinary(value: unknown): value is ArrayBufferView | ArrayBuffer {
  return ArrayBuffer.isView(value) || value instanceof ArrayBuffer;
}

/** Only plain objects and arrays are searched: an Error or a Date is left to its serialiser. */
function isContainer(value: unknown): value is Record<string, unknown> | unknown[] {
  if (Array.isArray(value)) return true;
  if (typeof value !== "object" || value === null) return false;
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

function hasBinary(value: unknown, depth: number): boolean {
  if (isBinary(value)) return true;
  if (depth >= MAX_DEPTH || !isContainer(value)) return false;
  for (const v of Array.isArray(value) ? value : Object.values(value)) if (hasBinary(v, depth + 1)) return true;
  return false;
}

function replaceBinary(value: unknown, depth: number): unknown {
  if (isBinary(value)) return `[${value.byteLength} bytes]`;
  if (depth >= MAX_DEPTH || !isContainer(value)) return value;
  if (Array.isArray(value)) return value.map((v) => replaceBinary(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = replaceBinary(v, depth + 1);
  return out;
}
