import { resolve } from "node:path";
import { FileError, InputError, LabelError, SegmentationMask, sidecarPath } from "medmask";
import { isNiftiPath } from "medmask/internals";
import { asMask, exists, readInput, selectNames, writeOutput, type OutputOptions } from "../io.js";

const split = (list?: string) => (list ? list.split(",").map((s) => s.trim()).filter(Boolean) : undefined);

/**
 * Refuses an output that exists, and for a NIfTI output its names sidecar too (`b.nii.gz`
 * writes `b.json`, which may be an unrelated file), unless `force`; never, even forced, a
 * file this command reads (`--labels dataset.json` with the output `dataset.nii`).
 */
export async function refuseExisting(path: string, force: boolean | undefined, inputs: readonly (string | undefined)[]): Promise<void> {
  const written = isNiftiPath(path) ? [path, sidecarPath(path)] : [path];
  for (const out of written) {
    if (inputs.some((i) => i !== undefined && resolve(i) === resolve(out))) {
      throw new InputError("INVALID_ARGUMENT", `${out} is also an input of this command; writing it would destroy what is being read. Choose another output name.`);
    }
    if (!force && (await exists(out))) throw new FileError("FILE_EXISTS", `${out} already exists${out === path ? "" : ` (the names sidecar of ${path})`}; pass --force to replace it.`);
  }
}

/** `medmask convert IN OUT [--names a,b] [--labels map.json] [--format python] [--per-label] [--flatten] [--source DIR] [--force]`. */
export async function convert(input: string, output: string, options: { names?: string; labels?: string; force?: boolean } & OutputOptions, warn: (line: string) => void): Promise<void> {
  await refuseExisting(output, options.force, [input, options.labels]);
  let data = await readInput(input, { labels: options.labels, warn, ...(options.source !== undefined ? { source: options.source } : {}) });
  const names = split(options.names);
  if (names) data = await selectNames(data, names);
  // --source named the images an RT Structure Set input was drawn on; a DICOM SEG output references them too.
  const source = data.kind === "mask" && data.rasterised && !/\.dcm$/i.test(output) ? undefined : options.source;
  await writeOutput(output, data, warn, { format: options.format, perLabel: options.perLabel, flatten: options.flatten, ...(source !== undefined ? { source } : {}) });
}

/** `medmask extract FILE --names a,b -o OUT`: the binary union of the names. */
export async function extract(input: string, options: { names: string; output: string; force?: boolean; strict?: boolean }, warn: (line: string) => void): Promise<void> {
  await refuseExisting(options.output, options.force, [input]);
  const names = split(options.names) ?? [];
  if (names.length === 0) throw new InputError("INVALID_ARGUMENT", "--names needs at least one name.");
  const mask = await asMask(await readInput(input), warn);
  const binary = mask.getBinaryMaskByNames(names);
  // Names that exist but hold no voxel make an empty (or smaller) output: said, or refused.
  const voxels = new Map(mask.labelStats().map((s) => [s.name, s.voxels]));
  const empty = names.filter((n) => (voxels.get(n) ?? 0) === 0);
  if (empty.length > 0) {
    const what = `${empty.join(", ")} ${empty.length === 1 ? "has" : "have"} no voxels in ${input}${empty.length === names.length ? "; the output would be empty" : ""}`;
    if (options.strict) throw new LabelError("EMPTY_LABEL", `${what}. Nothing was written (--strict).`);
    warn(`${what} (--strict makes this an error)`);
  }
  // Through writeOutput like convert: a NIfTI output gets its names sidecar, so the union's
  // name comes back with it.
  await writeOutput(options.output, { kind: "mask", mask: new SegmentationMask(binary, { [names.join("+")]: 1 }, mask.space) }, warn);
}
