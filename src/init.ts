import { initZstd } from "./codecs/zstd.js";
import { initWasm } from "./kernels/index.js";

/**
 * Everything that needs an asynchronous start, in one call: the WASM kernels compiled (a
 * browser's main thread refuses to compile them synchronously) and the WebAssembly zstd
 * codec started where the platform has none (Node before 22.15, browsers), so that a
 * synchronous `decodeMask` / `encodeMask` of a Python file uses it rather than the slower
 * pure-JS decoder. A page that never writes Python files can start less and fetch less:
 * `initWasm()` alone (no zstd code fetched; the async readers start the decoder when they
 * meet a Python file), or with `initZstdDecoder()` for synchronous reads. Safe to call more
 * than once; Node needs it for neither.
 * @example await init(); const seg = decodeMask(bytes);
 */
export async function init(): Promise<void> {
  await Promise.all([initWasm(), initZstd()]);
}
