// `npm run bench`: every suite on the real mask, one table of ratios measured in one run.
import { loadRealMask, machine, printTable } from "./harness.mjs";
import { queryRows } from "./queries.bench.mjs";
import { buildRows } from "./build.bench.mjs";
import { fileRows, pythonArchiveRows, zstdRows } from "./files.bench.mjs";
import { ctRows } from "./ct.bench.mjs";
import { pythonRows } from "./python.bench.mjs";
import { layerFileRows, layerRows } from "./layers.bench.mjs";
import { dicomRows } from "./dicom.bench.mjs";
import { platformRows } from "./platform.bench.mjs";
import { compareRows } from "./compare.bench.mjs";
import { cleanRows } from "./clean.bench.mjs";
import { geometryRows } from "./geometry.bench.mjs";
import { surfaceRows } from "./surfaces.bench.mjs";
import { rtstructRows } from "./rtstruct.bench.mjs";
import { formatRows } from "./formats.bench.mjs";
import { memoryRows } from "./memory.bench.mjs";
import { onHugePages, restartOnHugePages } from "./huge-pages.mjs";
import { execFileSync } from "node:child_process";
import { fileURLToPath } from "node:url";

const f = (v) => (v === undefined ? "" : v < 10 ? v.toFixed(2) : v < 100 ? v.toFixed(1) : v.toFixed(0));

// `npm run bench [queries|building|layers|dicom|platform|files|python|compare|clean|formats|geometry|surfaces|rtstruct|memory|ct ...]`: the suites named, or all of them.
const asked = process.argv.slice(2);
const wanted = (suite) => asked.length === 0 || asked.includes(suite);

const restarted = restartOnHugePages();
if (restarted !== null) process.exit(restarted);

const onlyCt = asked.length === 1 && asked[0] === "ct";
const { mask, layered, masks, space } = onlyCt ? {} : await loadRealMask();
// The CT suite's child process (below) leaves the heading to its parent.
if (!process.env.MEDMASK_BENCH_CHILD) {
  console.log(`medmask bench on ${machine()}; large arrays on ${onHugePages() ? "huge pages (glibc.malloc.hugetlb=1, as numpy has them)" : "default pages (MEDMASK_SMALL_PAGES=1)"}`);
  if (!onlyCt) console.log(`Real mask: ${masks.length} TotalSegmentator organs in one uint8 volume, ${space.shape.join("x")} = ${(mask.data.length / 1e6).toFixed(1)} M voxels`);
  console.log("copy = Uint8Array.prototype.set of the mask's bytes, measured beside every row of a table (the median of those is shown); times are medians of benchmark.js samples");
}
if (wanted("queries")) printTable("Queries", queryRows(mask));
if (wanted("building")) printTable("Building, checking, encoding", buildRows(mask, masks, space));
if (wanted("layers")) {
  const { rows, across, layers, second } = layerRows(mask, layered);
  console.log(`\nLayers: the 117 organs with every voxel kept (${layers} layers, ${second} organs in layer 1) against one layer (later organs over earlier); the union is ${across.join(", ")}. Medians of the two called alternately, ms`);
  console.log(["query", "wasm one layer", "wasm layered", "layered/one", "js one layer", "js layered", "layered/one"].join(" | "));
  for (const r of rows) console.log([r.name, f(r.wasm[0]), f(r.wasm[1]), (r.wasm[1] / r.wasm[0]).toFixed(2), f(r.js[0]), f(r.js[1]), (r.js[1] / r.js[0]).toFixed(2)].join(" | "));
  for (const r of layerFileRows(mask, layered)) console.log(`  native file, ${r.what}: ${r.bytes} B, encode ${r.encodeMs.toFixed(1)} ms, decode ${r.decodeMs.toFixed(1)} ms (wasm)`);
}

if (wanted("dicom")) {
  console.log("\nDICOM SEG (BINARY): medmask encode / decode per backend; decode of the same file by dcmjs (read + naturalize + BitArray.unpack) and pydicom (dcmread + pixel_array, best of 3, in Python), ms");
  console.log(["mask", "bytes", "segments", "encode wasm", "encode js", "decode wasm", "decode js", "copy", "dcmjs", "pydicom", "pydicom/medmask", "dcmjs/medmask"].join(" | "));
  for (const r of dicomRows(layered)) {
    const best = Math.min(r["decode wasm"], r["decode js"]);
    console.log([r.what, r.bytes, r.segments, f(r["encode wasm"]), f(r["encode js"]), f(r["decode wasm"]), f(r["decode js"]), f(r.copy), f(r.dcmjs), f(r.pydicom), r.pydicom ? (r.pydicom / best).toFixed(1) : "", (r.dcmjs / best).toFixed(1)].join(" | "));
  }
}

