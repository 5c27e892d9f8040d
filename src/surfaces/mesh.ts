// A surface as meshLabels gives it and the mesh writers take it.

/** World coordinates a mesh is in: LPS (DICOM, ITK; medmask's default) or RAS (NIfTI, Slicer's display). */
export type MeshCoordinates = "LPS" | "RAS";

/** One label's closed surface (SPEC section 16). */
export interface Mesh {
  name: string;
  label: number;
  /** RGB in 0..1: the label's metadata colour, else labelColor(label). */
  color: [number, number, number];
  /** x, y, z per vertex, in millimetres of the world (`coordinates`). */
  positions: Float32Array;
  /** Three vertex indices per triangle, counter-clockwise seen from outside. */
  indices: Uint32Array;
  /** x, y, z per vertex, unit length, pointing out (with `{ normals: true }`). */
  normals?: Float32Array;
  coordinates: MeshCoordinates;
  /** With `{ pieces: true }`: which connected piece of the label this is (1 = the largest). */
  piece?: number;
}
