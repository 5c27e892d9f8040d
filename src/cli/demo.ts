// `medmask demo` (`npm run demo` in a clone): the main job on real data. Loads TotalSegmentator's 117 binary organ
// masks into one SegmentationMask, prints the organ table and the overlaps, and times each
// step on both kernel backends.
import { combineBinaryMasks, findOverlaps, setBackend, type BackendName, type LabelStat, type Numbering, type Overlap } from "medmask";
import { readNiftiFolder } from "medmask";
import { formatTable, ml, ms } from "./table.js";

const UNION = ["hip_left", "hip_right", "sacrum", "femur_left", "femur_right", "urinary_bladder"];

interface Run {
  backend: BackendName;
  times: Array<[string, number]>;
  stats: LabelStat[];
  overlaps: Overlap[];
  unionVoxels: number;
  layers: number;
  numbering: Numbering;
}

function timed<T>(times: Array<[string, number]>, step: string, body: () => T): T {
  const start = performance.now();
  const result = body();
  times.push([step, performance.now() - start]);
  return result;
}

/** The first names of a list, and how many more. */
const few = (names: readonly string[]): string => (names.length > 6 ? `${names.slice(0, 6).join(", ")} and ${names.length - 6} more` : names.join(", "));

const countOnes = (mask: Uint8Array): number => mask.reduce((s, v) => s + v, 0);

/** Runs the demo on `dir` and prints its report; returns the text for tests. */
export async function runDemo(dir: string, print: (line: string) => void = console.log): Promise<string> {
  const out: string[] = [];
  const say = (line = "") => {
    out.push(line);
    print(line);
  };
  const start = performance.now();
  const { space, masks } = await readNiftiFolder(dir);
  const readMs = performance.now() - start;
  say(`Read ${masks.length} NIfTI masks from ${dir} in ${ms(readMs)} ms`);
  say(`Space (z, y, x): shape ${space.shape.join("x")}, spacing ${space.spacing.map((s) => s.toFixed(3)).join(", ")} mm`);
  const union = UNION.filter((n) => masks.some((m) => m.name === n));
  const one = masks.some((m) => m.name === "colon") ? "colon" : masks[0]!.name;

  const runs: Run[] = [];
  for (const backend of ["wasm", "js"] as const) {
    setBackend(backend);
    const times: Array<[string, number]> = [];
    const { mask, numbering } = timed(times, `combine ${masks.length} masks (addLabel)`, () => combineBinaryMasks(space, masks));
    const stats = timed(times, "labelStats", () => mask.labelStats());
    const overlaps = timed(times, `findOverlaps (${masks.length} binaries)`, () => findOverlaps(masks.map((m) => [m.name, m.data as Uint8Array] as const), { shape: space.shape }));
    timed(times, `one name (${one})`, () => mask.getBinaryMaskByNames(one));
    const unionMask = timed(times, `union of ${union.length} names`, () => mask.getBinaryMaskByNames(union));
    runs.push({ backend, times, stats, overlaps, unionVoxels: countOnes(unionMask), layers: mask.layerCount, numbering });
  }
  setBackend("auto");

  const [wasm, js] = runs as [Run, Run];
  const present = wasm.stats.filter((s) => s.voxels > 0);
  // Combined in layers (the default), no organ loses a voxel to another: an organ without
  // voxels had none in its file.
  const absent = wasm.stats.filter((s) => s.voxels === 0).map((s) => s.name);
  say(`Labels: ${wasm.numbering === "totalsegmentator" ? "TotalSegmentator's own class map (task \"total\", v2)" : "1..n in file name order"}; ${wasm.layers === 1 ? "1 layer holds" : `${wasm.layers} layers hold`} every voxel of every mask`);
  say();
  say(`Organs with voxels: ${present.length} of ${wasm.stats.length}`);
  if (absent.length) say(`  ${absent.length === 1 ? "1 file holds" : `${absent.length} files hold`} no voxel (the organ is not in this scan; overlaps lose none, they go to layers): ${few(absent)}`);
  say(
    formatTable(
      ["organ", "label", "voxels", "mL", "bbox min (z,y,x)", "bbox max (z,y,x)"],
      present.map((s) => [s.name, s.label, s.voxels, ml(s.volumeMl), s.bbox!.min.join(","), s.bbox!.max.join(",")]),
    ),
  );
  say();
  say(`Overlapping organs (voxels in both binary masks): ${wasm.overlaps.length} pairs`);
  say(formatTable(["organ A", "organ B", "voxels"], wasm.overlaps.map((o) => [o.a, o.b, o.voxels])));
  say();
  say(union.length ? `Union of ${union.join(", ")}: ${wasm.unionVoxels} voxels` : `Union of the pelvis (${UNION.join(", ")}): none of them in this folder`);
  say();
  say("Time per step (ms), same data, each backend:");
  say(formatTable(["step", "wasm", "js", "js/wasm"], wasm.times.map(([step, t], i) => [step, ms(t), ms(js.times[i]![1]), (js.times[i]![1] / t).toFixed(1) + "x"])));
  const agree = JSON.stringify(wasm.stats) === JSON.stringify(js.stats) && JSON.stringify(wasm.overlaps) === JSON.stringify(js.overlaps) && wasm.unionVoxels === js.unionVoxels;
  say();
  say(`Backends agree on every figure: ${agree ? "yes" : "NO"}`);
  if (!agree) process.exitCode = 1;
  return out.join("\n");
}
