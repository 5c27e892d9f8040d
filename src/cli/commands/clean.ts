import { dilate, erode, fillHoles, keepLargestComponents, removeSmallComponents, type Connectivity, type SegmentationMask } from "medmask";
import { InputError } from "medmask";
import { asMask, readInput, writeOutput } from "../io.js";
import { ml } from "../table.js";
import { refuseExisting } from "./convert.js";

/** What `medmask clean` does, in this order. */
export interface CleanOptions {
  /** `true` (every label) or a comma list of names: keep each one's largest piece. */
  keepLargest?: boolean | string;
  minMl?: number;
  minVoxels?: number;
  fillHoles?: boolean | string;
  /** Grow (dilate) or shrink (erode) every organ, or those of `names`, by this many mm. */
  dilateMm?: number;
  erodeMm?: number;
  names?: string;
  connectivity?: Connectivity;
  force?: boolean;
}

/** The cleaning steps among a command's options (checked: at least one), as a batch record carries them. */
export function cleanSteps(options: CleanOptions): CleanOptions {
  const { keepLargest, minMl, minVoxels, fillHoles: fill, erodeMm, dilateMm, names, connectivity } = options;
  const steps = Object.fromEntries(Object.entries({ keepLargest, minMl, minVoxels, fillHoles: fill, erodeMm, dilateMm, names, connectivity }).filter(([, v]) => v !== undefined)) as CleanOptions;
  if ([keepLargest, minMl, minVoxels, fill, erodeMm, dilateMm].every((v) => v === undefined || v === false)) throw new InputError("INVALID_ARGUMENT", NO_STEP);
  return steps;
}

const NO_STEP = "medmask clean needs a step: --keep-largest, --min-ml, --min-voxels, --fill-holes, --erode-mm or --dilate-mm.";

const namesOf = (value: boolean | string | undefined) => (typeof value === "string" ? value.split(",").map((s) => s.trim()).filter(Boolean) : undefined);

/**
 * The cleaning steps on `mask`, in the order a segmentation is usually cleaned: islands
 * removed, the largest pieces kept, holes filled, then eroded and dilated (a margin). Each
 * step says, per label, what it changed.
 */
export function cleanMask(mask: SegmentationMask<string>, options: CleanOptions, say: (line: string) => void): SegmentationMask<string> {
  const { connectivity } = options;
  const steps: Array<[string, (m: SegmentationMask<string>) => SegmentationMask<string>]> = [];
  if (options.minMl !== undefined || options.minVoxels !== undefined) steps.push(["islands removed", (m) => removeSmallComponents(m, { minMl: options.minMl, minVoxels: options.minVoxels, connectivity })]);
  if (options.keepLargest) steps.push(["largest piece kept", (m) => keepLargestComponents(m, { names: namesOf(options.keepLargest), connectivity })]);
  if (options.fillHoles) steps.push(["holes filled", (m) => fillHoles(m, { names: namesOf(options.fillHoles) })]);
  const names = namesOf(options.names);
  if (options.erodeMm !== undefined) steps.push([`eroded ${options.erodeMm} mm`, (m) => erode(m, options.erodeMm!, { names })]);
  if (options.dilateMm !== undefined) steps.push([`dilated ${options.dilateMm} mm`, (m) => dilate(m, options.dilateMm!, { names })]);
  if (steps.length === 0) throw new InputError("INVALID_ARGUMENT", NO_STEP);
  const ml3 = mask.space.voxelVolume / 1000;
  for (const [what, step] of steps) {
    const before = new Map(mask.labelStats().map((s) => [s.name, s.voxels]));
    mask = step(mask);
    for (const s of mask.labelStats()) {
      const delta = s.voxels - (before.get(s.name) ?? 0);
      if (delta !== 0) say(`${what}: ${s.name} ${delta > 0 ? "+" : ""}${delta} voxel(s) (${delta > 0 ? "+" : ""}${ml(delta * ml3)} mL), now ${ml(s.voxels * ml3)} mL`);
    }
  }
  return mask;
}

/** `medmask clean IN OUT [--min-ml X | --min-voxels N] [--keep-largest [NAMES]] [--fill-holes [NAMES]] [--erode-mm R] [--dilate-mm R] [--names a,b] [--connectivity 6|18|26]`. */
export async function clean(input: string, output: string, options: CleanOptions, say: (line: string) => void, warn: (line: string) => void): Promise<void> {
  await refuseExisting(output, options.force, [input]);
  const mask = cleanMask(await asMask(await readInput(input), warn), options, say);
  await writeOutput(output, { kind: "mask", mask }, warn);
}
