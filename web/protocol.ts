import type { CompareRow, LabelStat } from "../src/index.js";
import type { SliceView } from "./view.js";

/** Messages from the page to the worker. */
export type Request =
  | { type: "load"; files: File[] }
  | { type: "openUrl"; url: string }
  | { type: "loadEntry"; name: string }
  | { type: "slice"; z: number; highlight: number[] }
  /** Compare the loaded mask (A) with these files (B, read as `load` reads them). */
  | { type: "compare"; files: File[] }
  | { type: "save" }
  /** Every organ's surface (meshLabels), as a glTF binary to download. */
  | { type: "mesh"; smoothing: number };

/** Messages from the worker to the page. */
export type Reply =
  | { type: "loaded"; name: string; view: SliceView; stats: LabelStat[]; timings: Array<[string, number]>; backend: "wasm" | "js"; resident: boolean }
  | { type: "index"; url: string; entries: RemoteEntry[]; ms: number }
  | { type: "slice"; z: number; width: number; height: number; rgba: ArrayBuffer; ms: number }
  | { type: "saved"; bytes: ArrayBuffer; name: string }
  /** The surfaces of the loaded mask's organs as a .glb, made in the worker. */
  | { type: "meshed"; bytes: ArrayBuffer; name: string; organs: number; triangles: number; ms: number; meshMs: number }
  /** compareMasks of the loaded mask against `name`: the labels present in either. */
  | { type: "compared"; name: string; rows: CompareRow[]; absent: number; voxelMl: number; ms: number }
  | { type: "error"; message: string; keptPrevious: boolean };

/** An entry of an archive opened by URL, as its index describes it (nothing else is fetched). */
export interface RemoteEntry {
  name: string;
  /** Labelled voxels, from the index; null where the archive stores no statistics (Python layout). */
  voxels: number | null;
  volumeMm3: number | null;
}
