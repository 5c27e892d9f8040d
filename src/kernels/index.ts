import { InputError, ResourceError, describeValue } from "../errors.js";
import { jsKernels } from "./js.js";
import type { Kernels } from "./types.js";
import { createWasmKernels, type WasmKernels } from "./wasm.js";
import { compileWasm, residentArrays, type ResidentArrays } from "./wasm-instance.js";

export type { Box6, Dims, Kernels, LayerSelection, ScanResult } from "./types.js";
export { jsKernels } from "./js.js";
export { isResident, residentMaskBuffer } from "./wasm-instance.js";
export type { ResidentArrays } from "./wasm-instance.js";

/** A kernel backend: "wasm" (AssemblyScript + SIMD) or "js" (plain TypeScript). */
export type BackendName = "js" | "wasm";

let wasmKernels: WasmKernels | null = null;
let wasmFailed: Error | null = null;
let chosen: Kernels | null = null;
let forced: BackendName | null = readEnvironment();

function readEnvironment(): BackendName | null {
  // Read through globalThis so the core entry stays free of Node imports.
  const env = (globalThis as { process?: { env?: Record<string, string | undefined> } }).process?.env;
  const value = env?.MEDMASK_BACKEND?.trim().toLowerCase();
  if (!value || value === "auto") return null;
  if (value === "js" || value === "wasm") return value;
  throw new InputError("INVALID_ARGUMENT", `MEDMASK_BACKEND must be "js", "wasm" or "auto", got "${value}".`);
}

function loadWasm(): WasmKernels | null {
  if (wasmKernels || wasmFailed) return wasmKernels;
  try {
    const kernels = createWasmKernels();
    kernels.scan(new Uint8Array(1), [1, 1, 1], false); // instantiates now, so failures show here
    wasmKernels = kernels;
  } catch (error) {
    wasmFailed = error as Error;
  }
  return wasmKernels;
}

/** Bytes of WASM linear memory the kernels hold now (0 before the first WASM call). */
export function wasmMemoryBytes(): number {
  return wasmKernels?.memoryBytes() ?? 0;
}

/** The WASM kernels, or an error saying why they cannot load. */
export function wasmBackend(): WasmKernels {
  const kernels = loadWasm();
  if (kernels) return kernels;
  throw new ResourceError("WASM_UNAVAILABLE", `The WASM backend cannot load here (${wasmFailed?.message}); use setBackend("js").`, {
    cause: wasmFailed,
  });
}

/**
 * Zeroed voxels (`layerCount` layers) and a mask buffer in a WASM memory of their own, where the WASM kernels
 * run in place (see `SegmentationMask.toResident`). WASM_UNAVAILABLE where WASM cannot load.
 */
export function residentLabels(bytesPerVoxel: 1 | 2 | 4, length: number, layerCount = 1): ResidentArrays {
  wasmBackend(); // says why, where WASM cannot load
  return residentArrays(bytesPerVoxel, length, undefined, layerCount);
}

/**
 * The kernels in use: the forced backend if one was set (setBackend or MEDMASK_BACKEND),
 * else WASM where it loads and JS otherwise.
 */
export function getKernels(): Kernels {
  if (chosen) return chosen;
  chosen = forced === "js" ? jsKernels : forced === "wasm" ? wasmBackend() : (loadWasm() ?? jsKernels);
  return chosen;
}

/**
 * Forces a backend for all later operations ("auto" returns to automatic choice).
 * @example setBackend("js"); // pure JS, e.g. to compare with WASM
 */
export function setBackend(name: BackendName | "auto"): void {
  if (name !== "js" && name !== "wasm" && name !== "auto") {
    throw new InputError("INVALID_ARGUMENT", `Unknown backend ${describeValue(name)}; use "js", "wasm" or "auto".`);
  }
  forced = name === "auto" ? null : name;
  chosen = null;
  if (forced === "wasm") chosen = wasmBackend();
}

/** Name of the backend that `getKernels()` gives now. */
export function getBackend(): BackendName {
  return getKernels().name;
}

/**
 * Compiles the WASM module asynchronously. Browsers refuse synchronous compilation of
 * larger modules on the main thread; await this once there before the first operation.
 */
export async function initWasm(): Promise<void> {
  try {
    await compileWasm();
  } catch (error) {
    wasmFailed = error as Error;
  }
}
