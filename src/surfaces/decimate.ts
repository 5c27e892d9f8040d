// Decimation by meshoptimizer's simplifier (edge collapses under a quadric error, keeping the
// topology): loaded on first use, so a page that never decimates never fetches it.
import { ResourceError } from "../errors.js";

type Simplifier = typeof import("meshoptimizer/simplifier").MeshoptSimplifier;
let simplifier: Simplifier | null = null;

/**
 * Loads meshoptimizer's simplifier (its WASM), for `meshLabels(seg, { decimate })`; saveMesh,
 * the CLI and the demo's worker call it for you.
 * @example await initMeshSimplifier(); const meshes = meshLabels(seg, { decimate: 0.5 });
 */
export async function initMeshSimplifier(): Promise<void> {
  if (simplifier) return;
  const { MeshoptSimplifier } = await import("meshoptimizer/simplifier");
  await MeshoptSimplifier.ready;
  simplifier = MeshoptSimplifier;
}

/**
 * `indices` over `positions` with `reduction` (0..1) of the triangles taken away, and the
 * vertices the rest use, renumbered in their order of first use.
 */
export function decimateMesh(positions: Float32Array, indices: Uint32Array, reduction: number): { positions: Float32Array; indices: Uint32Array } {
  if (!simplifier) throw new ResourceError("NOT_INITIALIZED", "decimate needs meshoptimizer's simplifier: `await initMeshSimplifier()` once before meshLabels(seg, { decimate }).");
  if (reduction <= 0 || indices.length === 0) return { positions, indices };
  const target = Math.max(3, 3 * Math.round((indices.length / 3) * (1 - reduction)));
  // No error bound (1: the mesh's whole extent): the reduction asked for is what decides.
  const [kept] = simplifier.simplify(indices, positions, 3, target, 1);
  const remap = new Int32Array(positions.length / 3).fill(-1);
  let n = 0;
  for (let k = 0; k < kept.length; k++) {
    const v = kept[k]!;
    if (remap[v]! < 0) remap[v] = n++;
    kept[k] = remap[v]!;
  }
  const out = new Float32Array(3 * n);
  for (let v = 0; v < remap.length; v++) if (remap[v]! >= 0) out.set(positions.subarray(3 * v, 3 * v + 3), 3 * remap[v]!);
  return { positions: out, indices: kept };
}
