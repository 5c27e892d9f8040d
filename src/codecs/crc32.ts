// CRC-32 (IEEE 802.3, as zlib and PNG): checksums of the native format's header and slabs.
import { platform, type Crc32 } from "../platform.js";
export type { Crc32 };

/**
 * Slicing-by-8 tables: TABLES[k][n] is the CRC of byte n followed by k zero bytes, so eight
 * bytes fold into the CRC with eight independent lookups instead of eight dependent ones
 * (zlib's, where registered, is faster still: `npm run bench platform`, "CRC-32").
 */
const TABLES = (() => {
  const tables = Array.from({ length: 8 }, () => new Uint32Array(256));
  const t0 = tables[0]!;
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t0[n] = c >>> 0;
  }
  for (let k = 1; k < 8; k++) {
    const prev = tables[k - 1]!, table = tables[k]!;
    for (let n = 0; n < 256; n++) table[n] = (prev[n]! >>> 8) ^ t0[prev[n]! & 0xff]!;
  }
  return tables;
})();

/**
 * CRC-32 of `bytes`, continuing from `previous` when given: the platform's (zlib's in Node,
 * native code) where one is registered, else this file's portable one.
 * @example crc32(new TextEncoder().encode("123456789")) // 0xcbf43926
 */
export function crc32(bytes: Uint8Array, previous = 0): number {
  const platformCrc32 = platform().crc32;
  return platformCrc32 ? platformCrc32(bytes, previous) : crc32Portable(bytes, previous);
}

/** `crc32` in plain JS, for every platform (slicing-by-8). */
export function crc32Portable(bytes: Uint8Array, previous = 0): number {
  const [t0, t1, t2, t3, t4, t5, t6, t7] = TABLES as [Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array, Uint32Array];
  let c = ~previous >>> 0;
  let i = 0;
  const n = bytes.length;
  for (; i + 8 <= n; i += 8) {
    const a = c ^ (bytes[i]! | (bytes[i + 1]! << 8) | (bytes[i + 2]! << 16) | (bytes[i + 3]! << 24));
    c =
      t7[a & 0xff]! ^ t6[(a >>> 8) & 0xff]! ^ t5[(a >>> 16) & 0xff]! ^ t4[a >>> 24]! ^
      t3[bytes[i + 4]!]! ^ t2[bytes[i + 5]!]! ^ t1[bytes[i + 6]!]! ^ t0[bytes[i + 7]!]!;
  }
  for (; i < n; i++) c = t0[(c ^ bytes[i]!) & 0xff]! ^ (c >>> 8);
  return ~c >>> 0;
}