if (wanted("compare")) {
  console.log("\nCompare (compareMasks of every label: Dice, Hausdorff, HD95, ASSD, NSD) beside scipy on each organ's box, in this run, ms (medians)");
  console.log(["pair", "wasm", "js", "js/wasm", "scipy", "scipy/wasm"].join(" | "));
  for (const r of compareRows(mask)) {
    console.log([r.what, f(r.wasm), f(r.js), (r.js / r.wasm).toFixed(1), Number.isNaN(r.scipy.ms) ? r.scipy.why : f(r.scipy.ms), Number.isNaN(r.scipy.ms) ? "" : (r.scipy.ms / r.wasm).toFixed(1)].join(" | "));
  }
}

if (wanted("clean")) {
  console.log("\nClean (components and morphology) beside scipy's ndimage in this run, ms (medians; scipy best of 3); cc3d's README reports ~500 megavoxels/s for one label, for scale");
  console.log(["operation", "wasm", "js", "js/wasm", "scipy", "scipy/wasm", "megavoxels/s (wasm)"].join(" | "));
  for (const r of cleanRows(mask)) console.log([r.what, f(r.wasm), f(r.js), (r.js / r.wasm).toFixed(1), r.scipy === undefined ? "" : f(r.scipy), r.scipy === undefined ? "" : (r.scipy / r.wasm).toFixed(1), r.mvps === undefined ? "" : r.mvps.toFixed(0)].join(" | "));
}

if (wanted("formats")) {
  console.log("\nOther tools' formats: the 117-organ mask read from disk by loadMask (by content) beside nibabel / VTK reading the same file, in this run, ms (medians of 7)");
  console.log(["file", "medmask", "theirs", "who", "theirs/medmask"].join(" | "));
  for (const r of await formatRows(mask)) console.log([r.what, f(r.ours), f(r.theirs), r.who, r.theirs === undefined ? "" : (r.theirs / r.ours).toFixed(1)].join(" | "));
}

if (wanted("geometry")) {
  console.log("\nGeometry (resample, reorient) beside scipy's map_coordinates (order 0, the same positions) and a copy of the same bytes (new array + TypedArray.set), in this run, ms (medians)");
  console.log(["operation", "wasm", "js", "js/wasm", "scipy", "scipy/wasm", "copy", "wasm/copy"].join(" | "));
  for (const r of geometryRows(mask)) console.log([r.what, f(r.wasm), f(r.js), (r.js / r.wasm).toFixed(1), f(r.scipy), r.scipy === undefined ? "" : (r.scipy / r.wasm).toFixed(1), f(r.copy), r.copy === undefined ? "" : (r.wasm / r.copy).toFixed(2)].join(" | "));
}

if (wanted("surfaces")) {
  const { rows, peak } = await surfaceRows(mask);
  console.log("\nSurfaces (meshLabels: surface nets, closed, every organ in one call) beside VTK's vtkDiscreteMarchingCubes and vtkDiscreteFlyingEdges3D on the same labels, in this run, ms (medians; VTK best of 3)");
  console.log(["operation", "wasm", "js", "js/wasm", "VTK marching cubes", "VTK/wasm", "VTK flying edges", "FE/wasm", "VTK triangles"].join(" | "));
  for (const r of rows) console.log([r.what, f(r.wasm), f(r.js), (r.js / r.wasm).toFixed(1), f(r.vtk), r.vtk === undefined ? "" : (r.vtk / r.wasm).toFixed(1), f(r.flyingEdges), r.flyingEdges === undefined ? "" : (r.flyingEdges / r.wasm).toFixed(1), r.vtkTriangles ?? ""].join(" | "));
  console.log(`CT-sized case in a process of its own: ${peak.before.toFixed(0)} MB before meshing (the mask made), ${peak.peak.toFixed(0)} MB peak (max RSS)`);
}

if (wanted("rtstruct")) {
  console.log("\nRT Structure Sets: the command line beside plastimatch, whole processes, in this run, ms (medians of 3)");
  console.log(["operation", "medmask", "plastimatch", "plastimatch / medmask"].join(" | "));
  for (const r of rtstructRows()) console.log([r.what, f(r.ours), f(r.theirs), r.theirs === undefined ? "" : (r.theirs / r.ours).toFixed(1)].join(" | "));
}

if (wanted("memory")) {
  console.log("\nPeak memory of the command line on the 117-organ case (10.1 MB per volume), each command a process of its own: max RSS, MB");
  console.log(["command", "max RSS MB", "s", "volumes held at once", "RSS / (3 x those volumes)"].join(" | "));
  for (const r of memoryRows()) console.log([r.what, f(r.mb), f(r.seconds), r.volumes, r.volumes === 0 ? "" : (r.mb / (3 * r.bound)).toFixed(2)].join(" | "));
}

