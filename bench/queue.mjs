// `npm run bench:queue`: cases/s of one batch of 24 CT-sized cases (.nii.gz -> .msk) on the
// local pool and on a BullMQ queue on a real redis-server (started here on a port of its own),
// and what a worker killed mid-run costs. Needs /usr/bin/redis-server.
import { spawn } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Space, niftiBytes } from "../dist/node.js";
import { machine } from "./harness.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "medmask-queue-bench-"));
const cases = join(dir, "cases");
mkdirSync(cases);
const space = new Space({ shape: [64, 256, 256] });
for (let i = 0; i < 24; i++) {
  const data = new Uint8Array(space.voxelCount);
  data.fill(1, 1000 * i, 1000 * i + 2_000_000);
  data.fill(2, 2_500_000, 2_600_000 + i);
  writeFileSync(join(cases, `case${String(i).padStart(2, "0")}.nii.gz`), niftiBytes(data, space));
}

const port = 20000 + Math.floor(Math.random() * 20000);
const redis = spawn("/usr/bin/redis-server", ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: "ignore" });
await new Promise((r) => setTimeout(r, 500));
const url = `redis://127.0.0.1:${port}`;

function cli(args, onLine) {
  const proc = spawn(process.execPath, [join(ROOT, "cli/bin/medmask.js"), ...args], { stdio: ["ignore", "ignore", "pipe"], env: { ...process.env, MEDMASK_QUEUE_SECRET: process.env.MEDMASK_QUEUE_SECRET || "bench-secret" } });
  let rest = "";
  proc.stderr.on("data", (d) => {
    const parts = (rest + d).split("\n");
    rest = parts.pop();
    for (const l of parts) onLine?.(l, proc);
  });
  return { proc, done: new Promise((resolve) => proc.on("close", resolve)) };
}

let run = 0;
async function timed(label, producerArgs, workers = 0, kill = false) {
  const out = join(dir, `out${run++}`);
  const name = `bench-${run}`;
  const common = ["--queue", url, "--queue-name", name, "--workers", "1", "--stall-seconds", "2"];
  const extra = [];
  for (let w = 0; w < workers; w++) {
    let oks = 0;
    extra.push(cli(["worker", ...common], (line, proc) => kill && w === 0 && / ok$/.test(line) && ++oks === 2 && proc.kill("SIGKILL")));
  }
  await new Promise((r) => setTimeout(r, workers ? 1500 : 0)); // the workers connect
  const started = performance.now();
  const args = producerArgs === "local" ? ["batch", "convert", cases, out, "--workers", String(workers + 1)] : ["batch", "convert", cases, out, ...common];
  await cli(args).done;
  const s = (performance.now() - started) / 1000;
  for (const w of extra) w.proc.kill("SIGTERM");
  await Promise.all(extra.map((w) => w.done));
  return { label, seconds: s, casesPerSecond: 24 / s };
}

const rows = [
  await timed("local pool, 1 thread", "local", 0),
  await timed("local pool, 2 threads", "local", 1),
  await timed("queue: producer alone (1 thread)", "queue", 0),
  await timed("queue: producer + 1 worker process (1 thread each)", "queue", 1),
  await timed("queue: producer + 2 workers, one SIGKILLed after 2 cases (stall 2 s)", "queue", 2, true),
];
console.log(`medmask queue bench on ${machine()}: 24 cases of 64x256x256 uint8 (.nii.gz -> .msk)`);
console.log("what | s | cases/s");
for (const r of rows) console.log(`${r.label} | ${r.seconds.toFixed(2)} | ${r.casesPerSecond.toFixed(2)}`);
redis.kill("SIGTERM");
rmSync(dir, { recursive: true, force: true });
