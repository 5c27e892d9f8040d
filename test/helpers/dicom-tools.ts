// pydicom (Debian's python3-pydicom) and dciodvfy (Debian's dicom3tools), the real DICOM
// tools the SEG tests check medmask's files with; skipped outside CI when missing.
import { spawnSync } from "node:child_process";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { requireComponent } from "./component.js";

const SCRIPT = join(dirname(fileURLToPath(import.meta.url)), "dicom_seg_peer.py");
const PYTHONS = [process.env.MEDMASK_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => Boolean(p));
const python = PYTHONS.find((p) => spawnSync(p, ["-c", "import numpy, pydicom"]).status === 0) ?? null;

export const hasPydicom = requireComponent("pydicom", python !== null, "apt-get install python3-pydicom python3-numpy");
export const hasDciodvfy = requireComponent("dciodvfy", spawnSync("dciodvfy", ["-"], { encoding: "utf8" }).error === undefined, "apt-get install dicom3tools");

/** Who a file is (its own and its study's UIDs, patient), as pydicom reads it. */
export interface PydicomIdentity {
  sop: string;
  study: string;
  series: string;
  frameOfReference: string;
  patientId: string;
  patientName: string;
}

/** What pydicom reads in a source image. */
export interface PydicomImage extends PydicomIdentity {
  position: number[];
}

/** What pydicom reads in each SEG. */
export interface PydicomSeg extends PydicomIdentity {
  referencedSeries: { series: string; instances: string[] }[];
  type: string;
  rows: number;
  columns: number;
  segments: { number: number; label: string }[];
  frames: { position: number[]; segment: number | null; set?: number; counts?: Record<string, number>; source?: string }[];
  decoded: boolean;
}

export function pydicomRead(paths: readonly string[]): PydicomSeg[] {
  return pydicomJson(paths) as PydicomSeg[];
}

/** What pydicom reads in each source image. */
export function pydicomImages(paths: readonly string[]): PydicomImage[] {
  return pydicomJson(paths) as PydicomImage[];
}

function pydicomJson(paths: readonly string[]): unknown[] {
  const r = spawnSync(python!, [SCRIPT, ...paths], { encoding: "utf8", maxBuffer: 1 << 28 });
  if (r.status !== 0) throw new Error(`pydicom failed: ${r.stderr}`);
  return JSON.parse(r.stdout) as unknown[];
}

/** The lines of dciodvfy's report that start with "Error". */
export function dciodvfyErrors(path: string): string[] {
  const r = spawnSync("dciodvfy", [path], { encoding: "utf8" });
  return `${r.stdout}\n${r.stderr}`.split("\n").filter((l) => l.startsWith("Error"));
}

/** `src` rewritten by pydicom in another transfer syntax, at `dst`. */
export function pydicomTranscode(src: string, dst: string, kind: "big" | "deflated" | "rle"): void {
  const r = spawnSync(python!, [join(dirname(SCRIPT), "dicom_transcode.py"), src, dst, kind], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pydicom could not write ${kind}: ${r.stderr}`);
}

/** `src` edited by pydicom (`code` runs with the data set as `d`), saved at `dst`. */
export function pydicomEdit(src: string, dst: string, code: string): void {
  const r = spawnSync(python!, [join(dirname(SCRIPT), "dicom_edit.py"), src, dst, code], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`pydicom could not edit ${src}: ${r.stderr}`);
}
