import type { ScanResult } from "./kernels/index.js";
import type { LabelMapping } from "./mapping.js";
import type { Space, Vec3 } from "./space.js";

/** Inclusive voxel bounding box in array order (z, y, x). */
export interface BoundingBox {
  min: Vec3;
  max: Vec3;
}

/** Statistics of one label, as `SegmentationMask.labelStats()` returns them. */
export interface LabelStat {
  name: string;
  label: number;
  /** Number of voxels carrying the label. */
  voxels: number;
  /** voxels x voxel volume, in mm^3. */
  volumeMm3: number;
  /** The same volume in millilitres (cm^3), as clinicians report organ volumes. */
  volumeMl: number;
  /** Inclusive bounding box, or null when the label has no voxel. */
  bbox: BoundingBox | null;
}

/** One label's statistics; `box` is [zmin, ymin, xmin, zmax, ymax, xmax] or null. */
export function labelStat(name: string, label: number, voxels: number, voxelVolume: number, box: ArrayLike<number> | null): LabelStat {
  const volumeMm3 = voxels * voxelVolume;
  return {
    name,
    label,
    voxels,
    volumeMm3,
    volumeMl: volumeMm3 / 1000,
    bbox: box ? { min: [box[0]!, box[1]!, box[2]!] as const, max: [box[3]!, box[4]!, box[5]!] as const } : null,
  };
}

/** Name used for a label found in the data but absent from the mapping. */
export function fallbackName(label: number): string {
  return `idx_${label}`;
}

/**
 * Per-label statistics of every mapped label (and any unmapped label found in the data),
 * sorted by label, from one scan with boxes.
 */
export function statsFromScan(scan: ScanResult, mapping: LabelMapping<string>, space: Space): LabelStat[] {
  const found = new Map<number, number>();
  scan.labels.forEach((label, i) => found.set(label, i));
  const labels = new Set(mapping.labels());
  for (const label of scan.labels) if (label !== 0) labels.add(label);
  return [...labels]
    .sort((a, b) => a - b)
    .map((label) => {
      const i = found.get(label);
      const voxels = i === undefined ? 0 : scan.counts[i]!;
      const box = i === undefined ? null : scan.boxes.subarray(i * 6, i * 6 + 6);
      return labelStat(mapping.hasLabel(label) ? mapping.inverse(label) : fallbackName(label), label, voxels, space.voxelVolume, box);
    });
}
