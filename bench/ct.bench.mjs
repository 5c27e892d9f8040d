// The same operations on CT-sized synthetic masks: 512x512x300 uint8 with 100 labels and
// uint16 with 1,000 labels (organ-like blocks), on both backends, with the copy floor.
import { SegmentationMask, Space, decodeMask, decodeSegNrrd, encodeMask, wasmMemoryBytes, encodeSegNrrd } from "../dist/node.js";
import { compare } from "./harness.mjs";

export function synthetic(bitDepth, labels) {
  const shape = [300, 512, 512];
  const data = bitDepth === 16 ? new Uint16Array(300 * 512 * 512) : new Uint8Array(300 * 512 * 512);
  const perAxis = Math.ceil(Math.cbrt(labels));
  const [bz, by, bx] = [300, 512, 512].map((n) => Math.ceil(n / perAxis));
  for (let z = 0; z < 300; z++)
    for (let y = 0; y < 512; y++) {
      const row = (z * 512 + y) * 512;
      for (let xb = 0; xb < perAxis; xb++) {
        const label = 1 + ((Math.floor(z / bz) * perAxis + Math.floor(y / by)) * perAxis + xb);
        if (label > labels) continue;
        // Organs do not fill their blocks: leave a margin of background around each.
        if (z % bz < 2 || y % by < 2) continue;
        data.fill(label, row + xb * bx + 2, Math.min(row + (xb + 1) * bx - 2, row + 512));
      }
    }
  return new SegmentationMask(data, undefined, new Space({ shape, spacing: [1, 0.7, 0.7] }), { bitDepth });
}

/**
 * Rows for both CT-sized masks, and memory: the process's true peak RSS (which includes the
 * fresh outputs the timing loops leave for the collector), the RSS after a collection with
 * both masks alive, and WASM memory.
 */
export function ctRows() {
  const rows = [];
  let live = 0;
  const settle = () => {
    globalThis.gc?.();
    live = Math.max(live, process.memoryUsage().rss);
  };
  for (const [bitDepth, labels] of [[8, 100], [16, 1000]]) {
    const mask = synthetic(bitDepth, labels);
    const names = mask.mapping.names();
    const six = names.slice(0, 6), many = names.slice(0, 24);
    const bytes = encodeMask(mask);
    const tag = `${bitDepth}-bit, ${labels} labels`;
    const out = new Uint8Array(mask.data.length);
    rows.push({ ...compare(`labelStats [${tag}]`, () => mask.labelStats(), mask.data) });
    rows.push({ ...compare(`one name [${tag}]`, () => mask.getBinaryMaskByNames(names[0]), mask.data) });
    rows.push({ ...compare(`one name, into out [${tag}]`, () => mask.getBinaryMaskByNames(names[0], { out }), mask.data) });
    rows.push({ ...compare(`6-name union [${tag}]`, () => mask.getBinaryMaskByNames(six), mask.data) });
    rows.push({ ...compare(`24-name union [${tag}]`, () => mask.getBinaryMaskByNames(many), mask.data) });
    rows.push({ ...compare(`24-name union, into out [${tag}]`, () => mask.getBinaryMaskByNames(many, { out }), mask.data) });
    {
      const live = mask.toResident();
      const buffer = live.maskBuffer();
      rows.push({ ...compare(`resident: labelStats [${tag}]`, () => live.labelStats(), mask.data) });
      rows.push({ ...compare(`resident: one name, into maskBuffer() [${tag}]`, () => live.getBinaryMaskByNames(names[0], { out: buffer }), mask.data) });
      rows.push({ ...compare(`resident: 24-name union, into maskBuffer() [${tag}]`, () => live.getBinaryMaskByNames(many, { out: buffer }), mask.data) });
      live.dispose();
    }
    settle();
    rows.push({ ...compare(`encode [${tag}] (${bytes.length} B)`, () => encodeMask(mask), mask.data) });
    rows.push({ ...compare(`decode [${tag}]`, () => decodeMask(bytes), mask.data) });
    // Into a buffer a batch reuses: no fresh pages, so the codec's own cost shows.
    const into = new mask.data.constructor(mask.data.length);
    rows.push({ ...compare(`decode into a reused buffer [${tag}]`, () => decodeMask(bytes, { out: into }), mask.data) });
    // 3D Slicer's format at CT size, uncompressed (Slicer gzips; zlib's time would hide ours).
    const nrrd = encodeSegNrrd(mask, { gzip: false });
    rows.push({ ...compare(`Slicer .seg.nrrd save, raw [${tag}]`, () => encodeSegNrrd(mask, { gzip: false }), mask.data) });
    rows.push({ ...compare(`Slicer .seg.nrrd read, raw [${tag}]`, () => decodeSegNrrd(nrrd), mask.data) });
    settle();
  }
  return {
    rows,
    peakMiB: process.resourceUsage().maxRSS / 1024,
    liveMiB: live / 2 ** 20,
    wasmMiB: wasmMemoryBytes() / 2 ** 20,
  };
}
