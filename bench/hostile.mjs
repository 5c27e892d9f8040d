// `npm run bench:hostile`: the hostile files of issue 22 at the attack's full size, each read
// in a child process of its own (time and peak RSS are that process's), with the code it ends
// in. The files are built here, in a temporary folder, never stored.
import { execFileSync, spawnSync } from "node:child_process";
import { createWriteStream, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createGzip } from "node:zlib";
import { MaskArchive, SegmentationMask, Space, crc32, encodeDicomSeg, encodeMask, encodeNifti, niftiBytes, encodeSegNrrd } from "../src/node.ts"; // built files from the sources (tsx); the children read them with dist/
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
const nrrdGood = encodeSegNrrd(new SegmentationMask(new Uint8Array(1000).fill(1), { a: 1 }, new Space({ shape: [10, 10, 10] })), { gzip: false });
const nrrdHead = new TextDecoder().decode(nrrdGood.subarray(0, nrrdGood.findIndex((b, i) => b === 10 && nrrdGood[i + 1] === 10) + 2));
const nrrdBomb = await gzipFile(join(dir, "bomb.seg.nrrd"), new Uint8Array(0), GiB, 8);
const nrrdBombFile = join(dir, "bomb2.seg.nrrd");
{
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

// Reliability III (issue 31): files whose structure is the attack. Built with the tests'
// helpers (run under tsx: npm run bench:hostile).
const { replaceArchiveIndex } = await import("../test/helpers/native-file.ts");
const { rleSeg } = await import("../test/helpers/rle-seg.ts");
const { encodeDicomFile } = await import("../src/dicom/write.ts");
const nulIndex = join(dir, "nul-index.mska");
{
  const archive = await MaskArchive.create(nulIndex, { space: tiny });
  archive.add("a", new SegmentationMask(new Uint8Array(8).fill(1), { a: 1 }, tiny));
  await archive.close();
  const plain = new Uint8Array(200_001);
  plain[200_000] = 0x7d;
  writeFileSync(nulIndex, replaceArchiveIndex(new Uint8Array(readFileSync(nulIndex)), plain));
}
const SEG_CLASS = "1.2.840.10008.5.1.4.1.1.66.4";
const spaces = join(dir, "spaces.dcm");
writeFileSync(spaces, encodeDicomFile([[0x00620005, "LO", "x" + " ".repeat(65_000) + "y"]], SEG_CLASS, "1.2.3", "bench"));
const nested = join(dir, "nested.dcm");
{
  const head = encodeDicomFile([], SEG_CLASS, "1.2.3", "bench");
  const open = Uint8Array.of(0x08, 0x00, 0x15, 0x11, 0x53, 0x51, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0x00, 0xe0, 0xff, 0xff, 0xff, 0xff);
  const close = Uint8Array.of(0xfe, 0xff, 0x0d, 0xe0, 0, 0, 0, 0, 0xfe, 0xff, 0xdd, 0xe0, 0, 0, 0, 0);
  const parts = [head, ...Array(20_000).fill(open), ...Array(20_000).fill(close)];
  writeFileSync(nested, Buffer.concat(parts));
}
const niftiExt = join(dir, "ext.nii");
{
  const plain = encodeNifti(new SegmentationMask(new Uint8Array(8).fill(3), { a: 3 }, tiny), { gzip: false });
  const size = 8 + 65_008;
  const out = new Uint8Array(352 + size + 8);
  out.set(plain.subarray(0, 352));
  const view = new DataView(out.buffer);
  view.setFloat32(108, 352 + size, true);
  out[348] = 1;
  view.setInt32(352, size, true);
  view.setInt32(356, 6, true);
  out[352 + size - 1] = 0x78;
  out.set(plain.subarray(plain.length - 8), 352 + size);
  writeFileSync(niftiExt, out);
}
const manyFrames = join(dir, "frames.dcm");
{
  const n = 60_000;
  const seg = SegmentationMask.lazyInit(8, { space: new Space({ shape: [n, 1, 1] }) });
  for (let l = 1; l <= 5; l++) seg.addLabel(new Uint8Array(n).fill(1), l, `organ${l}`, { onOverlap: "layer" });
  writeFileSync(manyFrames, encodeDicomSeg(seg));
}
const sixLayers = join(dir, "layers.dcm");
{
  const space = new Space({ shape: [64, 512, 512] });
  const seg = SegmentationMask.lazyInit(8, { space });
  for (let l = 1; l <= 6; l++) seg.addLabel(new Uint8Array(space.voxelCount).fill(1, l), l, `s${l}`, { onOverlap: "layer" });
  writeFileSync(sixLayers, encodeDicomSeg(seg));
}
const alternating = join(dir, "alternating-rle.dcm");
{
  const space = new Space({ shape: [1, 8192, 8192] });
  const data = new Uint8Array(space.voxelCount);
  for (let i = 0; i < data.length; i += 2) data[i] = 1;
  writeFileSync(alternating, rleSeg(new SegmentationMask(data, { checker: 1 }, space), (8192 * 8192) / 8));
}
// Deflated data sets, made by pydicom (python3-pydicom): one inflating to 500 MiB (a private
// OB element of zeros), one FRACTIONAL frame of 4096 x 4096 alternating values (17 KB).
const deflated = join(dir, "deflated.dcm"), fractional = join(dir, "fractional.dcm");
const python = spawnSync("/usr/bin/python3", ["-c", `
import sys, numpy as np, pydicom
from pydicom.uid import DeflatedExplicitVRLittleEndian
src = "${join(ROOT, "test/fixtures/dicom-seg/highdicom/seg_image_ct_true_fractional.dcm")}"
def deflate(d):
    # The source is implicit VR: pydicom writes what the flags say, not what the UID says.
    d.file_meta.TransferSyntaxUID = DeflatedExplicitVRLittleEndian
    d.is_implicit_VR = False
    d.is_little_endian = True
d = pydicom.dcmread(src)
deflate(d)
d.add_new(0x00091010, "OB", bytes(500 * 2**20))
d.save_as("${deflated}")
d = pydicom.dcmread(src)
d.Rows = d.Columns = 4096
d.NumberOfFrames = 1
d.PerFrameFunctionalGroupsSequence = d.PerFrameFunctionalGroupsSequence[:1]
d.PixelData = np.tile(np.array([0, 255], np.uint8), 4096 * 2048).tobytes()
deflate(d)
d.save_as("${fractional}")
`], { encoding: "utf8" });
const pydicomFiles = python.status === 0;
if (!pydicomFiles) console.warn(`pydicom rows skipped (apt-get install python3-pydicom python3-numpy): ${python.stderr.trim().split("\n").pop()}`);
const readFile = (call) => `medmask.${call}(new Uint8Array((await import('node:fs')).readFileSync(path)))`;

// The attack's figures (before), from the issue; after: measured here now.
const rows = [
  ["baseline: a child that imports medmask and reads nothing", "", inChild(nulIndex, "")],
  ["NIfTI gzip bomb, 1 GiB of zeros, lying trailer: loadNifti", "648 s, 6.6 GB", inChild(bomb, "await medmask.loadNifti(path)")],
  ["the same bytes: readNifti", "42 s, 3.1 GB", inChild(bomb, "medmask.readNifti(new Uint8Array((await import('node:fs')).readFileSync(path)))")],
  [".seg.nrrd gzip bomb (1 GiB): decodeSegNrrd", "34 s, 3.3 GB", inChild(nrrdBombFile, "medmask.decodeSegNrrd(new Uint8Array((await import('node:fs')).readFileSync(path)))")],
  ["9.9 KB .seg.nrrd declaring 10^7 layers", "2.4 GB", inChild(layers, "medmask.decodeSegNrrd(new Uint8Array((await import('node:fs')).readFileSync(path)))")],
  [`${huge.length}-byte .msk declaring 1024x2048x2048: loadMask`, "4.15 GB", inChild(hugePath, "await medmask.loadMask(path)")],
  ["medmask info on a symlink to /dev/zero", "grows ~120 MB/s, never ends", cli("info", zero)],
  ["medmask batch over a FIFO named case.msk", "hangs forever", cli("batch", "convert", cases, join(dir, "out"))],
  ["251-byte .mska, deflated index of 200,000 NULs: MaskArchive.open", "hangs (time ~ N^2)", inChild(nulIndex, "await medmask.MaskArchive.open(path)")],
  ["DICOM string of 65,000 spaces: decodeDicomSeg", "5-12 s", inChild(spaces, readFile("decodeDicomSeg"))],
  ["NIfTI extension of 65,000 NULs: decodeNifti", "4-5 s", inChild(niftiExt, `await ${readFile("decodeNifti")}`)],
  ["20,000 nested undefined-length sequences (720 KB): decodeDicomSeg", "RangeError (stack)", inChild(nested, readFile("decodeDicomSeg"))],
  ["valid SEG of 300,000 1x1 frames: decodeDicomSeg", "RangeError (stack)", inChild(manyFrames, readFile("decodeDicomSeg"))],
  ["SEG, 6 overlapping 16 MiB segments, maxBytes 16 MiB", "6 layers (96 MiB) read", inChild(sixLayers, `medmask.decodeDicomSeg(new Uint8Array((await import('node:fs')).readFileSync(path)), { maxBytes: 16 * 2 ** 20 })`)],
  ["SEG, one 8192x8192 RLE frame of alternating bits: decodeDicomSeg", "650-770 MB (WASM), 1.6 GB (JS)", inChild(alternating, readFile("decodeDicomSeg"))],
  ...(pydicomFiles
    ? [
        ["deflated SEG data set inflating to 500 MiB: decodeDicomSeg", "1.15 GB", inChild(deflated, `medmask.decodeDicomSeg(new Uint8Array((await import('node:fs')).readFileSync(path)), { maxBytes: 2 ** 30 })`)],
        ["17 KB FRACTIONAL frame of alternating values (16 MiB mask)", "560 MB", inChild(fractional, readFile("decodeDicomSeg"))],
      ]
    : []),
];
console.log(`medmask hostile files on ${machine()}`);
console.log(["case", "before (the attack)", "after: outcome", "after: ms", "after: peak RSS MB"].join(" | "));
for (const [what, before, r] of rows) console.log([what, before, r.outcome, r.ms.toFixed(0), Number.isNaN(r.rss) ? "" : (r.rss / 1e6).toFixed(0)].join(" | "));
rmSync(dir, { recursive: true, force: true });
