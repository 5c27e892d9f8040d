// `medmask crop | reorient | resample` and their batch forms: one geometry step between
// reading a mask and writing it (SPEC section 13). A step is plain values (a queue's batch
// record carries it to other machines), the target grid of --like included, as its JSON.
import { InputError, SegmentationMask, Space, crop, niftiSpace, reorient, resample } from "medmask";
import { fileIO } from "medmask/internals";
import { asMask, isDirectory, kindOf, readInput, writeOutput } from "../io.js";
import { refuseExisting } from "./convert.js";

/** One geometry step, in values a batch record can carry. */
export interface ReshapeStep {
  op: "crop" | "reorient" | "resample";
  /** crop: the organs whose box to keep, "a,b" (default: every organ). */
  names?: string;
  /** crop: millimetres kept around them. */
  marginMm?: number;
  /** reorient: one letter per array axis (z, y, x), like "SPL". */
  codes?: string;
  /** resample: "1.5" or "2.5,0.8,0.8" (array axes) mm. */
  spacing?: string;
  /** resample: the grid to bring the mask to, as Space JSON (made from --like). */
  like?: string;
  method?: "nearest" | "label-linear";
}

/** What `crop`, `reorient` and `resample` take on the command line. */
export interface ReshapeOptions {
  names?: string;
  marginMm?: number;
  spacing?: string;
  like?: string;
  method?: "nearest" | "label-linear";
  /** Paint a layered mask into one volume for a NIfTI or Python `.msk` output. */
  flatten?: boolean;
  force?: boolean;
}

const describe = (m: SegmentationMask<string>): string => `${m.shape.join("x")} voxels of ${m.space.spacing.map((s) => +s.toFixed(3)).join(" x ")} mm, axes ${m.space.axisCodes.join("")}`;

function spacingOf(text: string): number | number[] {
  const parts = text.split(",").map((s) => Number(s.trim()));
  if (!(parts.length === 1 || parts.length === 3) || parts.some((v) => !Number.isFinite(v) || v <= 0)) {
    throw new InputError("INVALID_ARGUMENT", `--spacing takes a positive number of mm, or three (array axes z,y,x) like 2.5,0.8,0.8, got "${text}".`);
  }
  return parts.length === 1 ? parts[0]! : parts;
}

/**
 * The grid of a file: a NIfTI of any datatype (a CT) from its header; any mask file medmask
 * reads otherwise.
 */
export async function gridOf(path: string, warn: (line: string) => void): Promise<Space> {
  if (!(await isDirectory(path)) && kindOf(path, false) === "nifti") return niftiSpace(await fileIO("Reading").readFile(path));
  return (await asMask(await readInput(path), warn)).space;
}

/** The step of a command's options (checked), with --like's grid read once. */
export async function reshapeStep(op: ReshapeStep["op"], options: ReshapeOptions & { codes?: string }, warn: (line: string) => void): Promise<ReshapeStep> {
  if (op === "resample") {
    if ((options.spacing === undefined) === (options.like === undefined)) throw new InputError("INVALID_ARGUMENT", "medmask resample takes one of --spacing MM and --like FILE.");
    if (options.spacing !== undefined) spacingOf(options.spacing);
    const like = options.like === undefined ? undefined : JSON.stringify((await gridOf(options.like, warn)).toJSON());
    return { op, ...(options.spacing !== undefined ? { spacing: options.spacing } : {}), ...(like ? { like } : {}), ...(options.method ? { method: options.method } : {}) };
  }
  if (op === "reorient") {
    // The library's own check, before any case is read: a one-voxel mask reoriented.
    reorient(new SegmentationMask(new Uint8Array(1), {}, new Space({ shape: [1, 1, 1] })), options.codes ?? "");
    return { op, codes: options.codes };
  }
  return { op, ...(options.names !== undefined ? { names: options.names } : {}), ...(options.marginMm !== undefined ? { marginMm: options.marginMm } : {}) };
}

/** `step` on `mask`; says what the grid became. */
export function reshapeMask(mask: SegmentationMask<string>, step: ReshapeStep, say: (line: string) => void): SegmentationMask<string> {
  let out: SegmentationMask<string>;
  if (step.op === "crop") {
    const names = step.names?.split(",").map((s) => s.trim()).filter(Boolean);
    out = crop(mask, { ...(names ? { names } : {}), marginMm: step.marginMm ?? 0 });
  } else if (step.op === "reorient") {
    out = reorient(mask, step.codes ?? "");
  } else {
    const target = step.like !== undefined ? Space.fromJSON(step.like) : { spacing: spacingOf(step.spacing ?? "") };
    out = resample(mask, target, { method: step.method ?? "nearest" });
  }
  say(`${step.op}: ${describe(mask)} -> ${describe(out)}`);
  return out;
}

/** `medmask crop | reorient | resample IN OUT ...`. */
export async function reshape(input: string, output: string, op: ReshapeStep["op"], options: ReshapeOptions & { codes?: string }, say: (line: string) => void, warn: (line: string) => void): Promise<void> {
  await refuseExisting(output, options.force, [input, options.like]);
  const step = await reshapeStep(op, options, warn);
  const mask = reshapeMask(await asMask(await readInput(input), warn), step, say);
  await writeOutput(output, { kind: "mask", mask }, warn, { flatten: options.flatten });
}
