import type { LabelStat } from "../src/index.js";

/** Messages from the page to the worker. */
export type Request =
  | { type: "load"; files: File[] }
  | { type: "slice"; z: number; highlight: number[] }
  | { type: "save" };

/** Messages from the worker to the page. */
export type Reply =
  | { type: "loaded"; name: string; shape: [number, number, number]; spacing: [number, number, number]; stats: LabelStat[]; timings: Array<[string, number]>; backend: "wasm" | "js"; resident: boolean }
  | { type: "slice"; z: number; width: number; height: number; rgba: ArrayBuffer; ms: number }
  | { type: "saved"; bytes: ArrayBuffer; name: string }
  | { type: "error"; message: string; keptPrevious: boolean };
