// meshLabels: one closed surface per label, in world millimetres (SPEC section 16).
//
// The algorithm is surface nets (Gibson 1998; 3D Slicer's multi-label meshing since 5.6):
// one vertex per corner of the voxel lattice where the labels change, at the mean of the
// centres of the voxel faces meeting there, and one quad per voxel face between a label and
// the rest. Chosen over discrete marching cubes (VTK's vtkDiscreteMarchingCubes) because the
// vertices sit on the voxels' own boundary, so the enclosed volume is the voxels' (within a
// few percent before smoothing, where marching cubes cuts every corner off), because a vertex
// placed from every label at the corner is the same point in each touching label's surface
// (no gaps between organs), and because it is one table lookup per corner (see the surfaces
// row of `npm run bench` beside VTK). The kernel keeps each surface a closed 2-manifold where
// voxels touch only along an edge or at a corner (src/kernels/surface-tables.ts).
import { InputError, describeValue } from "../errors.js";
import { surfaceKernels, type RawSurface } from "../kernels/surfaces.js";
import type { Box6 } from "../kernels/types.js";
import { labelColor } from "../label-colors.js";
import { SegmentationMask, voxelLayers } from "../mask.js";
import { checkOptions } from "../options.js";
import { decimateMesh } from "./decimate.js";
import type { Mesh, MeshCoordinates } from "./mesh.js";
import { vertexNormals } from "./normals.js";
import { smoothSurfaces } from "./smooth.js";

/** Options of meshLabels. */
export interface MeshOptions {
  /** The labels to mesh, by name (default: every label with a voxel). */
  names?: string | readonly string[];
  /** Rounds of Taubin smoothing (volume-keeping; default 0: the surface nets as made). */
  smoothing?: number;
  /** The share of triangles to take away, 0..1, by meshoptimizer (after `await initMeshSimplifier()`). */
  decimate?: number;
  /** World coordinates of the positions: "LPS" (default) or "RAS". */
  coordinates?: MeshCoordinates;
  /** Per-vertex normals too (default false). */
  normals?: boolean;
  /** A mesh per connected piece of each label (largest first, `piece` 1, 2, ...) instead of one per label (default false). */
  pieces?: boolean;
}

/**
 * One closed, consistently outward, manifold surface per label (each connected piece of the
 * label a closed part of it) at the boundary of its voxels, in world millimetres: LPS by
 * default, RAS on request. Touching labels share the vertices of their common boundary.
 * A named label with no voxel gives a mesh with no triangles.
 * @example const [liver] = meshLabels(seg, { names: ["liver"], smoothing: 10 }); // liver.positions, liver.indices
 * @example const meshes = meshLabels(seg, { coordinates: "RAS" }); // every organ, as Slicer displays them
 */
export function meshLabels(seg: SegmentationMask<string>, options: MeshOptions = {}): Mesh[] {
  if (!(seg instanceof SegmentationMask)) throw new InputError("INVALID_ARGUMENT", `meshLabels takes a SegmentationMask, got ${describeValue(seg)}.`);
  checkOptions(options, ["names", "smoothing", "decimate", "coordinates", "normals", "pieces"], "meshLabels");
  const { smoothing = 0, decimate = 0, coordinates = "LPS", normals = false, pieces = false } = options;
  if (typeof pieces !== "boolean") throw new InputError("INVALID_ARGUMENT", `pieces is true or false, got ${describeValue(pieces)}.`);
  if (!(Number.isSafeInteger(smoothing) && smoothing >= 0 && smoothing <= 1000)) throw new InputError("INVALID_ARGUMENT", `smoothing is a number of rounds, 0 to 1000, got ${describeValue(smoothing)}.`);
  if (!(typeof decimate === "number" && decimate >= 0 && decimate < 1)) throw new InputError("INVALID_ARGUMENT", `decimate is the share of triangles to take away, at least 0 and below 1, got ${describeValue(decimate)}.`);
  if (coordinates !== "LPS" && coordinates !== "RAS") throw new InputError("INVALID_ARGUMENT", `coordinates is "LPS" or "RAS", got ${describeValue(coordinates)}.`);
  if (typeof normals !== "boolean") throw new InputError("INVALID_ARGUMENT", `normals is true or false, got ${describeValue(normals)}.`);
  const { names } = options;
  if (!(names === undefined || typeof names === "string" || (Array.isArray(names) && names.every((n) => typeof n === "string")))) throw new InputError("INVALID_ARGUMENT", `names is a name or a list of names, got ${describeValue(names)}.`);
  const stats = seg.labelStats(names === undefined ? undefined : typeof names === "string" ? [names] : names).filter((s) => names !== undefined || s.voxels > 0);

  // Each layer's labels in one kernel call (touching labels of a layer share vertices).
  const surfaces = new Map<number, RawSurface>();
  const layers = seg[voxelLayers]();
  layers.forEach((layer, index) => {
    const here = stats.filter((s) => s.bbox && seg.layerOf(s.label) === index);
    if (here.length === 0) return;
    const boxes = here.map((s) => [...s.bbox!.min, ...s.bbox!.max] as unknown as Box6);
    // Keys join the surfaces for smoothing; without it they are not made.
    surfaceKernels().surfaces(layer, seg.shape, here.map((s) => s.label), boxes, { keys: smoothing > 0 }).forEach((surface, i) => surfaces.set(here[i]!.label, surface));
  });
  const order = stats.filter((s) => surfaces.has(s.label));
  const raws = order.map((s) => surfaces.get(s.label)!);
  // Smoothing works in double precision over every surface at once; without it each
  // surface's positions become world coordinates where they are.
  const world = smoothing > 0 ? raws.map((raw) => toWorld(seg, raw.positions, coordinates, new Float64Array(raw.positions.length))) : [];
  smoothSurfaces(raws, world, smoothing);
  // The grid's axes in the world: a left-handed one mirrors the kernel's outward winding.
  const flip = handedness(seg) < 0;
  const meshes = new Map<number, Mesh>();
  order.forEach((s, i) => {
    let positions: Float32Array = smoothing > 0 ? Float32Array.from(world[i]!) : toWorld(seg, raws[i]!.positions, coordinates, raws[i]!.positions), indices: Uint32Array = raws[i]!.indices;
    if (flip) for (let t = 0; t < indices.length; t += 3) [indices[t + 1], indices[t + 2]] = [indices[t + 2]!, indices[t + 1]!];
    if (decimate > 0) ({ positions, indices } = decimateMesh(positions, indices, decimate));
    meshes.set(s.label, { name: s.name, label: s.label, color: colorOf(seg, s.name, s.label), positions, indices, coordinates, ...(normals ? { normals: vertexNormals(positions, indices) } : {}) });
  });
  const empty = (s: (typeof stats)[number]): Mesh => ({
    name: s.name,
    label: s.label,
    color: colorOf(seg, s.name, s.label),
    positions: new Float32Array(0),
    indices: new Uint32Array(0),
    coordinates,
    ...(normals ? { normals: new Float32Array(0) } : {}),
  });
  const all = stats.map((s) => meshes.get(s.label) ?? empty(s));
  return pieces ? all.flatMap(piecesOf) : all;
}

