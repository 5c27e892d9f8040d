import { MedMaskError, niftiBytes } from "../../node.js";
import { fileIO } from "../../file-io.js";
import { asMask, exists, readInput, selectNames, writeOutput, type OutputOptions } from "../io.js";

const split = (list?: string) => (list ? list.split(",").map((s) => s.trim()).filter(Boolean) : undefined);

async function refuseExisting(path: string, force?: boolean): Promise<void> {
  if (!force && (await exists(path))) throw new MedMaskError("FILE_EXISTS", `${path} already exists; pass --force to replace it.`);
}

/** `medmask convert IN OUT [--names a,b] [--labels map.json] [--format python] [--per-label] [--force]`. */
export async function convert(input: string, output: string, options: { names?: string; labels?: string; force?: boolean } & OutputOptions, warn: (line: string) => void): Promise<void> {
  await refuseExisting(output, options.force);
  let data = await readInput(input, { labels: options.labels });
  const names = split(options.names);
  if (names) data = await selectNames(data, names);
  await writeOutput(output, data, warn, { format: options.format, perLabel: options.perLabel });
}

/** `medmask extract FILE --names a,b -o OUT`: the binary union of the names. */
export async function extract(input: string, options: { names: string; output: string; force?: boolean }, warn: (line: string) => void): Promise<void> {
  await refuseExisting(options.output, options.force);
  const names = split(options.names) ?? [];
  if (names.length === 0) throw new MedMaskError("INVALID_ARGUMENT", "--names needs at least one name.");
  const mask = await asMask(await readInput(input), warn);
  const binary = mask.getBinaryMaskByNames(names);
  if (/\.nii(\.gz)?$/i.test(options.output)) {
    await fileIO("Writing").writeAtomic(options.output, [niftiBytes(binary, mask.space, { gzip: /\.gz$/i.test(options.output) })]);
  } else {
    const { SegmentationMask } = await import("../../node.js");
    await writeOutput(options.output, { kind: "mask", mask: new SegmentationMask(binary, { [names.join("+")]: 1 }, mask.space) }, warn);
  }
}
