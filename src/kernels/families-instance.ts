import { FAMILIES_WASM_BASE64 } from "./wasm-families-binary.js";
import { decodeBase64, instantiate, type Call, type CoreExports, type CoreRunner, type FamilyExports, type KernelExports, type Runner } from "./wasm-instance.js";

// The kernel families' module (assembly/families.ts): compiled on first use, a module apart
// from the core kernels so that a page importing only the mask type does not carry it (the
// bundle test in test/system/architecture.test.ts), and instantiated on each core instance's
// memory, whose allocator it uses through the adapters (it allocates nothing itself).

let compiled: WebAssembly.Module | null | undefined;

/**
 * The families' module, compiled synchronously once; null where this thread may not compile
 * it so (an old browser's main thread, which refuses a synchronous compile of more than
 * 4 KB), and the families then run their JS build.
 */
export function familiesModule(): WebAssembly.Module | null {
  if (compiled === undefined) {
    try {
      compiled = new WebAssembly.Module(decodeBase64(FAMILIES_WASM_BASE64) as BufferSource);
    } catch (error) {
      if (!(error instanceof RangeError)) throw error;
      compiled = null;
    }
  }
  return compiled;
}

const merged = new WeakMap<CoreExports, KernelExports>();

/** The core instance's exports with the families' beside them, on its memory (made once per instance). */
export function withFamilies(core: CoreExports): KernelExports {
  let both = merged.get(core);
  if (!both) {
    const families = instantiate<FamilyExports>(familiesModule()!, core.memory);
    both = { ...core, ...families, memory: core.memory };
    merged.set(core, both);
  }
  return both;
}

/** `run` with the families' exports beside the core's: what a family's WASM adapter is given. */
export function familyRunner(run: CoreRunner): Runner {
  return <T>(body: (call: Call, wasm: KernelExports) => T): T => run((call, w) => body(call, withFamilies(w)));
}
