// What a queue worker refuses, against a real redis-server: jobs that name their own paths,
// records nobody it trusts wrote, cases outside the batch's IN, symlinks out; two batches on
// one queue name that must not take each other's cases; a Redis that restarts empty mid-batch.
import type { ChildProcess } from "node:child_process";
import { existsSync, mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { Queue } from "bullmq";
import { Redis } from "ioredis";
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from "vitest";
import { SegmentationMask, Space, encodeMask, loadMask } from "../../src/node.js";
import { tempDir } from "../helpers/files.js";
import { TEST_SECRET, freePort, hasRedis, medmaskProcess, startRedis, until } from "../helpers/redis.js";

/** A small mask file holding `voxels` voxels of label 1 named `name`. */
function maskFile(path: string, voxels: number, name = "organ"): void {
  const space = new Space({ shape: [4, 8, 8] });
  writeFileSync(path, encodeMask(new SegmentationMask(new Uint8Array(space.voxelCount).fill(1, 0, voxels), { [name]: 1 }, space)));
}

const noSecret = (): NodeJS.ProcessEnv => {
  const env = { ...process.env };
  delete env.MEDMASK_QUEUE_SECRET;
  return env;
};

describe.skipIf(!hasRedis())("queue workers act only inside the batch they joined", () => {
  let redis: ChildProcess;
  let url: string;
  let port: number;
  let client: Redis;

  beforeAll(async () => {
    port = await freePort();
    redis = await startRedis(port);
    url = `redis://127.0.0.1:${port}`;
    client = new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null });
  }, 20_000);

  afterAll(async () => {
    await client?.quit().catch(() => undefined);
    redis?.kill("SIGTERM");
  });

  /** Adds raw jobs to queue `name`, as anyone who reaches Redis can. */
  async function addJobs(name: string, jobs: unknown[]): Promise<void> {
    const queue = new Queue(name, { connection: new Redis({ port, host: "127.0.0.1", maxRetriesPerRequest: null }) });
    await queue.addBulk(jobs.map((data, i) => ({ name: "convert", data, opts: { jobId: `evil-${i}`, attempts: 3, removeOnComplete: true, removeOnFail: true } })));
    await queue.close();
  }

  it("a worker with neither a secret nor --in/--out does not start", async () => {
    const w = medmaskProcess(["worker", "--queue", url, "--until-empty"], noSecret());
    expect(await w.exit).toBe(1);
    expect(w.text()).toMatch(/runs only batches it can trust: set MEDMASK_QUEUE_SECRET .* or name the batch's folders with --in IN --out OUT/);
  }, 30_000);

  it("jobs that carry their own paths, forged or unsigned records, and cases that climb out are refused once each; nothing is read or written outside the batch", async () => {
    const dir = tempDir();
    const privateDir = join(dir, "private");
    const elsewhere = join(dir, "elsewhere");
    mkdirSync(privateDir);
    mkdirSync(elsewhere);
    const secretMask = join(privateDir, "patient.msk");
    maskFile(secretMask, 10);
    const victim = join(elsewhere, "victim.msk");
    writeFileSync(victim, "the user's own file");
    const name = "medmask-evil-0000000000";
    const forged = (id: string, json: object, sig?: string) => client.set(`medmask:batch:${name}:${id}`, JSON.stringify({ json: JSON.stringify(json), ...(sig ? { sig } : {}) }));
    const record = { queue: name, in: privateDir, out: elsewhere, to: "msk", force: true, cases: ["patient.msk"] };
    await forged("aaaaaaaaaaaaaaaa", { ...record, id: "aaaaaaaaaaaaaaaa" }); // unsigned
    await forged("bbbbbbbbbbbbbbbb", { ...record, id: "bbbbbbbbbbbbbbbb" }, "00".repeat(32)); // a wrong signature
    await addJobs(name, [
      // The old job shape: paths and options in the job.
      { task: { input: secretMask, output: victim, maxBytes: 1e12 }, force: true },
      { batch: "aaaaaaaaaaaaaaaa", case: "patient.msk" },
      { batch: "bbbbbbbbbbbbbbbb", case: "patient.msk" },
      { batch: "cccccccccccccccc", case: "patient.msk" }, // no record at all
    ]);
    const w = medmaskProcess(["worker", "--queue", url, "--queue-name", name, "--workers", "1", "--until-empty"]);
    onTestFinished(() => void (w.proc.exitCode === null && w.proc.kill("SIGKILL")));
    expect(await w.exit).toBe(0);
    const refusals = w.lines.filter((l) => /failed: refused a queued case/.test(l.text));
    expect(refusals.map((l) => l.text), w.text()).toHaveLength(4);
    // Unrecoverable: one attempt each, though the jobs asked for three.
    expect(refusals.every((l) => / attempt 1 failed/.test(l.text))).toBe(true);
    expect(w.text()).toMatch(/not signed with this worker's MEDMASK_QUEUE_SECRET/);
    expect(w.text()).toMatch(/has no record/);
    expect(readFileSync(victim, "utf8")).toBe("the user's own file");
    expect(readdirSync(elsewhere)).toEqual(["victim.msk"]);

    // Without a secret, --in/--out bind the worker: a record for other folders is refused.
    const w2 = medmaskProcess(["worker", "--queue", url, "--queue-name", name, "--workers", "1", "--until-empty", "--in", join(dir, "cases"), "--out", join(dir, "out")], noSecret());
    await addJobs(name, [{ batch: "aaaaaaaaaaaaaaaa", case: "patient.msk" }]);
    expect(await w2.exit).toBe(0);
    expect(w2.text()).toMatch(/refused a queued case: its batch is .*private -> .*elsewhere, not this worker's --in/);
    expect(readdirSync(elsewhere)).toEqual(["victim.msk"]);

    // A signed record (the secret leaked to no one) still binds cases to IN: `..`, paths and
    // cases the producer did not list are refused.
    const { storeRecord } = await import("../../src/cli/batch-record.js");
    const cases = join(dir, "cases");
    mkdirSync(cases);
    mkdirSync(join(dir, "out"));
    maskFile(join(cases, "a.msk"), 5);
    const id = "dddddddddddddddd";
    await client.set(`medmask:batch:${name}:${id}`, storeRecord({ id, queue: name, in: cases, out: join(dir, "out"), to: "msk", force: false, cases: ["a.msk", "../private/patient.msk"] }, TEST_SECRET));
    await addJobs(name, [
      { batch: id, case: "../private/patient.msk" },
      { batch: id, case: secretMask },
      { batch: id, case: "b.msk" },
      { batch: id, case: "a.msk" },
    ]);
    const w3 = medmaskProcess(["worker", "--queue", url, "--queue-name", name, "--workers", "1", "--until-empty"]);
    expect(await w3.exit).toBe(0);
    expect(w3.text()).toMatch(/case "..\/private\/patient.msk" is not an entry of the batch's IN/);
    expect(w3.text()).toMatch(/is not an entry of the batch's IN/);
    expect(w3.text()).toMatch(/case "b.msk" is not one of its batch's cases/);
    expect(w3.text()).toMatch(/^a: ok$/m);
    expect(readdirSync(join(dir, "out"))).toEqual(["a.msk"]);
  }, 90_000);

  it("a batch's case that is a symlink out of IN fails; the others convert", async () => {
    const dir = tempDir();
    const cases = join(dir, "cases");
    mkdirSync(cases);
    maskFile(join(dir, "outside.msk"), 7);
    maskFile(join(cases, "inside.msk"), 3);
    symlinkSync(join(dir, "outside.msk"), join(cases, "link.msk"));
    const p = medmaskProcess(["batch", "convert", cases, join(dir, "out"), "--queue", url, "--workers", "1", "--retries", "0"]);
    expect(await p.exit).toBe(3);
    expect(p.text()).toMatch(/link: FAILED: refused a queued case: .*link\.msk leads outside the batch's folder/);
    expect(p.text()).toMatch(/2 cases: 1 converted, 0 skipped, 1 failed/);
    expect(readdirSync(join(dir, "out"))).toEqual(["inside.msk"]);
  }, 60_000);

  it("two batches with different IN and OUT on one --queue-name each convert their own cases, and count only them", async () => {
    const dir = tempDir();
    const batches = ["one", "two"].map((b) => {
      const cases = join(dir, `${b}-in`);
      mkdirSync(cases);
      for (let i = 0; i < 6; i++) maskFile(join(cases, `case${i}.msk`), 1 + i, `${b}_organ`);
      return { cases, out: join(dir, `${b}-out`), b };
    });
    const runs = batches.map(({ cases, out }) => medmaskProcess(["batch", "convert", cases, out, "--queue", url, "--queue-name", "shared-name", "--workers", "1"]));
    onTestFinished(() => runs.forEach((r) => r.proc.exitCode === null && r.proc.kill("SIGKILL")));
    const codes = await Promise.all(runs.map((r) => r.exit));
    for (const [k, { out, b }] of batches.entries()) {
      expect(codes[k], runs[k]!.text()).toBe(0);
      expect(runs[k]!.text()).toMatch(/6 cases: 6 converted, 0 skipped, 0 failed/);
      expect(readdirSync(out).sort()).toEqual([0, 1, 2, 3, 4, 5].map((i) => `case${i}.msk`));
      for (let i = 0; i < 6; i++) {
        const mask = await loadMask(join(out, `case${i}.msk`));
        expect(mask.mapping.names()).toEqual([`${b}_organ`]);
      }
    }
    // Without a secret, workers are bound to one IN and OUT: a second batch elsewhere on a
    // busy queue name is refused at once, not left to have its cases refused.
    const { storeRecord } = await import("../../src/cli/batch-record.js");
    const running = { id: "eeeeeeeeeeeeeeee", queue: "plain-name", in: join(dir, "slow-in"), out: join(dir, "slow-out"), to: "msk", force: false, cases: ["s.msk"] };
    await client.set(`medmask:batch:plain-name:${running.id}`, storeRecord(running, undefined));
    const second = medmaskProcess(["batch", "convert", batches[0]!.cases, join(dir, "x-out"), "--queue", url, "--queue-name", "plain-name"], noSecret());
    expect(await second.exit).toBe(1);
    expect(second.text()).toMatch(/Queue plain-name is running a batch of .*slow-in -> .*slow-out; give this one another --queue-name/);
    await client.del(`medmask:batch:plain-name:${running.id}`);
    const alone = medmaskProcess(["batch", "convert", batches[0]!.cases, join(dir, "x-out"), "--queue", url, "--queue-name", "plain-name", "--workers", "1"], noSecret());
    expect(await alone.exit, alone.text()).toBe(0);
    expect(alone.text()).toMatch(/join with: medmask worker --queue \S+ --queue-name plain-name --in \S+one-in --out \S+x-out$/m);
  }, 120_000);

  it("batch compare --queue: a worker elsewhere takes cases, the rows come back to the producer's CSV; a compare record's cases stay inside both folders", async () => {
    const dir = tempDir();
    const pred = join(dir, "pred"), truth = join(dir, "truth");
    mkdirSync(pred);
    mkdirSync(truth);
    for (let i = 0; i < 6; i++) {
      maskFile(join(truth, `c${i}.msk`), 40 + i, "liver");
      maskFile(join(pred, `c${i}.msk`), 38 + i, "liver");
    }
    const worker = medmaskProcess(["worker", "--queue", url, "--queue-name", "cmp", "--workers", "1"]);
    onTestFinished(() => void (worker.proc.exitCode === null && worker.proc.kill("SIGKILL")));
    await until(() => /^worker on cmp/m.test(worker.text()), 15_000, "the worker");
    const out = join(dir, "eval.csv");
    const producer = medmaskProcess(["batch", "compare", pred, truth, "--csv", out, "--queue", url, "--queue-name", "cmp", "--workers", "1"]);
    expect(await producer.exit, producer.text()).toBe(0);
    worker.proc.kill("SIGTERM");
    expect(producer.text()).toMatch(/6 cases: 6 compared, 0 failed; 6 rows/);
    const rows = readFileSync(out, "utf8").trim().split("\n").slice(1);
    expect(rows.map((r) => r.split(",")[0])).toEqual(["c0", "c1", "c2", "c3", "c4", "c5"]);
    rows.forEach((r, i) => expect(Number(r.split(",")[7])).toBeCloseTo((2 * (38 + i)) / (78 + 2 * i), 12));
    // A signed compare record naming a reference outside TRUTH is refused case by case.
    const { storeRecord } = await import("../../src/cli/batch-record.js");
    const id = "ffffffffffffffff";
    await client.set(`medmask:batch:cmp2:${id}`, storeRecord({ id, queue: "cmp2", op: "compare", in: pred, out: truth, to: "csv", force: false, cases: ["c0.msk"], truthCases: ["../pred/c1.msk"] }, TEST_SECRET));
    await addJobs("cmp2", [{ batch: id, case: "c0.msk" }]);
    const w = medmaskProcess(["worker", "--queue", url, "--queue-name", "cmp2", "--workers", "1", "--until-empty"]);
    expect(await w.exit).toBe(0);
    expect(w.text()).toMatch(/refused a queued case: case "..\/pred\/c1.msk" is not an entry of the batch's IN/);
  }, 90_000);

  it("Redis restarting empty mid-batch: the producer puts the unfinished cases back and finishes, every output there", async () => {
    const ownPort = await freePort();
    let own = await startRedis(ownPort);
    onTestFinished(() => void own.kill("SIGKILL"));
    const dir = tempDir();
    const cases = join(dir, "cases");
    mkdirSync(cases);
    // Cases that take a while each (8 M voxels), so the restart falls mid-batch.
    const space = new Space({ shape: [128, 256, 256] });
    for (let i = 0; i < 8; i++) {
      const data = new Uint8Array(space.voxelCount);
      data.fill(1, 1000 * i, 1000 * i + 3_000_000);
      writeFileSync(join(cases, `case${i}.msk`), encodeMask(new SegmentationMask(data, { organ: 1 }, space)));
    }
    const out = join(dir, "out");
    const p = medmaskProcess(["batch", "convert", cases, out, "--queue", `redis://127.0.0.1:${ownPort}`, "--workers", "1", "--to", "nii.gz"]);
    onTestFinished(() => void (p.proc.exitCode === null && p.proc.kill("SIGKILL")));
    await until(() => /\[1\/8\]/.test(p.text()), 60_000, "the first case");
    own.kill("SIGKILL");
    await new Promise((r) => own.on("exit", r));
    own = await startRedis(ownPort);
    const code = await Promise.race([p.exit, new Promise((r) => setTimeout(() => r("hung"), 90_000))]);
    expect(code, p.text()).toBe(0);
    expect(p.text()).toMatch(/Redis lost batch .* put its \d+ unfinished case\(s\) back/);
    expect(p.text()).toMatch(/8 cases: \d+ converted, \d+ skipped, 0 failed/);
    for (let i = 0; i < 8; i++) expect(existsSync(join(out, `case${i}.nii.gz`))).toBe(true);
  }, 150_000);
});
