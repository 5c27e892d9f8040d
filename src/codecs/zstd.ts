import { decompress as decompressJs } from "fzstd";
import { platform, type ZstdCodec } from "../platform.js";
import type { ZSTDDecoder } from "zstddec";
import { FormatError, ResourceError } from "../errors.js";
export type { ZstdCodec };

// zstd, the Python library's codec. Three ways, fastest first:
// - a native codec the Node entry registers where `node:zlib` has zstd (Node 22.15+, 23.8+);
// - WASM: zstddec decodes, @hpcc-js/wasm-zstd encodes; both start asynchronously, each
//   imported only when started (a page that never reads or writes a Python file fetches
//   neither): readers call `initZstdDecoder()`, writers `initZstd()`;
// - fzstd (pure JS) decodes before that: slower, same bytes. Nothing encodes before it, so a
//   synchronous encode on a platform without native zstd asks for `initZstd()` (NOT_INITIALIZED).
// `npm run bench files` has the rows that compare them with the Python library.

/** The WASM encoder's surface that medmask uses. */
interface WasmEncoder {
  compress(data: Uint8Array, level?: number): Uint8Array;
}

let decoder: ZSTDDecoder | null = null;
let encoder: WasmEncoder | null = null;
let startingDecoder: Promise<void> | null = null;
let startingEncoder: Promise<void> | null = null;

/** The platform's zstd (Node's zlib, 22.15+), else null. */
const native = (): ZstdCodec | null => platform().zstd;

/**
 * Starts the WASM zstd decoder alone (not needed where Node's zlib has zstd): what reading
 * the Python library's files needs. Safe to call many times.
 * @example await initZstdDecoder(); const seg = decodeMask(pythonBytes);
 */
export function initZstdDecoder(): Promise<void> {
  if (native()) return Promise.resolve();
  startingDecoder ??= (async () => {
    const { ZSTDDecoder } = await import("zstddec");
    const d = new ZSTDDecoder();
    await d.init();
    decoder = d;
  })().catch(() => {
    startingDecoder = null; // keep the pure-JS decoder; a later call may try again
  });
  return startingDecoder;
}

/**
 * Starts the WASM zstd decoder and encoder (not needed where Node's zlib has zstd); later
 * reads and writes of Python files use them. Safe to call many times.
 * @example await initZstd(); const bytes = encodeMask(seg, { format: "python" });
 */
export function initZstd(): Promise<void> {
  if (native()) return Promise.resolve();
  // The encoder is imported only here, so a bundle that never writes Python files can
  // leave its 240 KB out.
  startingEncoder ??= (async () => {
    const { Zstd } = await import("@hpcc-js/wasm-zstd");
    encoder = await Zstd.load();
  })().catch(() => {
    startingEncoder = null; // a synchronous encode says NOT_INITIALIZED; a later call may try again
  });
  return Promise.all([initZstdDecoder(), startingEncoder]).then(() => undefined);
}

/** python-zstandard's default level, which the Python library writes with. */
export const ZSTD_DEFAULT_LEVEL = 3;

/**
 * One zstd frame of `data`, with its content size in the frame header (python-zstandard's
 * `decompress` needs it). Synchronous: where Node's zlib has no zstd, `initZstd()` must
 * have finished first.
 */
export function zstdCompress(data: Uint8Array, level: number = ZSTD_DEFAULT_LEVEL): Uint8Array {
  const codec = native() ?? encoder;
  if (!codec) {
    throw new ResourceError("NOT_INITIALIZED", "Writing zstd (the Python library's files) needs `await initZstd()` first on this platform (Node before 22.15 and browsers); saveMask and MaskArchive do it themselves.");
  }
  let frame: Uint8Array;
  try {
    frame = codec.compress(data, level);
  } catch (cause) {
    throw new ResourceError("OUT_OF_MEMORY", `zstd could not compress ${data.length} bytes: ${(cause as Error).message}.`, { cause });
  }
  // The WASM encoder reports a failure on the console only: check what it gave.
  if (zstdContentSize(frame) !== data.length) {
    throw new ResourceError("OUT_OF_MEMORY", `zstd could not compress ${data.length} bytes (the encoder gave no valid frame).`);
  }
  return frame;
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
 * file's header), so a corrupt or hostile frame can never allocate more than that. A frame
 * must declare its content size, as every frame the Python library writes does (and its
 * reader requires).
 */
export function zstdDecompress(frame: Uint8Array, expectedSize: number, what: string): Uint8Array {
  const declared = zstdContentSize(frame);
  if (declared === null) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd frame does not declare its content size (the Python library can neither write nor read such a frame).`);
  }
  if (declared !== expectedSize) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd frame declares ${declared} bytes; its header says ${expectedSize}.`);
  }
  let out: Uint8Array;
  try {
    // One spare byte shows an overlong frame (zstddec and zlib report what they wrote);
    // fzstd writes into exactly the declared size and throws if the frame runs past it.
    const platformZstd = native();
    if (platformZstd) out = platformZstd.decompress(frame, expectedSize);
    else out = decoder ? decoder.decode(frame, expectedSize + 1) : decompressJs(frame, new Uint8Array(expectedSize));
  } catch (cause) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd data is corrupt: ${(cause as Error).message}.`, { cause });
  }
  if (out.length !== expectedSize) {
    throw new FormatError("BAD_FORMAT", `The ${what}'s zstd data inflates to ${out.length} bytes; its header says ${expectedSize}.`);
  }
  return out;
}
