import { combiner, type CombinedMasks, type Overlap } from "medmask";
import { combinedOf, readInput } from "../io.js";
import { formatTable } from "../table.js";

/**
 * Every pair that shares voxels, from the overlaps a combine recorded (each mask against the
 * ones before it): the earlier first, in the order the masks were given.
 */
function pairsOf(combined: CombinedMasks): Overlap[] {
  const order = new Map(combined.mask.mapping.names().map((name, i) => [name, i]));
  const pairs = combined.overlaps.flatMap((o) => o.overlapped.map((x) => ({ a: x.name, b: o.name, voxels: x.voxels })));
  return pairs.sort((p, q) => order.get(p.a)! - order.get(q.a)! || order.get(p.b)! - order.get(q.b)!);
}

/**
 * `medmask overlaps FILE_OR_FOLDER [--json]`: every overlapping pair with voxel counts. The
 * masks of a folder or archive are read one at a time, painted into one layered mask, and
 * each counted against those before it, so memory holds the layers and one mask (not every
 * mask at once); a layered mask file's labels are counted the same way, one at a time.
 */
export async function overlaps(path: string, options: { json?: boolean }, print: (text: string) => void): Promise<void> {
  const input = await readInput(path);
  let pairs: Overlap[] = [];
  if (input.kind !== "mask") pairs = pairsOf(await combinedOf(input));
  else if (input.mask.layerCount > 1) {
    // Labels in different layers may share voxels; one layer cannot overlap itself.
    const { mask } = input;
    const names = mask.mapping.names();
    const build = combiner(mask.space, names.length, { mapping: mask.mapping.toJSON() });
    const region = new Uint8Array(mask.space.voxelCount);
    for (const name of names) build.add({ name, data: mask.getBinaryMaskByNames(name, { out: region }) });
    pairs = pairsOf(build.result());
  }
  if (options.json) print(JSON.stringify(pairs, null, 2));
  else if (pairs.length === 0) print("no overlaps");
  else print(formatTable(["mask A", "mask B", "voxels"], pairs.map((p) => [p.a, p.b, p.voxels])));
}
