import { execFileSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterEach, describe, expect, it } from "vitest";
import { MedMaskError, getBackend, setBackend, wasmBackend, wasmMemoryBytes } from "../../src/index.js";
import { WASM_BASE64 } from "../../src/kernels/wasm-binary.js";

const ROOT = new URL("../../", import.meta.url).pathname;

/** Runs a snippet against the built package in a child Node and returns its stdout. */
function node(code: string, options: { env?: Record<string, string>; flags?: string[] } = {}): string {
  return execFileSync(process.execPath, [...(options.flags ?? []), "--input-type=module", "-e", code], {
    cwd: ROOT,
    encoding: "utf8",
    env: { ...process.env, ...options.env },
    stdio: ["ignore", "pipe", "pipe"],
  }).trim();
}

describe("backend selection", () => {
  afterEach(() => setBackend("auto"));

  it("uses WASM by default where it loads, and can be forced either way", () => {
    setBackend("auto");
    expect(getBackend()).toBe("wasm");
    setBackend("js");
    expect(getBackend()).toBe("js");
    setBackend("wasm");
    expect(getBackend()).toBe("wasm");
  });

  it("the WASM kernels are SIMD code, and this Node runs SIMD", () => {
    // A minimal module holding one v128.const: it validates only where SIMD is on.
    const simd = Uint8Array.from([0, 97, 115, 109, 1, 0, 0, 0, 1, 4, 1, 96, 0, 0, 3, 2, 1, 0, 10, 23, 1, 21, 0, 0xfd, 12, ...new Array(16).fill(0), 0x1a, 0x0b]);
    expect(WebAssembly.validate(simd)).toBe(true);
    // The kernels' module compiles here and is full of SIMD (the build's text form).
    expect(() => new WebAssembly.Module(Uint8Array.from(atob(WASM_BASE64), (c) => c.charCodeAt(0)))).not.toThrow();
    const wat = readFileSync(join(ROOT, "build/medmask.wat"), "utf8");
    for (const op of ["v128.load", "i8x16.eq", "i8x16.bitmask", "v128.any_true", "i8x16.swizzle"]) expect(wat).toContain(op);
  });

  it("rejects unknown backend names", () => {
    expect(() => setBackend("gpu" as "js")).toThrow(MedMaskError);
  });

  it("honours MEDMASK_BACKEND in Node", () => {
    const code = 'import { getBackend } from "medmask"; console.log(getBackend());';
    expect(node(code, { env: { MEDMASK_BACKEND: "js" } })).toBe("js");
    expect(node(code, { env: { MEDMASK_BACKEND: "wasm" } })).toBe("wasm");
    expect(node(code, { env: { MEDMASK_BACKEND: "auto" } })).toBe("wasm");
  });

  it("falls back to JS where WebAssembly is missing, and says WASM_UNAVAILABLE when WASM is forced", () => {
    const code = `
      import { getBackend, setBackend } from "medmask";
      const auto = getBackend();
      try { setBackend("wasm"); console.log(auto, "no error"); } catch (e) { console.log(auto, e.code); }`;
    expect(node(code, { flags: ["--jitless", "--no-warnings"] })).toBe("js WASM_UNAVAILABLE");
  });

  it("streams a 4 GiB volume through WASM memory that stays small", () => {
    // 2^30 uint32 labels = 4 GiB, as much as wasm32 can address: the scan streams it in
    // chunks, so WASM memory stays at a few MiB (the array's untouched pages read as zero).
    const huge = new Uint32Array(2 ** 30);
    huge[huge.length - 1] = 7;
    const scan = wasmBackend().scan(huge, [1024, 1024, 1024], true);
    expect(Array.from(scan.labels)).toEqual([0, 7]);
    expect(Array.from(scan.counts)).toEqual([2 ** 30 - 1, 1]);
    expect(Array.from(scan.boxes.subarray(6))).toEqual([1023, 1023, 1023, 1023, 1023, 1023]);
    expect(wasmMemoryBytes()).toBeLessThan(16 * 2 ** 20);
  });
});
