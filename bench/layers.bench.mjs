// Layers (issue 19): the 117 organs with every voxel kept (organs that share voxels in a
// second layer) against the same organs in one layer (later organs painted over earlier
// ones), query for query, and the native files of each.
import { decodeMask, encodeMask, setBackend } from "../dist/index.js";
import { compare, measure } from "./harness.mjs";

/** Query rows, flat then layered, and the layered/flat ratio of each (WASM and JS). */
export function layerRows(flat, layered) {
  // The union spans both layers: organs of layer 1 and layer 0.
  const second = layered.mapping.names().filter((n) => layered.layerOf(n) === 1);
  const first = layered.mapping.names().filter((n) => layered.layerOf(n) === 0);
  const across = [...second.slice(0, 3), ...first.slice(0, 3)];
  const one = second[0] ?? "colon";
  const out = new Uint8Array(layered.space.voxelCount);
  const bytes = flat.data;
  const queries = [
    ["labelStats (all labels)", (m) => m.labelStats()],
    [`one name (${one}, in layer ${layered.layerOf(one)}), into out`, (m) => m.getBinaryMaskByNames(one, { out })],
    [`6-name union across both layers, into out`, (m) => m.getBinaryMaskByNames(across, { out })],
    ["toBinary (every organ), into out", (m) => m.toBinary({ out })],
  ];
  const rows = [];
  const pair = (title, a, b) => {
    for (const [name, run] of queries) {
      const f = compare(`${title}flat: ${name}`, () => run(a), bytes);
      const l = compare(`${title}layered: ${name}`, () => run(b), bytes);
      rows.push(f, { ...l, python: `layered/flat: wasm ${(l.wasm / f.wasm).toFixed(2)}, js ${(l.js / f.js).toFixed(2)}` });
    }
  };
  pair("", flat, layered);
  const [liveFlat, liveLayered] = [flat.toResident(), layered.toResident()];
  pair("resident ", liveFlat, liveLayered);
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