/**
 * The connected pieces of a mesh (vertices joined by triangles), largest (most triangles)
 * first, each with its own vertices; a mesh with no triangles stays as it is.
 */
function piecesOf(mesh: Mesh): Mesh[] {
  const { positions, indices, normals } = mesh, n = positions.length / 3;
  if (indices.length === 0) return [mesh];
  const parent = Int32Array.from({ length: n }, (_, v) => v);
  const find = (v: number): number => {
    while (parent[v] !== v) v = parent[v] = parent[parent[v]!]!;
    return v;
  };
  for (let t = 0; t < indices.length; t += 3) {
    const a = find(indices[t]!);
    parent[find(indices[t + 1]!)] = a;
    parent[find(indices[t + 2]!)] = a;
  }
  const byRoot = new Map<number, number[]>();
  for (let t = 0; t < indices.length; t += 3) {
    const root = find(indices[t]!);
    let list = byRoot.get(root);
    if (!list) byRoot.set(root, (list = []));
    list.push(t);
  }
  const groups = [...byRoot.values()].sort((a, b) => b.length - a.length);
  return groups.map((triangles, i) => {
    const remap = new Map<number, number>(), out = new Uint32Array(3 * triangles.length);
    triangles.forEach((t, k) => {
      for (let c = 0; c < 3; c++) {
        const v = indices[t + c]!;
        let w = remap.get(v);
        if (w === undefined) remap.set(v, (w = remap.size));
        out[3 * k + c] = w;
      }
    });
    const take = (a: Float32Array) => {
      const b = new Float32Array(3 * remap.size);
      for (const [v, w] of remap) b.set(a.subarray(3 * v, 3 * v + 3), 3 * w);
      return b;
    };
    return { ...mesh, positions: take(positions), indices: out, ...(normals ? { normals: take(normals) } : {}), piece: i + 1 };
  });
}

/** The label's metadata colour, else the one medmask gives it everywhere. */
function colorOf(seg: SegmentationMask<string>, name: string, label: number): [number, number, number] {
  const color = seg.mapping.hasName(name) ? seg.metadata(name).color : undefined;
  return color ? [color[0], color[1], color[2]] : labelColor(label);
}

/** The sign of the determinant of the map from voxel (x, y, z) to the world. */
function handedness(seg: SegmentationMask<string>): number {
  const a = seg.space.affine;
  // Columns of x, y, z: the affine's columns 2, 1, 0 (its index order is z, y, x).
  const c = (col: number, row: number) => a[row]![col]!;
  const [x, y, z] = [2, 1, 0];
  return c(x, 0) * (c(y, 1) * c(z, 2) - c(y, 2) * c(z, 1)) - c(y, 0) * (c(x, 1) * c(z, 2) - c(x, 2) * c(z, 1)) + c(z, 0) * (c(x, 1) * c(y, 2) - c(x, 2) * c(y, 1));
}

/** Voxel (x, y, z) positions to world millimetres, LPS or RAS, into `out` (which may be `positions`). */
function toWorld<T extends Float32Array | Float64Array>(seg: SegmentationMask<string>, positions: Float32Array, coordinates: MeshCoordinates, out: T): T {
  const a = seg.space.affine;
  const sign = coordinates === "RAS" ? [-1, -1, 1] : [1, 1, 1];
  const m = [0, 1, 2].map((r) => [a[r]![2]!, a[r]![1]!, a[r]![0]!, a[r]![3]!].map((v) => v * sign[r]!));
  for (let p = 0; p < positions.length; p += 3) {
    const x = positions[p]!, y = positions[p + 1]!, z = positions[p + 2]!;
    for (let r = 0; r < 3; r++) {
      const row = m[r]!;
      out[p + r] = row[0]! * x + row[1]! * y + row[2]! * z + row[3]!;
    }
  }
  return out;
}
