// Queries on the real 117-organ mask: label statistics, one name, unions of 6 and 24 names
// (into a fresh array and into a caller's buffer), and the JS/WASM boundary's own cost.
import { wasmBackend } from "../dist/index.js";
import { compare, measure, median } from "./harness.mjs";
import { naiveTimes } from "./naive.mjs";
import { numpyTimes } from "./numpy.mjs";

const f = (v) => v.toFixed(v < 10 ? 2 : 1);

export function queryRows(mask) {
  const names = mask.mapping.names();
  const six = ["hip_left", "hip_right", "sacrum", "femur_left", "femur_right", "urinary_bladder"];
  const many = names.slice(0, 24);
  const out = new Uint8Array(mask.data.length);
  const naive = naiveTimes(mask, six.map((n) => mask.mapping.get(n)));
  // numpy and the Python library on the same mask, in this run.
  const np = numpyTimes(six, many);
  const vs = (what, ms, wasm) => (np ? `${what} ${f(ms)} ms (ours / theirs ${(wasm / ms).toFixed(2)})` : "");
  const row = (what, fn, python) => {
    const r = compare(what, fn, mask.data);
    return { ...r, python: python?.(r.wasm) };
  };
  const rows = [
    row("labelStats (counts + boxes, all labels)", () => mask.labelStats(), (w) => `${vs("numpy np.bincount (counts only)", np?.bincount, w)}; np.unique ${np ? f(np.unique) : "-"} ms; naive JS here: histogram ${f(naive.histogram)} + boxes ${f(naive.boxes)} ms`),
    { ...compare("presentLabels", () => mask.presentLabels(), mask.data), python: `naive JS histogram here ${f(naive.histogram)} ms` },
    row("one name, new array", () => mask.getBinaryMaskByNames("colon"), (w) => vs("Python get_binary_mask_by_names", np?.oneName, w)),
    { ...compare("one name, into out", () => mask.getBinaryMaskByNames("colon", { out }), mask.data) },
    row("6-name union, new array", () => mask.getBinaryMaskByNames(six), (w) => `${vs("Python get_binary_mask_by_names", np?.six, w)}; naive JS LUT here ${f(naive.union6)} ms`),
    { ...compare("6-name union, into out", () => mask.getBinaryMaskByNames(six, { out }), mask.data) },
    row("24-name union, new array", () => mask.getBinaryMaskByNames(many), (w) => vs("Python get_binary_mask_by_names", np?.many, w)),
    { ...compare("24-name union, into out", () => mask.getBinaryMaskByNames(many, { out }), mask.data) },
  ];
  // The same queries on a resident copy (voxels in WASM memory of their own): kernels run
  // in place, and a binary mask written into the mask's own buffer never crosses either.
  const live = mask.toResident();
  const buffer = live.maskBuffer();
  rows.push(
    { ...compare("resident: labelStats", () => live.labelStats(), mask.data), python: "no copy in (marshalling 0)" },
    { ...compare("resident: one name, into maskBuffer()", () => live.getBinaryMaskByNames("colon", { out: buffer }), mask.data), python: "no copy in or out" },
    { ...compare("resident: 6-name union, into maskBuffer()", () => live.getBinaryMaskByNames(six, { out: buffer }), mask.data) },
    { ...compare("resident: 24-name union, into maskBuffer()", () => live.getBinaryMaskByNames(many, { out: buffer }), mask.data) },
    { ...compare("resident: one name, into out (one copy out)", () => live.getBinaryMaskByNames("colon", { out }), mask.data) },
  );
  // The boundary alone: the volume streamed into WASM memory (what a scan pays), and in +
  // one output byte per voxel back out (what a binary mask into `out` pays), no kernel.
  const wasm = wasmBackend();
  const marshalIn = measure("marshalling in", () => wasm.marshalOnly(mask.data)).mean;
  const marshalInOut = measure("marshalling in + out", () => wasm.marshalOnly(mask.data, out)).mean;
  const share = (part, name) => `${((100 * part) / rows.find((r) => r.name === name).wasm).toFixed(0)}% of ${name} (wasm)`;
  rows.push({ name: "marshalling: volume in", wasm: marshalIn, copy: rows[0].copy, bytes: rows[0].bytes, python: share(marshalIn, "labelStats (counts + boxes, all labels)") });
  rows.push({ name: "marshalling: volume in + mask out", wasm: marshalInOut, copy: rows[0].copy, bytes: rows[0].bytes, python: share(marshalInOut, "one name, into out") });
  // A resident mask pays its one copy once, into fresh WASM memory (page faults included).
  const once = [];
  for (let i = 0; i < 5; i++) {
    const t = performance.now();
    mask.toResident().dispose();
    once.push(performance.now() - t);
  }
  rows.push({ name: "marshalling: toResident(), once per mask", wasm: median(once), copy: rows[0].copy, bytes: rows[0].bytes, python: "then 0 per query (the resident rows above)" });
  return rows;
}
