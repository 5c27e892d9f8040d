// How the viewer lays a mask's voxels on the screen: axial slices in the radiological
// convention (anterior up, the patient's right on the screen's left, as PACS viewers, 3D
// Slicer and ITK-SNAP show them), derived from the mask's Space alone, whatever order and
// direction its array axes have.
import type { Space } from "../src/index.js";

type Axis = 0 | 1 | 2;

/** The axial view of one Space: which array axis runs where on the screen. */
export interface SliceView {
  /** The array axis slices are taken along (the one most nearly superior-inferior). */
  sliceAxis: Axis;
  /** The array axis along screen rows (top to bottom), and whether its index runs up the screen. */
  rowAxis: Axis;
  flipRow: boolean;
  /** The array axis along screen columns (left to right), and whether its index runs leftwards. */
  colAxis: Axis;
  flipCol: boolean;
  /** Slice size in pixels, and the number of slices. */
  width: number;
  height: number;
  depth: number;
  /** Millimetres per pixel across and down (for the displayed aspect ratio). */
  pixelMm: [number, number];
  /** The patient direction at each edge of the view ("A" at the top of an axial view). */
  letters: { top: string; bottom: string; left: string; right: string };
}

const LETTERS: readonly [string, string][] = [["L", "R"], ["P", "A"], ["S", "I"]];

/** The patient direction (LPS letter) a vector points to most. */
function letterOf(d: readonly number[]): string {
  const c = [0, 1, 2].reduce((best, i) => (Math.abs(d[i]!) > Math.abs(d[best]!) ? i : best), 0);
  return LETTERS[c]![d[c]! >= 0 ? 0 : 1]!;
}

/**
 * The radiological axial view of `space`: slices along the array axis closest to S-I; the
 * remaining axis closest to L-R across the screen, the patient's left on the right (LPS +x
 * to the right); the other down the screen, posterior at the bottom (LPS +y downwards).
 * @example axialView(seg.space).letters; // { top: "A", bottom: "P", left: "R", right: "L" }
 */
export function axialView(space: Space): SliceView {
  const dirs = [space.xOrientation, space.yOrientation, space.zOrientation];
  const most = (axes: Axis[], c: number): Axis => axes.reduce((best, a) => (Math.abs(dirs[a]![c]!) > Math.abs(dirs[best]![c]!) ? a : best));
  const sliceAxis = most([0, 1, 2], 2);
  const rest = ([0, 1, 2] as Axis[]).filter((a) => a !== sliceAxis);
  const colAxis = most(rest, 0);
  const rowAxis = rest.find((a) => a !== colAxis)!;
  // Screen right is where LPS x grows, screen down where LPS y grows.
  const flipCol = dirs[colAxis]![0]! < 0;
  const flipRow = dirs[rowAxis]![1]! < 0;
  const toward = (axis: Axis, flip: boolean): string => letterOf(dirs[axis]!.map((v) => (flip ? -v : v)));
  const right = toward(colAxis, flipCol), down = toward(rowAxis, flipRow);
  const opposite: Record<string, string> = { L: "R", R: "L", P: "A", A: "P", S: "I", I: "S" };
  return {
    sliceAxis,
    rowAxis,
    flipRow,
    colAxis,
    flipCol,
    width: space.shape[colAxis],
    height: space.shape[rowAxis],
    depth: space.shape[sliceAxis],
    pixelMm: [space.spacing[colAxis], space.spacing[rowAxis]],
    letters: { top: opposite[down]!, bottom: down, left: opposite[right]!, right },
  };
}

/**
 * The array index (axis order) shown at screen pixel (x, y) of slice k.
 * @example screenToVoxel(view, 10, 0, 0); // the voxel in the view's top-left corner
 */
export function screenToVoxel(view: SliceView, k: number, x: number, y: number): [number, number, number] {
  const index: [number, number, number] = [0, 0, 0];
  index[view.sliceAxis] = k;
  index[view.colAxis] = view.flipCol ? view.width - 1 - x : x;
  index[view.rowAxis] = view.flipRow ? view.height - 1 - y : y;
  return index;
}

/**
 * Where a voxel (array index) is shown: its slice and screen pixel.
 * @example const { k, x, y } = voxelToScreen(view, [z, row, col]);
 */
export function voxelToScreen(view: SliceView, index: readonly number[]): { k: number; x: number; y: number } {
  const c = index[view.colAxis]!, r = index[view.rowAxis]!;
  return { k: index[view.sliceAxis]!, x: view.flipCol ? view.width - 1 - c : c, y: view.flipRow ? view.height - 1 - r : r };
}

/**
 * How a renderer reads slice pixels from a C-order volume of `shape`: pixel (x, y) of slice
 * k is voxel `rowStart(k, y) + columns[x]`. The column offsets are computed once per view,
 * so a redraw does one add per pixel, whatever the axes' order and direction.
 * @example const { columns, rowStart } = sliceIndexer(view, seg.shape); data[rowStart(k, y) + columns[x]];
 */
export function sliceIndexer(view: SliceView, shape: readonly number[]): { columns: Int32Array; rowStart: (k: number, y: number) => number } {
  const stride = [shape[1]! * shape[2]!, shape[2]!, 1];
  const columns = new Int32Array(view.width);
  for (let x = 0; x < view.width; x++) columns[x] = (view.flipCol ? view.width - 1 - x : x) * stride[view.colAxis]!;
  const sliceStride = stride[view.sliceAxis]!, rowStride = stride[view.rowAxis]!;
  return { columns, rowStart: (k, y) => k * sliceStride + (view.flipRow ? view.height - 1 - y : y) * rowStride };
}
