// One asynchronous start for everything (issue 18): init() compiles the WASM kernels and
// starts the zstd codec, after which Python files are written and read synchronously.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, decodeMask, encodeMask, init } from "../../src/index.js";

describe("init()", () => {
  it("makes every synchronous call ready, and may be called again", async () => {
    await init();
    await init();
    const seg = new SegmentationMask(Uint8Array.of(0, 1, 2, 2), { liver: 1, spleen: 2 }, new Space({ shape: [1, 2, 2] }));
    const python = encodeMask(seg, { format: "python" }); // NOT_INITIALIZED without a zstd codec started
    expect(decodeMask(python).mapping.toJSON()).toEqual({ liver: 1, spleen: 2 });
    const fixture = new Uint8Array(readFileSync(new URL("../fixtures/python-medmask/seed_example.msk", import.meta.url)));
    expect(decodeMask(fixture).mapping.names()).toEqual(["liver", "spleen", "kidney"]);
  });
});
