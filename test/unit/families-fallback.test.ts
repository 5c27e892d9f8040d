// Where a thread refuses to compile the kernel families' module synchronously (an older
// browser's main thread: "WebAssembly.Compile is disallowed on the main thread, if the buffer
// size is larger than 4KB"), every family runs its JS build on the WASM backend, with the same
// results; the core kernels stay WASM. Simulated by a WebAssembly.Module that refuses the
// families' bytes (this file's modules are its own, so the families' module is not compiled yet).
import { afterAll, describe, expect, it } from "vitest";
import { FAMILIES_WASM_BASE64 } from "../../src/kernels/wasm-families-binary.js";

const Original = WebAssembly.Module;
const familiesBytes = Buffer.from(FAMILIES_WASM_BASE64, "base64").length;

describe("the kernel families where their module cannot be compiled", () => {
  afterAll(() => {
    WebAssembly.Module = Original;
  });

  it("run their JS build on the WASM backend, with the same results; the core stays WASM", async () => {
    let refused = 0;
    WebAssembly.Module = class extends Original {
      constructor(bytes: BufferSource) {
        if (bytes.byteLength === familiesBytes) {
          refused++;
          throw new RangeError("WebAssembly.Compile is disallowed on the main thread, if the buffer size is larger than 4KB.");
        }
        super(bytes);
      }
    } as typeof WebAssembly.Module;
    const { contourKernels } = await import("../../src/kernels/contours.js");
    const { jsKernels } = await import("../../src/kernels/js.js");
    const { createWasmKernels } = await import("../../src/kernels/wasm.js");
    const wasm = createWasmKernels();
    expect(contourKernels(wasm)).toBe(contourKernels(jsKernels));
    expect(refused).toBe(1);
    // The core kernels still compile and run as WASM.
    expect(wasm.name).toBe("wasm");
    const data = Uint8Array.of(0, 1, 1, 2, 2, 2);
    expect(wasm.scan(data, [1, 1, 6], false).counts.length).toBeGreaterThan(0);
    // And the family answers as it would.
    const grid = new Uint8Array(25);
    grid[12] = 1;
    expect(contourKernels(wasm).traceContours(grid, 5, 5).starts).toStrictEqual(Uint32Array.of(0, 4));
  });
});
