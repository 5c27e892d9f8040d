import { InputError, initMeshSimplifier, meshLabels, saveMesh, type MeshCoordinates, type SegmentationMask } from "medmask";
import { MESH_OUTPUTS } from "../batch-record.js";
import { asMask, readInput } from "../io.js";
import { refuseExisting } from "./convert.js";

/** What `medmask mesh` (and `batch mesh`) makes of a mask: the surfaces' options. */
export interface MeshStep {
  /** Comma list of names (default: every organ). */
  names?: string;
  smoothing?: number;
  decimate?: number;
  coordinates?: MeshCoordinates;
  /** A mesh per connected piece of each organ. */
  pieces?: boolean;
}

/** The options of `mesh` as a batch record carries them (checked). */
export function meshStep(options: MeshStep): MeshStep {
  const { names, smoothing, decimate, coordinates, pieces } = options;
  if (decimate !== undefined && !(decimate >= 0 && decimate < 1)) throw new InputError("INVALID_ARGUMENT", `--decimate takes the share of triangles to take away, 0 to below 1, got ${decimate}.`);
  if (smoothing !== undefined && !(Number.isSafeInteger(smoothing) && smoothing >= 0)) throw new InputError("INVALID_ARGUMENT", `--smoothing takes a whole number of rounds, got ${smoothing}.`);
  return Object.fromEntries(Object.entries({ names, smoothing, decimate, coordinates, pieces }).filter(([, v]) => v !== undefined)) as MeshStep;
}

/** The surfaces of `mask` as `step` asks, the simplifier loaded when it decimates; a line per organ. */
export async function meshesOf(mask: SegmentationMask<string>, step: MeshStep, say: (line: string) => void): Promise<ReturnType<typeof meshLabels>> {
  if (step.decimate) await initMeshSimplifier();
  const names = step.names?.split(",").map((s) => s.trim()).filter(Boolean);
  const meshes = meshLabels(mask, { ...(names ? { names } : {}), smoothing: step.smoothing ?? 0, decimate: step.decimate ?? 0, coordinates: step.coordinates ?? "LPS", normals: true, pieces: step.pieces === true });
  for (const m of meshes) say(`${m.name}${m.piece === undefined ? "" : ` ${m.piece}`}: ${m.indices.length / 3} triangles, ${m.positions.length / 3} vertices`);
  return meshes;
}

/** `medmask mesh IN OUT.(glb|stl|obj|ply) [--names a,b] [--smoothing N] [--decimate R] [--coordinates LPS|RAS]`. */
export async function mesh(input: string, output: string, options: MeshStep & { force?: boolean }, say: (line: string) => void, warn: (line: string) => void): Promise<void> {
  if (!MESH_OUTPUTS.some((ext) => output.toLowerCase().endsWith(`.${ext}`))) throw new InputError("INVALID_ARGUMENT", `medmask mesh writes .glb, .stl, .obj or .ply; "${output}" is none of them.`);
  await refuseExisting(output, options.force, [input]);
  const meshes = await meshesOf(await asMask(await readInput(input), warn), meshStep(options), say);
  await saveMesh(meshes, output, { overwrite: true });
}
