// `batch convert --shard I/N`: a stable, balanced split of the sorted cases for array jobs.
import fc from "fast-check";
import { spawnSync } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { SegmentationMask, Space, encodeMask } from "../../src/node.js";
import { parseShard, shardOf } from "../../src/cli/shard.js";
import { codeOf, tempDir } from "../helpers/files.js";

const ROOT = new URL("../../", import.meta.url).pathname;

describe("shards", () => {
  it("N shards take every item exactly once, in order, their sizes within one of each other", () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 300 }), fc.integer({ min: 1, max: 40 }), (n, count) => {
        const items = Array.from({ length: n }, (_, i) => i);
        const shards = Array.from({ length: count }, (_, i) => shardOf(items, { index: i + 1, count }));
        expect(shards.flat()).toEqual(items);
        const sizes = shards.map((s) => s.length);
        expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
      }),
    );
    // The same inputs split the same way, whoever asks.
    expect(shardOf(["a", "b", "c", "d", "e"], { index: 2, count: 2 })).toEqual(["c", "d", "e"]);
    expect(shardOf(["a"], { index: 3, count: 3 })).toEqual(["a"]);
    expect(shardOf(["a"], { index: 1, count: 3 })).toEqual([]);
  });

  it("parses I/N, and env/N from Kubernetes' or AWS Batch's index (0-based there); refuses the rest", () => {
    expect(parseShard("2/8")).toEqual({ index: 2, count: 8 });
    expect(parseShard("env/8", { JOB_COMPLETION_INDEX: "0" })).toEqual({ index: 1, count: 8 });
    expect(parseShard("env/8", { JOB_COMPLETION_INDEX: "7" })).toEqual({ index: 8, count: 8 });
    expect(parseShard("env", { AWS_BATCH_JOB_ARRAY_INDEX: "3", AWS_BATCH_JOB_ARRAY_SIZE: "10" })).toEqual({ index: 4, count: 10 });
    for (const [text, env] of [
      ["0/4", {}],
      ["5/4", {}],
      ["2", {}],
      ["a/b", {}],
      ["1/0", {}],
      ["env/4", {}],
      ["env", { JOB_COMPLETION_INDEX: "1" }],
      ["env/4", { JOB_COMPLETION_INDEX: "x" }],
      ["env/4", { JOB_COMPLETION_INDEX: "4" }],
    ] as const) {
      expect(codeOf(() => parseShard(text, env)), text).toBe("INVALID_ARGUMENT");
    }
  });

  it("batch convert --shard: three processes (one by env) convert every case exactly once; a bad --shard is a usage error", () => {
    const dir = tempDir();
    const cases = join(dir, "cases");
    mkdirSync(cases);
    const space = new Space({ shape: [2, 2, 2] });
    const names = Array.from({ length: 8 }, (_, i) => `case${String(i).padStart(2, "0")}`);
    for (const [i, n] of names.entries()) writeFileSync(join(cases, `${n}.msk`), encodeMask(new SegmentationMask(new Uint8Array(8).fill(1, 0, i % 8), { a: 1 }, space)));
    const out = join(dir, "out");
    const run = (shard: string, env: NodeJS.ProcessEnv = {}) =>
      spawnSync(process.execPath, [join(ROOT, "cli/bin/medmask.js"), "batch", "convert", cases, out, "--resume", "--workers", "1", "--shard", shard], { encoding: "utf8", env: { ...process.env, ...env } });
    const done: string[][] = [];
    for (const [shard, env] of [["1/3", {}], ["env/3", { JOB_COMPLETION_INDEX: "1" }], ["3/3", {}]] as const) {
      const r = run(shard, env);
      expect(r.status, r.stderr).toBe(0);
      done.push([...r.stderr.matchAll(/\] (case\d+): ok/g)].map((m) => m[1]!));
    }
    expect(done.map((d) => d.length)).toEqual([2, 3, 3]);
    expect(done.flat().sort()).toEqual(names);
    expect(readdirSync(out).sort()).toEqual(names.map((n) => `${n}.msk`));
    const bad = run("4/3");
    expect(bad.status).toBe(2);
    expect(bad.stderr).toMatch(/--shard 4\/3/);
  });
});