if (wanted("platform")) {
  console.log("\nPlatform choices the code's comments name: what is used against what it was chosen over, ms (median of benchmark.js samples)");
  console.log(["choice", "used", "ms", "other", "ms", "other/used"].join(" | "));
  for (const r of platformRows(mask, masks)) console.log([r.name, r.usedWhat, f(r.used), r.otherWhat, f(r.other), (r.other / r.used).toFixed(2)].join(" | "));
}

if (wanted("files")) {
  const { rows, copyMs, sliceMs } = await fileRows(mask, masks, space);
  console.log(`\nFiles (the multi-label mask's bytes: copy into a buffer ${f(copyMs)} ms, into a fresh buffer (slice) ${f(sliceMs)} ms)`);
  console.log(["what", "bytes", "x python", "write ms", "read ms", "read/copy", "read/slice", "read into out ms (/copy)", "one entry ms (into out)", "lossless", "python"].join(" | "));
  for (const r of rows) {
    const into = r.decodeIntoMs === undefined ? "" : `${f(r.decodeIntoMs)} (${r.decodeIntoPerCopy.toFixed(1)})`;
    console.log([r.what, r.bytes, r.vsPython.toFixed(2), `${f(r.encodeMs)} ${r.encodeNote ?? ""}`.trim(), f(r.decodeMs), r.decodePerCopy ? r.decodePerCopy.toFixed(1) : "", r.decodePerSlice ? r.decodePerSlice.toFixed(1) : "", into, r.oneMs === undefined ? "" : `${f(r.oneMs)} (${f(r.oneIntoMs)})`, r.lossless ? "yes (SHA-256)" : "NO", r.python].join(" | "));
    if (r.runs) console.log(`  ${r.runs}`);
  }
  const py = await pythonArchiveRows();
  console.log(`\nReading Python files: the 117 organs in the Python library's archive layout (bool entries, packbits + zstd, ${py.rows[0].bytes} B)`);
  for (const r of py.rows) {
    console.log(`  [${r.backend}] read all ${f(r.readAllMs)} ms (median of ${r.reads.map((x) => x.toFixed(0)).join("/")}; Python reads its own archive in ${py.python.archiveReadAllMs} ms), one entry ${f(r.oneMs)} ms (Python ${py.python.archiveOneMs} ms), the multi-label .msk (${r.mskBytes} B) ${f(r.mskMs)} ms (Python ${py.python.loadMs} ms)`);
  }
  console.log("\nzstd decoders on the real mask as one zstd frame (Python files are zstd):");
  for (const r of await zstdRows()) console.log(`  ${r.decoder.padEnd(16)} ${f(r.ms)} ms`);
}

if (wanted("python")) {
  const { rows, zstd } = await pythonRows(mask, masks, space, async () => {
    // The python suite runs last of the in-process suites: the organs' binaries go here.
    masks.length = 0;
    globalThis.gc?.();
    await new Promise((resolve) => setTimeout(resolve, 100));
  });
  console.log(`\nPython files both ways (medmask's zstd here: ${zstd}; Python: the real library, measured in this run; ms are medians)`);
  console.log(["what", "medmask bytes", "Python bytes", "medmask write", "Python write", "medmask reads ours", "medmask reads Python's (into a buffer)", "Python reads its own", "Python reads ours"].join(" | "));
  for (const r of rows) {
    console.log([r.what, r.bytes, r.pythonBytes, f(r.write), f(r.pyWrite), f(r.readOwn), `${f(r.readTheirs)}${r.readTheirsOut === undefined ? "" : ` (${f(r.readTheirsOut)})`}`, f(r.pyReadOwn), f(r.pyReadOurs)].join(" | "));
  }
}

if (wanted("ct") && !onlyCt) {
  // In a process of its own, so its memory figures are its own (this one holds the 117
  // real masks, 1.2 GB).
  execFileSync(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), "ct"], {
    stdio: ["ignore", "inherit", "inherit"],
    env: { ...process.env, MEDMASK_BENCH_CHILD: "1" },
  });
} else if (onlyCt) {
  const ct = ctRows();
  printTable(`CT-sized synthetic masks, 512x512x300 = 78.6 M voxels`, ct.rows);
  console.log(
    `Memory: peak RSS ${ct.peakMiB.toFixed(0)} MiB (the whole run, with the fresh outputs the timing loops leave to the collector); ` +
      `RSS after a collection ${ct.liveMiB.toFixed(0)} MiB (both masks, their outputs and encoded files alive); WASM memory ${ct.wasmMiB.toFixed(1)} MiB`,
  );
}
