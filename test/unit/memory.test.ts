// Load -> query -> dispose cycles of the real mask keep memory flat (bench/soak.mjs does 1,000).
import { execFileSync } from "node:child_process";
import { describe, expect, it } from "vitest";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("memory", () => {
  it.each([
    ["wasm", ""],
    ["js", ""],
    ["wasm", "resident"],
  ])("stays flat over repeated load/query/dispose cycles (%s %s)", (backend, mode) => {
    const out = execFileSync(process.execPath, ["--expose-gc", "bench/soak.mjs", "60", mode], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, MEDMASK_BACKEND: backend },
    });
    const r = JSON.parse(out.trim().split("\n").pop()!) as { wasmMiB: string[]; rssMiB: string[]; arrayBuffersMiB: string[] };
    const [wasmBefore, wasmAfter] = r.wasmMiB.map(Number) as [number, number];
    const [rssBefore, rssAfter] = r.rssMiB.map(Number) as [number, number];
    const [buffersBefore, buffersAfter] = r.arrayBuffersMiB.map(Number) as [number, number];
    expect(wasmAfter).toBe(wasmBefore);
    expect(buffersAfter - buffersBefore).toBeLessThan(11); // not one leaked 10 MB volume
    expect(rssAfter - rssBefore).toBeLessThan(32);
  }, 120_000);
});
