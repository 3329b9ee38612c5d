/**
 * kafkajs 2.2.4 spends most of a producer's time in a few places. It encodes each record with a fresh zero-filled
 * 512-byte buffer per record and per header and a `Buffer.from([...])` per varint (about 30 µs a message with our
 * three headers); it groups a request's messages by partition with an array copy per message, which is quadratic in
 * the request size; it zero-fills every buffer it grows while nesting a request five encoders deep; and it checksums
 * a record batch a byte at a time. This module puts linear, single-allocation versions in their place; they write
 * the same bytes and the same groups (test/bus/kafkajs-fast-produce.test.ts compares them with kafkajs's own). Like
 * kafkajs-read-committed.ts it must be imported before kafkajs loads its producer.
 */
import { createRequire } from "node:module";
import { crc32c } from "./crc32c.ts";

const require = createRequire(import.meta.url);
const RECORD_MODULE = require.resolve("kafkajs/src/protocol/recordBatch/record/v0/index.js");
const RECORD_USER = require.resolve("kafkajs/src/protocol/requests/produce/v3/request.js");
const GROUP_MODULE = require.resolve("kafkajs/src/producer/groupMessagesPerPartition.js");
const GROUP_USER = require.resolve("kafkajs/src/producer/sendMessages.js");
const ENCODER_MODULE = require.resolve("kafkajs/src/protocol/encoder.js");
const CRC_MODULE = require.resolve("kafkajs/src/protocol/recordBatch/crc32C/index.js");
const CRC_USER = require.resolve("kafkajs/src/protocol/recordBatch/v0/index.js");

type Bytes = Buffer | string | null | undefined;
export interface RecordInput {
  offsetDelta?: number;
  timestampDelta?: number;
  key?: Bytes;
  value?: Bytes;
  headers?: Record<string, Bytes | Bytes[]>;
}
/** What kafkajs's record batch reads from an encoded record: an Encoder holding the bytes. */
export interface EncodedRecord {
  buf: Buffer;
  offset: number;
  readonly buffer: Buffer;
}
interface MessageLike {
  partition?: number | null;
  key?: Bytes;
}
type Partitioner = (args: { topic: string; partitionMetadata: unknown[]; message: MessageLike }) => number;
export interface GroupInput {
  topic: string;
  partitionMetadata: unknown[];
  messages: MessageLike[];
  partitioner: Partitioner;
}

interface GrowingEncoder {
  buf: Buffer;
  offset: number;
  ensureAvailable(length: number): void;
}
const Encoder = require(ENCODER_MODULE) as { prototype: GrowingEncoder; nextPowerOfTwo(n: number): number };
const originalEncodeRecord = require(RECORD_MODULE) as (record: RecordInput) => EncodedRecord;
const originalGroup = require(GROUP_MODULE) as (input: GroupInput) => Record<string, MessageLike[]>;
const originalCrc = require(CRC_MODULE) as (buffer: Buffer) => number;
/** kafkajs's own implementations, for the tests that compare. */
export const kafkajsOriginals = {
  encodeRecord: originalEncodeRecord,
  groupMessagesPerPartition: originalGroup,
  crc32c: originalCrc,
};

// Bytes past `offset` are never read (`buffer` is the slice up to it), so a grown buffer need not be zero-filled.
Encoder.prototype.ensureAvailable = function ensureAvailable(this: GrowingEncoder, length: number): void {
  if (this.offset + length <= this.buf.length) return;
  const grown = Buffer.allocUnsafe(Encoder.nextPowerOfTwo(this.offset + length));
  this.buf.copy(grown, 0, 0, this.offset);
  this.buf = grown;
};

/** Below this a zigzag varlong has the same bytes as a zigzag varint, so 32-bit arithmetic is exact. */
const SMALL = 1 << 29;
const isSmallInt = (v: unknown): v is number => typeof v === "number" && Number.isInteger(v) && v > -SMALL && v < SMALL;
const isBytes = (v: unknown): v is Bytes =>
  v === null || v === undefined || typeof v === "string" || Buffer.isBuffer(v);
const zigzag = (v: number) => (v << 1) ^ (v >> 31);

function varintSize(v: number): number {
  let u = zigzag(v) >>> 0;
  let n = 1;
  while (u >= 0x80) {
    u >>>= 7;
    n++;
  }
  return n;
}

