// Layers (issue 19): the 117 organs with every voxel kept (organs that share voxels in a
// second layer) against the same organs in one layer (later organs painted over earlier
// ones), query for query, and the native files of each.
import { decodeMask, encodeMask, setBackend } from "../dist/index.js";
import { measure, median } from "./harness.mjs";

/**
 * Medians of `a` and `b` called alternately (`rounds` calls each, after a warm-up): the VM's
 * speed moves between runs by more than the difference measured, so the two are timed side
 * by side, call for call.
 */
function paired(a, b, rounds = 150) {
  for (let i = 0; i < 20; i++) {
    a();
    b();
  }
  const ta = [], tb = [];
  for (let i = 0; i < rounds; i++) {
    let t = performance.now();
    a();
    ta.push(performance.now() - t);
    t = performance.now();
    b();
    tb.push(performance.now() - t);
  }
  return [median(ta), median(tb)];
}

/** Query rows: each query on the one-layer mask and on the layered one, timed alternately, per backend. */
export function layerRows(flat, layered) {
  // The union spans both layers: organs of layer 1 and layer 0.
  const second = layered.mapping.names().filter((n) => layered.layerOf(n) === 1);
  const first = layered.mapping.names().filter((n) => layered.layerOf(n) === 0);
  const across = [...second.slice(0, 3), ...first.slice(0, 3)];
  const one = second[0] ?? "colon";
  const out = new Uint8Array(layered.space.voxelCount);
  const queries = [
    ["labelStats (all labels)", (m) => m.labelStats()],
    [`one name (${one}, in layer ${layered.layerOf(one)}), into out`, (m) => m.getBinaryMaskByNames(one, { out })],
    [`one name (liver, in layer ${layered.layerOf("liver")}), into out`, (m) => m.getBinaryMaskByNames("liver", { out })],
    ["6-name union across both layers, into out", (m) => m.getBinaryMaskByNames(across, { out })],
    ["toBinary (every organ), into out", (m) => m.toBinary({ out })],
  ];
  const [liveFlat, liveLayered] = [flat.toResident(), layered.toResident()];
  const rows = [];
  for (const [title, a, b] of [["", flat, layered], ["resident, ", liveFlat, liveLayered]]) {
    for (const [name, run] of queries) {
      const row = { name: `${title}${name}` };
      for (const backend of ["wasm", "js"]) {
        setBackend(backend);
        row[backend] = paired(() => run(a), () => run(b));
      }
      setBackend("auto");
      rows.push(row);
    }
  }
  return { rows, across, layers: layered.layerCount, second: second.length };
}

/** The native files of both: bytes, encode and decode times (WASM). */
export function layerFileRows(flat, layered) {
  setBackend("wasm");
  const rows = [flat, layered].map((mask) => {
    const bytes = encodeMask(mask);
    return {
      what: mask.layerCount > 1 ? `layered (format ${bytes[4]}.${bytes[5]}, ${mask.layerCount} layers)` : `one layer (format ${bytes[4]}.${bytes[5]})`,
      bytes: bytes.length,
      encodeMs: measure("encode", () => encodeMask(mask)).mean,
      decodeMs: measure("decode", () => decodeMask(bytes)).mean,
    };
  });
  setBackend("auto");
  return rows;
}
