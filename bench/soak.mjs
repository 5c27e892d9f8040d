// `npm run soak [cycles] [resident]`: load -> query -> dispose the real 117-organ mask, over
// and over; RSS and WASM memory must stay flat. With "resident", each cycle also makes the
// mask resident (a WASM memory of its own) and queries that: those memories must be freed
// too. Run with --expose-gc (the npm script does).
import { decodeMask, encodeMask, getBackend, loadNiftiFolder, wasmMemoryBytes } from "../dist/node.js";
import { DATA_DIR, machine } from "./harness.mjs";

const cycles = Number(process.argv[2] ?? 1000);
const resident = process.argv[3] === "resident";
// Only the encoded file stays alive (the folder is streamed), so the baseline is the
// library's, not the test data's.
const bytes = encodeMask((await loadNiftiFolder(DATA_DIR)).mask);
const mib = (n) => (n / 2 ** 20).toFixed(1);
// ArrayBuffer backing stores are freed after the collection that finds them dead, not
// during it: collect a few times, with pauses, before reading the figures.
const sample = async () => {
  for (let i = 0; i < 4; i++) {
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return { rss: process.memoryUsage().rss, wasm: wasmMemoryBytes(), buffers: process.memoryUsage().arrayBuffers };
};
const cycle = () => {
  const seg = decodeMask(bytes);
  seg.getBinaryMaskByNames(["colon", "sacrum", "urinary_bladder"]);
  seg.labelStats();
  if (resident) {
    const live = seg.toResident();
    live.getBinaryMaskByNames(["colon", "sacrum", "urinary_bladder"], { out: live.maskBuffer() });
    live.labelStats();
    live.dispose();
  }
  seg.dispose();
};
for (let i = 0; i < 10; i++) cycle(); // warm-up: WASM memory grows to its working size once
const before = await sample();
const started = performance.now();
for (let i = 0; i < cycles; i++) cycle();
const after = await sample();
const result = {
  machine: machine(),
  backend: getBackend(),
  resident,
  cycles,
  seconds: +((performance.now() - started) / 1000).toFixed(1),
  rssMiB: [mib(before.rss), mib(after.rss)],
  wasmMiB: [mib(before.wasm), mib(after.wasm)],
  arrayBuffersMiB: [mib(before.buffers), mib(after.buffers)],
};
console.log(JSON.stringify(result));