function writeVarint(buf: Buffer, at: number, v: number): number {
  let u = zigzag(v) >>> 0;
  while (u >= 0x80) {
    buf[at++] = (u & 0x7f) | 0x80;
    u >>>= 7;
  }
  buf[at++] = u;
  return at;
}

const lengthOf = (b: Bytes): number =>
  b === null || b === undefined ? -1 : typeof b === "string" ? Buffer.byteLength(b, "utf8") : b.length;
const sizeOfBytes = (len: number): number => varintSize(len) + Math.max(len, 0);

function writeBytes(buf: Buffer, at: number, b: Bytes, len: number): number {
  at = writeVarint(buf, at, len);
  if (len <= 0 || b === null || b === undefined) return at;
  return at + (typeof b === "string" ? buf.write(b, at, len, "utf8") : b.copy(buf, at));
}

/** One record (Kafka record format v2), in one buffer of its exact size; anything unusual goes to kafkajs's encoder. */
export function encodeRecord(record: RecordInput): EncodedRecord {
  const { offsetDelta = 0, timestampDelta = 0, key, value, headers = {} } = record;
  if (!isSmallInt(offsetDelta) || !isSmallInt(timestampDelta) || !isBytes(key) || !isBytes(value))
    return originalEncodeRecord(record);
  const pairs: Array<[string, Bytes]> = [];
  for (const name of Object.keys(headers)) {
    const v = headers[name];
    for (const one of Array.isArray(v) ? v : [v]) {
      // kafkajs cannot encode a header without a value either: its own encoder raises the error.
      if (one === null || one === undefined || !isBytes(one)) return originalEncodeRecord(record);
      pairs.push([name, one]);
    }
  }
  const keyLength = lengthOf(key);
  const valueLength = lengthOf(value);
  const headerLengths: number[] = [];
  let body =
    1 +
    varintSize(timestampDelta) +
    varintSize(offsetDelta) +
    sizeOfBytes(keyLength) +
    sizeOfBytes(valueLength) +
    varintSize(pairs.length);
  for (const [name, v] of pairs) {
    const nameLength = Buffer.byteLength(name, "utf8");
    const vLength = lengthOf(v);
    headerLengths.push(nameLength, vLength);
    body += sizeOfBytes(nameLength) + sizeOfBytes(vLength);
  }
  const total = varintSize(body) + body;
  const buf = Buffer.allocUnsafe(total);
  let at = writeVarint(buf, 0, body);
  buf[at++] = 0;
  at = writeVarint(buf, at, timestampDelta);
  at = writeVarint(buf, at, offsetDelta);
  at = writeBytes(buf, at, key, keyLength);
  at = writeBytes(buf, at, value, valueLength);
  at = writeVarint(buf, at, pairs.length);
  pairs.forEach(([name, v], i) => {
    at = writeBytes(buf, at, name, headerLengths[2 * i]!);
    at = writeBytes(buf, at, v, headerLengths[2 * i + 1]!);
  });
  const encoded = Object.create(Encoder.prototype) as EncodedRecord;
  encoded.buf = buf;
  encoded.offset = at;
  return encoded;
}

/** A request's messages by partition, in order, in linear time. */
export function groupMessagesPerPartition({
  topic,
  partitionMetadata,
  messages,
  partitioner,
}: GroupInput): Record<string, MessageLike[]> {
  const groups: Record<string, MessageLike[]> = {};
  if (partitionMetadata.length === 0) return groups;
  for (const message of messages) {
    const partition = partitioner({ topic, partitionMetadata, message });
    (groups[partition] ??= []).push(message);
  }
  return groups;
}

function install(module: string, user: string, replacement: unknown): boolean {
  if (require.cache[user] !== undefined) return false;
  require.cache[module]!.exports = replacement;
  return true;
}

const installed = [
  install(RECORD_MODULE, RECORD_USER, encodeRecord),
  install(GROUP_MODULE, GROUP_USER, groupMessagesPerPartition),
  install(CRC_MODULE, CRC_USER, crc32c),
].every(Boolean);

/** Whether the fast paths are in force (false when kafkajs's producer was loaded before this module). */
export function fastProduceInstalled(): boolean {
  return installed;
}
