/**
 * kafkajs 2.2.4 decodes every fetched record with 64-bit Long emulation (its offset and timestamp, each turned into a
 * decimal string) and builds its headers object with one object spread per header: about 10 µs a record. This
 * module puts a decoder in its place that reads the same fields with plain numbers and gives the same object
 * (test/bus/kafkajs-fast-fetch.test.ts compares it with kafkajs's own); anything outside safe integers goes to
 * kafkajs's decoder. Like kafkajs-read-committed.ts it must be imported before kafkajs loads its fetch decoders.
 */
import { createRequire } from "node:module";

const require = createRequire(import.meta.url);
const DECODER_MODULE = require.resolve("kafkajs/src/protocol/recordBatch/record/v0/decoder.js");
const DECODER_USER = require.resolve("kafkajs/src/protocol/recordBatch/v0/decoder.js");
const LOG_APPEND_TIME = (require("kafkajs/src/protocol/timestampTypes.js") as { LOG_APPEND_TIME: number })
  .LOG_APPEND_TIME;

/** What kafkajs hands the record decoder: the record's bytes and a read position. */
export interface RecordReader {
  buffer: Buffer;
  offset: number;
}
export interface RecordContext {
  firstOffset?: string;
  firstTimestamp?: string;
  magicByte?: number;
  isControlBatch?: boolean;
  timestampType?: number;
  maxTimestamp?: string;
}
type HeaderValue = Buffer | null;
export interface DecodedRecord {
  magicByte: number | undefined;
  attributes: number;
  timestamp: string;
  offset: string;
  key: Buffer | null;
  value: Buffer | null;
  headers: Record<string, HeaderValue | HeaderValue[]>;
  isControlRecord: boolean;
  batchContext: RecordContext;
}

const originalDecodeRecord = require(DECODER_MODULE) as (
  decoder: RecordReader,
  context?: RecordContext,
) => DecodedRecord;
/** kafkajs's own decoder, for the tests that compare. */
export const kafkajsOriginalDecodeRecord = originalDecodeRecord;

/** Thrown inside the fast path when a value needs kafkajs's 64-bit handling; the record is decoded again by kafkajs. */
const UNUSUAL = Symbol("unusual record");

function readVarint(buf: Buffer, state: { at: number }, maxBytes: number): number {
  let u = 0;
  let scale = 1;
  for (let i = 0; i < maxBytes; i++) {
    const b = buf[state.at++];
    if (b === undefined) throw UNUSUAL;
    u += (b & 0x7f) * scale;
    if (b < 0x80) return u % 2 === 0 ? u / 2 : -(u + 1) / 2;
    scale *= 128;
  }
  throw UNUSUAL;
}

function readBytes(buf: Buffer, state: { at: number }): Buffer | null {
  const length = readVarint(buf, state, 4);
  if (length === -1) return null;
  if (length < 0 || state.at + length > buf.length) throw UNUSUAL;
  const bytes = buf.subarray(state.at, state.at + length);
  state.at += length;
  return bytes;
}

function decodeFast(reader: RecordReader, context: RecordContext): DecodedRecord {
  const { firstOffset, firstTimestamp, magicByte, isControlBatch = false, timestampType, maxTimestamp } = context;
  const first = Number(firstOffset);
  const firstTs = Number(firstTimestamp);
  if (!Number.isSafeInteger(first) || !Number.isSafeInteger(firstTs)) throw UNUSUAL;
  const buf = reader.buffer;
  const state = { at: reader.offset };
  const attributes = buf.readInt8(state.at++);
  // Seven bytes of varlong are 49 bits: exact in a double.
  const timestampDelta = readVarint(buf, state, 7);
  const offsetDelta = readVarint(buf, state, 4);
  const timestamp = timestampType === LOG_APPEND_TIME && maxTimestamp ? maxTimestamp : firstTs + timestampDelta;
  const offset = first + offsetDelta;
  if (typeof timestamp === "number" && !Number.isSafeInteger(timestamp)) throw UNUSUAL;
  if (!Number.isSafeInteger(offset)) throw UNUSUAL;
  const key = readBytes(buf, state);
  const value = readBytes(buf, state);
  const count = readVarint(buf, state, 4);
  if (count < -1) throw UNUSUAL;
  const headers: Record<string, HeaderValue | HeaderValue[]> = {};
  for (let i = 0; i < count; i++) {
    const name = readBytes(buf, state);
    const headerValue = readBytes(buf, state);
    const k = name === null ? "null" : name.toString("utf8");
    // kafkajs's spread makes "__proto__" an own property, which an assignment cannot.
    if (k === "__proto__") throw UNUSUAL;
    const current = headers[k];
    headers[k] =
      current === undefined
        ? headerValue
        : Array.isArray(current)
          ? current.concat([headerValue])
          : [current as HeaderValue, headerValue];
  }
  reader.offset = state.at;
  return {
    magicByte,
    attributes,
    timestamp: String(timestamp),
    offset: String(offset),
    key,
    value,
    headers,
    isControlRecord: isControlBatch,
    batchContext: context,
  };
}

/** One fetched record, as kafkajs's record decoder returns it. */
export function decodeRecord(reader: RecordReader, context: RecordContext = {}): DecodedRecord {
  const start = reader.offset;
  try {
    return decodeFast(reader, context);
  } catch (err) {
    if (err !== UNUSUAL) throw err;
    reader.offset = start;
    return originalDecodeRecord(reader, context);
  }
}

function install(): boolean {
  if (require.cache[DECODER_USER] !== undefined) return false;
  require.cache[DECODER_MODULE]!.exports = decodeRecord;
  return true;
}

const installed = install();

/** Whether the fast decoder is in force (false when kafkajs's fetch decoders were loaded before this module). */
export function fastFetchInstalled(): boolean {
  return installed;
}
