import { decompress as decompressJs } from "fzstd";
import { ZSTDDecoder } from "zstddec";
import { FormatError } from "../errors.js";

// zstd is only read (the Python library's files). Measured here on the real 10 MB mask:
// zstddec (WASM) 4-5 ms, fzstd (pure JS) ~200 ms. zstddec can only start asynchronously,
// so the async loaders call `initZstd()` first, and synchronous decodes made before that
// fall back to fzstd: slower, same bytes.

let decoder: ZSTDDecoder | null = null;
let starting: Promise<void> | null = null;

/** Starts the WASM zstd decoder; later decodes use it. Safe to call many times. */
export function initZstd(): Promise<void> {
  starting ??= (async () => {
    const d = new ZSTDDecoder();
    await d.init();
    decoder = d;
  })().catch(() => {
    starting = null; // keep the pure-JS fallback; a later call may try again
  });
  return starting;
}

const ZSTD_MAGIC = 0xfd2fb528;

/**
 * The Frame_Content_Size a zstd frame header declares, or null when it has none
 * (RFC 8878, section 3.1.1.1).
 */
export function zstdContentSize(frame: Uint8Array): number | null {
  if (frame.length < 6) return null;
  const view = new DataView(frame.buffer, frame.byteOffset, frame.byteLength);
  if (view.getUint32(0, true) !== ZSTD_MAGIC) return null;
  const fhd = frame[4]!;
  const singleSegment = (fhd >> 5) & 1;
  const fcsFlag = fhd >> 6;
  const dictBytes = [0, 1, 2, 4][fhd & 3]!;
  const fcsBytes = fcsFlag === 0 ? singleSegment : [0, 2, 4, 8][fcsFlag]!;
  const at = 5 + (singleSegment ? 0 : 1) + dictBytes;
  if (fcsBytes === 0 || at + fcsBytes > frame.length) return null;
  if (fcsBytes === 1) return view.getUint8(at);
  if (fcsBytes === 2) return view.getUint16(at, true) + 256;
  if (fcsBytes === 4) return view.getUint32(at, true);
  const big = view.getBigUint64(at, true);
  return big > BigInt(Number.MAX_SAFE_INTEGER) ? Number.MAX_SAFE_INTEGER : Number(big);
}

/**
 * Decompresses one zstd frame that must inflate to exactly `expectedSize` bytes (from the
 * file's header), so a corrupt or hostile frame can never allocate more than that.
 */
export function zstdDecompress(frame: Uint8Array, expectedSize: number, what: string): Uint8Array {
  const declared = zstdContentSize(frame);
  if (declared !== null && declared !== expectedSize) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd frame declares ${declared} bytes; its header says ${expectedSize}.`);
  }
  let out: Uint8Array;
  try {
    // zstddec reports the bytes it wrote (one spare byte shows an overlong frame); fzstd
    // writes into exactly the declared size and throws if the frame runs past it.
    out = decoder ? decoder.decode(frame, expectedSize + 1) : decompressJs(frame, new Uint8Array(expectedSize));
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd data is corrupt: ${(cause as Error).message}.`, { cause });
  }
  if (out.length !== expectedSize) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd data inflates to ${out.length} bytes; its header says ${expectedSize}.`);
  }
  return out;
}
