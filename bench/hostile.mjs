// `npm run bench:hostile`: the hostile files of issue 22 at the attack's full size, each read
// in a child process of its own (time and peak RSS are that process's), with the code it ends
// in. The files are built here, in a temporary folder, never stored.
import { execFileSync, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { SegmentationMask, Space, crc32, encodeMask, niftiBytes, writeSegNrrd } from "../dist/node.js";
import { machine } from "./harness.mjs";

const ROOT = new URL("../", import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), "medmask-hostile-"));

/** `head`, then `zeros` bytes of zeros, gzipped as a stream (never held whole); the trailer says `trailer` if given. */
async function gzipFile(path, head, zeros, trailer) {
  await new Promise((resolve, reject) => {
    const gz = createGzip({ level: 1 });
    const out = createWriteStream(path);
    gz.pipe(out).on("finish", resolve).on("error", reject);
    gz.write(head);
    const chunk = new Uint8Array(1 << 20);
    let left = zeros;
    const pump = () => {
      while (left > 0) {
        const n = Math.min(left, chunk.length);
        left -= n;
        if (!gz.write(chunk.subarray(0, n))) return void gz.once("drain", pump);
      }
      gz.end();
    };
    pump();
  });
  if (trailer !== undefined) {
    const { openSync, fstatSync, writeSync, closeSync } = await import("node:fs");
    const fd = openSync(path, "r+");
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, trailer, true);
    writeSync(fd, b, 0, 4, fstatSync(fd).size - 4);
    closeSync(fd);
  }
  return path;
}

/** Runs `code` (a module body with `path` in scope) in a child; its outcome, time and peak RSS. */
function inChild(path, code) {
  const script = `
    import * as medmask from "./dist/node.js";
    const path = ${JSON.stringify(path)};
    const started = performance.now();
    let outcome = "ok";
    try { ${code} } catch (e) { outcome = e.code ?? e.constructor.name; }
    console.log(JSON.stringify({ outcome, ms: performance.now() - started, rss: process.resourceUsage().maxRSS * 1024 }));
  `;
  const r = spawnSync(process.execPath, ["--input-type=module", "-e", script], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) return { outcome: `exit ${r.status ?? r.signal}`, ms: NaN, rss: NaN };
  return JSON.parse(r.stdout.trim().split("\n").pop());
}

/** Runs the CLI with `args`; its exit code, first stderr line and time. */
function cli(...args) {
  const started = performance.now();
  const r = spawnSync(process.execPath, [join(ROOT, "cli/bin/medmask.js"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 120_000 });
  return { outcome: r.signal ? `killed (${r.signal})` : `exit ${r.status}: ${r.stderr.trim().split("\n")[0]?.slice(0, 70)}`, ms: performance.now() - started, rss: NaN };
}

const tiny = new Space({ shape: [2, 2, 2] });
const niftiHead = niftiBytes(new Uint8Array(8), tiny, { gzip: false }).subarray(0, 352);
const GiB = 2 ** 30;
const bomb = await gzipFile(join(dir, "bomb.nii.gz"), niftiHead, GiB, 64);
const nrrdGood = writeSegNrrd(new SegmentationMask(new Uint8Array(1000).fill(1), { a: 1 }, new Space({ shape: [10, 10, 10] })), { gzip: false });
const nrrdHead = new TextDecoder().decode(nrrdGood.subarray(0, nrrdGood.findIndex((b, i) => b === 10 && nrrdGood[i + 1] === 10) + 2));
const nrrdBomb = await gzipFile(join(dir, "bomb.seg.nrrd"), new Uint8Array(0), GiB, 8);
const nrrdBombFile = join(dir, "bomb2.seg.nrrd");
{
  const { readFileSync } = await import("node:fs");
  writeFileSync(nrrdBombFile, new Uint8Array([...new TextEncoder().encode(nrrdHead.replace("encoding: raw", "encoding: gzip")), ...readFileSync(nrrdBomb)]));
}
const layers = join(dir, "layers.seg.nrrd");
writeFileSync(layers, new Uint8Array([...new TextEncoder().encode(nrrdHead.replace("dimension: 3", "dimension: 4").replace(/sizes: (.*)/, "sizes: 10000000 $1").replace(/space directions: /, "space directions: none ").replace(/kinds: /, "kinds: list ")), ...new Uint8Array(9000)]));
// A .msk of all background whose header declares 1024 x 2048 x 2048 (4.3 GB of uint8).
const small = encodeMask(new SegmentationMask(new Uint8Array(1024), {}, new Space({ shape: [1024, 1, 1] })));
const huge = (() => {
  // The header JSON rewritten with the shape widened, its length and CRC kept valid.
  const length = new DataView(small.buffer, small.byteOffset).getUint32(8, true);
  const header = JSON.parse(new TextDecoder().decode(small.subarray(16, 16 + length)));
  header.space.shape = [1024, 2048, 2048];
  const json = new TextEncoder().encode(JSON.stringify(header));
  const out = new Uint8Array(16 + json.length + small.length - 16 - length);
  out.set(small.subarray(0, 16));
  out.set(json, 16);
  out.set(small.subarray(16 + length), 16 + json.length);
  new DataView(out.buffer).setUint32(8, json.length, true);
  new DataView(out.buffer).setUint32(12, crc32(json), true);
  return out;
})();
const hugePath = join(dir, "huge.msk");
writeFileSync(hugePath, huge);
const zero = join(dir, "zero.msk");
symlinkSync("/dev/zero", zero);
const cases = join(dir, "cases");
mkdirSync(cases);
execFileSync("mkfifo", [join(cases, "a.msk")]);
writeFileSync(join(cases, "b.msk"), encodeMask(new SegmentationMask(new Uint8Array(8).fill(1, 0, 2), { a: 1 }, tiny)));

// The attack's figures (before), from the issue; after: measured here now.
const rows = [
  ["NIfTI gzip bomb, 1 GiB of zeros, lying trailer: loadNifti", "648 s, 6.6 GB", inChild(bomb, "await medmask.loadNifti(path)")],
  ["the same bytes: readNifti", "42 s, 3.1 GB", inChild(bomb, "medmask.readNifti(new Uint8Array((await import('node:fs')).readFileSync(path)))")],
  [".seg.nrrd gzip bomb (1 GiB): decodeSegNrrd", "34 s, 3.3 GB", inChild(nrrdBombFile, "medmask.decodeSegNrrd(new Uint8Array((await import('node:fs')).readFileSync(path)))")],
  ["9.9 KB .seg.nrrd declaring 10^7 layers", "2.4 GB", inChild(layers, "medmask.decodeSegNrrd(new Uint8Array((await import('node:fs')).readFileSync(path)))")],
  [`${huge.length}-byte .msk declaring 1024x2048x2048: loadMask`, "4.15 GB", inChild(hugePath, "await medmask.loadMask(path)")],
  ["medmask info on a symlink to /dev/zero", "grows ~120 MB/s, never ends", cli("info", zero)],
  ["medmask batch over a FIFO named case.msk", "hangs forever", cli("batch", "convert", cases, join(dir, "out"))],
];
console.log(`medmask hostile files on ${machine()}`);
console.log(["case", "before (the attack)", "after: outcome", "after: ms", "after: peak RSS MB"].join(" | "));
for (const [what, before, r] of rows) console.log([what, before, r.outcome, r.ms.toFixed(0), Number.isNaN(r.rss) ? "" : (r.rss / 1e6).toFixed(0)].join(" | "));
rmSync(dir, { recursive: true, force: true });
