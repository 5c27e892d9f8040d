// batch convert --queue and medmask worker against a real redis-server (Debian's package, on
// a port of its own, stopped afterwards): two workers and a producer over 24 cases, one
// worker killed with SIGKILL mid-run.
import { spawnSync, type ChildProcess } from "node:child_process";
import { mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { SegmentationMask, Space, encodeMask, loadMask, niftiBytes } from "../../src/node.js";
import { tempDir } from "../helpers/files.js";
import { freePort, hasRedis, medmaskProcess, startRedis, until } from "../helpers/redis.js";

const medmask = (args: string[]) => medmaskProcess(args);

describe.skipIf(!hasRedis())("a batch on a Redis queue (BullMQ)", () => {
  let redis: ChildProcess;
  let url: string;
  let port: number;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    url = `redis://127.0.0.1:${port}`;
  }, 20_000);

  afterAll(() => {
    redis?.kill("SIGTERM");
  });

  it("two workers and the producer do 24 cases, one worker killed mid-run: every output there and readable, no case converted twice at once, the queue left empty", async () => {
    const dir = tempDir();
    const cases = join(dir, "cases");
    const out = join(dir, "out");
    mkdirSync(cases);
    // Cases big enough to take a while each (8 M voxels), so the kill falls mid-run.
    const space = new Space({ shape: [128, 256, 256] });
    const names = Array.from({ length: 24 }, (_, i) => `case${String(i).padStart(2, "0")}`);
    for (const [i, name] of names.entries()) {
      const data = new Uint8Array(space.voxelCount);
      data.fill(1, 1000 * i, 1000 * i + 2_000_000);
      data.fill(2, 2_500_000, 2_600_000 + i);
      writeFileSync(join(cases, `${name}.nii.gz`), niftiBytes(data, space));
    }
    // Workers started with no queue name join the batch's queue when it appears.
    const common = ["--queue", url, "--workers", "1", "--stall-seconds", "2"];
    const workerA = medmask(["worker", ...common]);
    const workerB = medmask(["worker", ...common]);
    await until(() => [workerA, workerB].every((w) => w.lines.some((l) => /^worker at .*joins every/.test(l.text))), 15_000, "the workers");
    const producer = medmask(["batch", "convert", cases, out, ...common, "--retries", "2"]);
    onTestFinished(() => void [workerA, workerB, producer].forEach((p) => p.proc.exitCode === null && p.proc.kill("SIGKILL")));
    await until(() => producer.lines.some((l) => /^queue medmask-/.test(l.text)), 15_000, "the producer's queue");
    const queueName = /^queue (\S+)/.exec(producer.lines.find((l) => /^queue medmask-/.test(l.text))!.text)![1]!;
    expect(producer.lines.map((l) => l.text).join("\n")).toMatch(new RegExp(`join with: medmask worker --queue ${url} \\(and the same MEDMASK_QUEUE_SECRET\\)$`, "m"));
    // A is killed mid-run: after its first case, while its next is running.
    await until(() => workerA.lines.some((l) => / ok$/.test(l.text)), 60_000, "worker A's first case");
    workerA.proc.kill("SIGKILL");
    const killedAt = Date.now();
    const code = await producer.exit;
    const summary = producer.lines.map((l) => l.text).join("\n");
    expect(code, summary).toBe(0);
    expect(summary).toMatch(/24 cases: 24 converted, 0 skipped, 0 failed/);

    // Every output is there and reads as its case.
    expect(readdirSync(out).sort()).toEqual(names.map((n) => `${n}.msk`));
    for (const [i, name] of names.entries()) {
      const mask = await loadMask(join(out, `${name}.msk`));
      expect(mask.labelStats().map((s) => s.voxels)).toEqual([2_000_000 - Math.max(0, 1000 * i + 2_000_000 - 2_500_000), 100_000 + i]);
    }

    // Each case's conversions (start to end, or to the kill) never overlap.
    const intervals = new Map<string, Array<[number, number, string]>>();
    const add = (name: string, from: number, to: number, who: string) => intervals.set(name, [...(intervals.get(name) ?? []), [from, to, who]]);
    for (const [who, w, ended] of [["A", workerA, killedAt], ["B", workerB, Infinity]] as const) {
      const open = new Map<string, number>();
      for (const l of w.lines) {
        const m = /^(case\d+): (started|ok)$/.exec(l.text);
        if (!m) continue;
        if (m[2] === "started") open.set(m[1]!, l.at);
        else {
          add(m[1]!, open.get(m[1]!)!, l.at, who);
          open.delete(m[1]!);
        }
      }
      for (const [name, from] of open) add(name, from, ended, `${who} (killed)`);
    }
    const here = new Map<string, number>();
    for (const l of producer.lines) {
      const started = /^(case\d+): started here$/.exec(l.text);
      if (started) here.set(started[1]!, l.at);
      const done = /^\[\d+\/24\] (case\d+): ok/.exec(l.text);
      if (done && here.has(done[1]!)) add(done[1]!, here.get(done[1]!)!, l.at, "producer");
    }
    let total = 0;
    for (const [name, list] of intervals) {
      total += list.length;
      list.sort((a, b) => a[0] - b[0]);
      for (let k = 1; k < list.length; k++) expect(list[k]![0], `${name}: ${JSON.stringify(list)}`).toBeGreaterThanOrEqual(list[k - 1]![1]);
    }
    // Every case started once, but for one interrupted by the kill.
    expect(intervals.size).toBe(24);
    expect(total).toBeLessThanOrEqual(25);
    expect(workerA.lines.filter((l) => / ok$/.test(l.text)).length).toBeGreaterThanOrEqual(1);
    expect(workerB.lines.filter((l) => / ok$/.test(l.text)).length).toBeGreaterThan(0);

    // Nothing of the batch is left in Redis, though worker B is still attached: it leaves.
    const keys = () => spawnSync("redis-cli", ["-p", String(port), "--scan", "--pattern", `*${queueName}*`], { encoding: "utf8" }).stdout.trim().split("\n").filter((k) => k && !k.startsWith("medmask:finished:"));
    await until(() => workerB.lines.some((l) => l.text === `left ${queueName}: its batch is over`), 10_000, "worker B to leave the finished batch");
    await until(() => keys().length === 0, 10_000, `the queue's keys to go (${keys().join(", ")})`);
    workerB.proc.kill("SIGTERM");
    expect(await workerB.exit).toBe(0);
  }, 180_000);

  it("a case that fails is retried and then reported (exit 3); a re-run skips what is done; an unreachable Redis is one clear line", async () => {
    const dir = tempDir();
    const cases = join(dir, "cases");
    const out = join(dir, "out");
    mkdirSync(cases);
    const space = new Space({ shape: [2, 2, 2] });
    writeFileSync(join(cases, "good.msk"), encodeMask(new SegmentationMask(new Uint8Array(8).fill(1, 0, 3), { a: 1 }, space)));
    writeFileSync(join(cases, "bad.msk"), "not a mask");
    const run = (...extra: string[]) => medmask(["batch", "convert", cases, out, "--queue", url, "--workers", "1", "--retries", "1", ...extra]);
    const first = run();
    expect(await first.exit).toBe(3);
    const text = first.lines.map((l) => l.text).join("\n");
    expect(text).toMatch(/bad: FAILED: .*Not a/);
    expect(text).toMatch(/2 cases: 1 converted, 0 skipped, 1 failed/);
    // Two attempts of the bad case (one retry).
    expect(first.lines.filter((l) => /^bad: started here$/.test(l.text))).toHaveLength(2);
    const again = run("--resume");
    expect(await again.exit).toBe(3);
    expect(again.lines.map((l) => l.text).join("\n")).toMatch(/2 cases: 0 converted, 1 skipped, 1 failed/);
    const nowhere = medmask(["batch", "convert", cases, join(dir, "o2"), "--queue", `redis://127.0.0.1:${await freePort()}`]);
    expect(await nowhere.exit).toBe(1);
    expect(nowhere.lines.map((l) => l.text).join("\n")).toMatch(/Cannot reach Redis/);
  }, 120_000);
});
