// DICOM SEG: encode and decode of the real 117-organ mask and of a CT-sized one, against
// pydicom (read + pixel_array, timed inside Python) and dcmjs (read + naturalize + unpack
// the bits) on the same file, in one run.
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import dcmjs from "dcmjs";
import { SegmentationMask, Space, decodeDicomSeg, encodeDicomSeg, setBackend } from "../dist/index.js";
import { measure } from "./harness.mjs";
import { pythonEnv } from "./huge-pages.mjs";

const PYDICOM = `
import sys, time, pydicom
best = None
for _ in range(3):
    t = time.perf_counter()
    d = pydicom.dcmread(sys.argv[1]); a = d.pixel_array
    best = min(best or 1e9, time.perf_counter() - t)
print(best * 1000)
`;

function pydicomMs(path) {
  try {
    return Number(execFileSync("/usr/bin/python3", ["-c", PYDICOM, path], { encoding: "utf8", env: pythonEnv() }).trim());
  } catch {
    return undefined;
  }
}

function dcmjsDecode(bytes) {
  const { dict } = dcmjs.data.DicomMessage.readFile(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength));
  const ds = dcmjs.data.DicomMetaDictionary.naturalizeDataset(dict);
  return dcmjs.data.BitArray.unpack(ds.PixelData[0]);
}

/** A CT-sized mask: 512 x 512 x 300, `labels` labels as boxes. */
function ctMask(labels) {
  const shape = [300, 512, 512];
  const data = new Uint8Array(shape[0] * shape[1] * shape[2]);
  for (let l = 1; l <= labels; l++) {
    const z0 = (l * 37) % 240, y0 = (l * 53) % 440, x0 = (l * 71) % 440;
    for (let z = z0; z < z0 + 40; z++) for (let y = y0; y < y0 + 60; y++) data.fill(l, (z * 512 + y) * 512 + x0, (z * 512 + y) * 512 + x0 + 60);
  }
  const names = Object.fromEntries(Array.from({ length: labels }, (_, i) => [`organ_${i + 1}`, i + 1]));
  return new SegmentationMask(data, names, new Space({ shape, spacing: [1.5, 0.8, 0.8], xOrientation: [0, 0, 1], yOrientation: [0, 1, 0], zOrientation: [1, 0, 0] }));
}

export function dicomRows(layered) {
  const dir = mkdtempSync(join(tmpdir(), "medmask-dicom-bench-"));
  const rows = [];
  try {
    for (const [what, mask] of [[`117 organs (${layered.layerCount} layers)`, layered], ["CT-sized, 512x512x300, 100 labels", ctMask(100)], ["CT-sized, 512x512x300, 117 labels", ctMask(117)]]) {
      const bytes = encodeDicomSeg(mask);
      const path = join(dir, "seg.dcm");
      writeFileSync(path, bytes);
      const frames = decodeDicomSeg(bytes).mask.labelStats().length;
      const row = { what, bytes: bytes.length, segments: frames };
      for (const backend of ["wasm", "js"]) {
        setBackend(backend);
        row[`encode ${backend}`] = measure(`encode ${backend}`, () => encodeDicomSeg(mask), { maxTime: 2 }).mean;
        row[`decode ${backend}`] = measure(`decode ${backend}`, () => decodeDicomSeg(bytes), { maxTime: 2 }).mean;
      }
      setBackend("auto");
      row.copy = measure("copy", () => bytes.slice()).mean;
      row.dcmjs = measure("dcmjs", () => dcmjsDecode(bytes), { maxTime: 2 }).mean;
      row.pydicom = pydicomMs(path);
      rows.push(row);
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return rows;
}
