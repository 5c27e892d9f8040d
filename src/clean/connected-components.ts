// connectedComponents: the pieces of one label, largest first, with their statistics; the
// label volume over the whole grid only when asked for (SPEC section 14).
import type { LabelArray } from "../bitdepth.js";
import { InputError, describeValue } from "../errors.js";
import { componentKernels } from "../kernels/components.js";
import { COMPONENT_STATS, type Dims, type RunComponents } from "../kernels/types.js";
import { SegmentationMask, voxelLayers } from "../mask.js";
import { checkOptions } from "../options.js";

/** 6 (faces), 18 (and edges) or 26 (and corners) neighbours make voxels one component. */
export type Connectivity = 6 | 18 | 26;

/** One connected piece of a label. */
export interface Component {
  /** 1 for the largest, then by decreasing size (equal sizes in the order of their first voxel). */
  id: number;
  voxels: number;
  volumeMl: number;
  /** Inclusive bounding box, (z, y, x) indices. */
  bbox: { min: [number, number, number]; max: [number, number, number] };
  /** Mean voxel position, (z, y, x) in index space. */
  centroid: [number, number, number];
}

/** What `connectedComponents` gives. */
export interface Components {
  count: number;
  /** Component ids over the whole grid (0 background), made when first read. */
  readonly labels: Uint32Array;
  components: Component[];
}

/** The connectivity option, checked; 26 by default. */
export function connectivityOf(value: unknown): Connectivity {
  if (value === undefined) return 26;
  if (value !== 6 && value !== 18 && value !== 26) throw new InputError("INVALID_ARGUMENT", `connectivity is 6, 18 or 26, got ${describeValue(value)}.`);
  return value;
}

/** One label's pieces: their statistics by id, and the runs along x that hold them. */
export interface LabelPieces {
  label: number;
  components: Component[];
  /** The layer's runs and components, shared by its labels. */
  found: RunComponents;
  /** Per component of `found`, its id among its label's pieces (1 = largest). */
  ids: Uint32Array;
}

/** Writes `value(id)` over every run of `pieces` in `target` (a grid-sized array), skipping runs it gives -1. */
export function paintPieces(pieces: LabelPieces, target: LabelArray | Uint32Array, nx: number, value: (id: number) => number): void {
  const { runs, component } = pieces.found;
  for (let i = 0; i < component.length; i++) {
    if (runs[4 * i + 3] !== pieces.label) continue;
    const v = value(pieces.ids[component[i]!]!);
    const at = runs[4 * i]! * nx;
    if (v >= 0) target.fill(v, at + runs[4 * i + 1]!, at + runs[4 * i + 2]!);
  }
}

/** Each label's pieces from one layer's runs (`found`), for the labels `wanted` says. */
function piecesFrom(found: RunComponents, voxelMl: number, wanted: (label: number) => boolean, into: Map<number, LabelPieces>): void {
  const { count, stats } = found;
  const byLabel = new Map<number, number[]>();
  for (let c = 0; c < count; c++) {
    const label = stats[c * COMPONENT_STATS + 10]!;
    if (!wanted(label)) continue;
    let list = byLabel.get(label);
    if (!list) byLabel.set(label, (list = []));
    list.push(c);
  }
  const ids = new Uint32Array(count);
  for (const [label, list] of byLabel) {
    // Largest first; equal sizes keep the order of their first voxel (the kernel's numbering).
    list.sort((a, b) => stats[b * COMPONENT_STATS]! - stats[a * COMPONENT_STATS]! || a - b);
    list.forEach((c, r) => (ids[c] = r + 1));
    const components = list.map((c, r): Component => {
      const p = c * COMPONENT_STATS, n = stats[p]!;
      return {
        id: r + 1,
        voxels: n,
        volumeMl: n * voxelMl,
        bbox: { min: [stats[p + 4]!, stats[p + 5]!, stats[p + 6]!], max: [stats[p + 7]!, stats[p + 8]!, stats[p + 9]!] },
        centroid: [stats[p + 1]! / n, stats[p + 2]! / n, stats[p + 3]! / n],
      };
    });
    into.set(label, { label, components, found, ids });
  }
}

/**
 * The pieces of each label in `labels` (every label present when null): one pass over each
 * layer that holds one, for all of its labels at once. Labels with no voxel are left out.
 */
export function piecesOf(seg: SegmentationMask<string>, labels: readonly number[] | null, connectivity: Connectivity): Map<number, LabelPieces> {
  const kernels = componentKernels();
  const voxelMl = seg.space.voxelVolume / 1000;
  const asked = labels && new Set(labels);
  const out = new Map<number, LabelPieces>();
  seg[voxelLayers]().forEach((layer, index) => {
    const here = labels?.filter((l) => seg.layerOf(l) === index);
    if (here && here.length === 0) return;
    // One label alone: the pass looks for it only; otherwise every label of the layer at once.
    const found = kernels.runComponents(layer, seg.shape, connectivity, here?.length === 1 ? here[0] : 0);
    piecesFrom(found, voxelMl, (label) => (asked ? asked.has(label) : seg.mapping.hasLabel(label)) && seg.layerOf(label) === index, out);
  });
  return out;
}

/** `Components` of one label's pieces (none: no voxel), `labels` made over `voxels` when read. */
function componentsOf(pieces: LabelPieces | undefined, [nz, ny, nx]: Dims): Components {
  let labels: Uint32Array | null = null;
  return {
    count: pieces?.components.length ?? 0,
    components: pieces?.components ?? [],
    get labels(): Uint32Array {
      if (labels) return labels;
      labels = new Uint32Array(nz * ny * nx);
      if (pieces) paintPieces(pieces, labels, nx, (id) => id);
      return labels;
    },
  };
}

/**
 * The connected pieces of one label: their count, each one's voxels, mL, bounding box and
 * centroid (index space), largest first, and `labels`, the ids over the whole grid, built
 * only when read. With a list of names (or none: every label), each label's pieces, found in
 * one pass over the mask for all of them.
 * @example const { count, components } = connectedComponents(seg, "liver", { connectivity: 6 }); // count 2: the liver and an island
 * @example for (const [name, { count }] of connectedComponents(seg)) if (count > 1) console.log(name, count);
 */
export function connectedComponents(seg: SegmentationMask<string>, name: string, options?: { connectivity?: Connectivity }): Components;
export function connectedComponents(seg: SegmentationMask<string>, names?: readonly string[], options?: { connectivity?: Connectivity }): Map<string, Components>;
export function connectedComponents(seg: SegmentationMask<string>, names?: string | readonly string[], options: { connectivity?: Connectivity } = {}): Components | Map<string, Components> {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", "connectedComponents takes a SegmentationMask.");
  checkOptions(options, ["connectivity"], "connectedComponents");
  const connectivity = connectivityOf(options.connectivity);
  if (!(names === undefined || typeof names === "string" || Array.isArray(names))) throw new InputError("INVALID_ARGUMENT", `connectedComponents takes a name, a list of names or none, got ${describeValue(names)}.`);
  const list = typeof names === "string" ? [names] : (names ?? seg.mapping.names());
  const labels = list.map((n) => seg.mapping.get(n));
  const found = piecesOf(seg, labels, connectivity);
  if (typeof names === "string") return componentsOf(found.get(labels[0]!), seg.shape);
  return new Map(list.map((n, i) => [n, componentsOf(found.get(labels[i]!), seg.shape)]));
}
