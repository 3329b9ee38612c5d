/** CRC-32C (Castagnoli), the checksum of a Kafka record batch, eight bytes a step (about twice kafkajs's byte-wise loop). */
const TABLES = new Int32Array(8 * 256);
for (let n = 0; n < 256; n++) {
  let c = n;
  for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0x82f63b78 : c >>> 1;
  TABLES[n] = c;
}
for (let n = 0; n < 256; n++)
  for (let t = 1; t < 8; t++)
    TABLES[t * 256 + n] = (TABLES[(t - 1) * 256 + n]! >>> 8) ^ TABLES[TABLES[(t - 1) * 256 + n]! & 0xff]!;

export function crc32c(buf: Uint8Array): number {
  const T = TABLES;
  let crc = -1;
  let i = 0;
  const whole = buf.length - (buf.length & 7);
  for (; i < whole; i += 8) {
    const a = crc ^ (buf[i]! | (buf[i + 1]! << 8) | (buf[i + 2]! << 16) | (buf[i + 3]! << 24));
    crc =
      T[1792 + (a & 0xff)]! ^
      T[1536 + ((a >>> 8) & 0xff)]! ^
      T[1280 + ((a >>> 16) & 0xff)]! ^
      T[1024 + (a >>> 24)]! ^
      T[768 + buf[i + 4]!]! ^
      T[512 + buf[i + 5]!]! ^
      T[256 + buf[i + 6]!]! ^
      T[buf[i + 7]!]!;
  }
  for (; i < buf.length; i++) crc = T[(crc ^ buf[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ -1) >>> 0;
}
