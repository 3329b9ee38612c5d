import { createHash } from "node:crypto";

/**
 * HMAC-SHA-256 (RFC 2104, FIPS 180-4) of short texts, for pseudonymising millions of identifiers.
 *
 * Why not node:crypto: `createHmac(...).update(...).digest()` made three native calls and two objects per
 * identifier, ~2-3 µs each, a quarter of a household file's ingest. An identifier fits one or two 64-byte blocks, and
 * the key's two padded blocks are the same for every identifier, so their compressed states are computed once here:
 * each identifier then costs its own block(s) and one block for the outer hash, ~0.8 µs in plain integer arithmetic.
 * The result is the same as node:crypto's for every input (test/ingest/records/hmac-sha256.test.ts checks random
 * texts of every length around the block boundaries, and non-ASCII ones, against createHmac).
 */

const K = new Int32Array([
  0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98,
  0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786,
  0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8,
  0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
  0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819,
  0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a,
  0x5b9cca4f, 0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7,
  0xc67178f2,
]);
const INITIAL = new Int32Array([
  0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
]);
const BLOCK = 64;
const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, "0"));

/** One SHA-256 compression of the 64-byte block at `offset` into `state`; `w` is the message schedule's scratch. */
function compress(state: Int32Array, block: Uint8Array, offset: number, w: Int32Array): void {
  for (let i = 0; i < 16; i++) {
    const j = offset + i * 4;
    w[i] = (block[j]! << 24) | (block[j + 1]! << 16) | (block[j + 2]! << 8) | block[j + 3]!;
  }
  for (let i = 16; i < 64; i++) {
    const x = w[i - 15]!;
    const y = w[i - 2]!;
    const s0 = ((x >>> 7) | (x << 25)) ^ ((x >>> 18) | (x << 14)) ^ (x >>> 3);
    const s1 = ((y >>> 17) | (y << 15)) ^ ((y >>> 19) | (y << 13)) ^ (y >>> 10);
    w[i] = (w[i - 16]! + s0 + w[i - 7]! + s1) | 0;
  }
  let a = state[0]!;
  let b = state[1]!;
  let c = state[2]!;
  let d = state[3]!;
  let e = state[4]!;
  let f = state[5]!;
  let g = state[6]!;
  let h = state[7]!;
  for (let i = 0; i < 64; i++) {
    const s1 = ((e >>> 6) | (e << 26)) ^ ((e >>> 11) | (e << 21)) ^ ((e >>> 25) | (e << 7));
    const t1 = (h + s1 + ((e & f) ^ (~e & g)) + K[i]! + w[i]!) | 0;
    const s0 = ((a >>> 2) | (a << 30)) ^ ((a >>> 13) | (a << 19)) ^ ((a >>> 22) | (a << 10));
    const t2 = (s0 + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  state[0] = (state[0]! + a) | 0;
  state[1] = (state[1]! + b) | 0;
  state[2] = (state[2]! + c) | 0;
  state[3] = (state[3]! + d) | 0;
  state[4] = (state[4]! + e) | 0;
  state[5] = (state[5]! + f) | 0;
  state[6] = (state[6]! + g) | 0;
  state[7] = (state[7]! + h) | 0;
}

/**
 * Writes SHA-256's padding into `buffer` from `at` (where the message's bytes end) and returns where it ends.
 * `totalBytes` is the whole hashed length, counting the key block compressed before the buffer's bytes.
 */
function pad(buffer: Uint8Array, at: number, totalBytes: number): number {
  const end = Math.ceil((at + 9) / BLOCK) * BLOCK;
  buffer.fill(0, at, end);
  buffer[at] = 0x80;
  // The length in bits as a 64-bit big-endian integer; texts here are far below 2^29 bytes.
  const bits = totalBytes * 8;
  buffer[end - 5] = Math.floor(bits / 2 ** 32) & 0xff;
  buffer[end - 4] = (bits >>> 24) & 0xff;
  buffer[end - 3] = (bits >>> 16) & 0xff;
  buffer[end - 2] = (bits >>> 8) & 0xff;
  buffer[end - 1] = bits & 0xff;
  return end;
}

/**
 * A function giving the first `hexChars` hex digits of HMAC-SHA-256(key, UTF-8 of text). The returned function keeps
 * scratch buffers of its own, so it is for one thread and one caller at a time (as ingest's reading loop is).
 */
export function createHmacSha256Hex(key: Uint8Array, hexChars = 64): (text: string) => string {
  const padded = new Uint8Array(BLOCK);
  padded.set(key.length > BLOCK ? createHash("sha256").update(key).digest() : key);
  const inner = new Uint8Array(BLOCK);
  const outer = new Uint8Array(BLOCK);
  for (let i = 0; i < BLOCK; i++) {
    inner[i] = padded[i]! ^ 0x36;
    outer[i] = padded[i]! ^ 0x5c;
  }
  const w = new Int32Array(64);
  const innerStart = Int32Array.from(INITIAL);
  compress(innerStart, inner, 0, w);
  const outerStart = Int32Array.from(INITIAL);
  compress(outerStart, outer, 0, w);
  padded.fill(0);
  const state = new Int32Array(8);
  const last = new Uint8Array(BLOCK);
  pad(last, 32, BLOCK + 32);
  const encoder = new TextEncoder();
  const words = Math.ceil(Math.min(64, hexChars) / 8);
  let message = new Uint8Array(2 * BLOCK);
  return (text) => {
    // UTF-8 of the text: ASCII byte by byte (identifiers mostly are), anything else through the encoder.
    if (message.length < text.length * 3 + 2 * BLOCK) message = new Uint8Array(text.length * 3 + 2 * BLOCK);
    let bytes = 0;
    while (bytes < text.length) {
      const code = text.charCodeAt(bytes);
      if (code > 0x7f) break;
      message[bytes++] = code;
    }
    if (bytes < text.length) bytes = encoder.encodeInto(text, message).written;
    const end = pad(message, bytes, BLOCK + bytes);
    state.set(innerStart);
    for (let at = 0; at < end; at += BLOCK) compress(state, message, at, w);
    for (let i = 0; i < 8; i++) {
      const v = state[i]!;
      last[i * 4] = v >>> 24;
      last[i * 4 + 1] = (v >>> 16) & 0xff;
      last[i * 4 + 2] = (v >>> 8) & 0xff;
      last[i * 4 + 3] = v & 0xff;
    }
    state.set(outerStart);
    compress(state, last, 0, w);
    let hex = "";
    for (let i = 0; i < words; i++) {
      const v = state[i]!;
      hex += HEX[v >>> 24]! + HEX[(v >>> 16) & 0xff]! + HEX[(v >>> 8) & 0xff]! + HEX[v & 0xff]!;
    }
    return hex.length === hexChars ? hex : hex.slice(0, hexChars);
  };
}
