import { findOverlaps } from "medmask";
import { materialize, readInput } from "../io.js";
import { formatTable } from "../table.js";

/** `medmask overlaps FILE_OR_FOLDER [--json]`: every overlapping pair with voxel counts. */
export async function overlaps(path: string, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const input = await materialize(await readInput(path));
  const named = input.kind === "masks"
    ? input.masks.map((m) => [m.name, m.data as Uint8Array] as const)
    : []; // a single multi-label mask cannot overlap itself
  const pairs = named.length ? findOverlaps(named, { shape: input.kind === "masks" ? input.space.shape : undefined }) : [];
  if (options.json) print(JSON.stringify(pairs, null, 2));
  else if (pairs.length === 0) print("no overlaps");
  else print(formatTable(["mask A", "mask B", "voxels"], pairs.map((p) => [p.a, p.b, p.voxels])));
}
