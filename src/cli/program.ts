// The command line's commands (`medmask info | convert | extract | compare | clean | crop | reorient | resample | overlaps | batch | worker
// | demo`). Exit codes: 0 success, 1 an error (one line on stderr, no partial output left), 2
// a usage error, 3 a batch in which some cases failed. Started by main.ts, the bin.
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { FileError, MedMaskError } from "medmask";
import { batchConvert, planBatch, type BatchOptions } from "./commands/batch.js";
import { convert, extract } from "./commands/convert.js";
import { info } from "./commands/info.js";
import { batchCompare, type BatchCompareOptions } from "./commands/batch-compare.js";
import type { Connectivity } from "medmask";
import { clean, cleanSteps, type CleanOptions } from "./commands/clean.js";
import { mesh, meshStep, type MeshStep } from "./commands/mesh.js";
import { MESH_OUTPUTS } from "./batch-record.js";
import { reshape, reshapeStep, type ReshapeOptions, type ReshapeStep } from "./commands/reshape.js";
import { compare, type CompareCommandOptions } from "./commands/compare.js";
import { overlaps } from "./commands/overlaps.js";
import { runDemo } from "./demo.js";
import { setMaxMemory } from "./io.js";
import { parseShard } from "./shard.js";

export const EXIT = { ok: 0, error: 1, usage: 2, batchFailures: 3 } as const;

const out = (text: string) => process.stdout.write(text + "\n");
const err = (text: string) => process.stderr.write(text + "\n");
const version = (JSON.parse(readFileSync(new URL("../package.json", import.meta.url), "utf8")) as { version: string }).version;

/** An option parser for a whole number of at least `min`; anything else is a usage error. */
function positiveOrZero(option: string, min = 0): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!Number.isInteger(n) || n < min) throw new CommanderError(EXIT.usage, `medmask.${option}`, `--${option} takes a whole number of at least ${min}, got "${value}"`);
    return n;
  };
}

/** A percentile from 0 to 100, else a usage error. */
function percentOption(value: string): number {
  const n = Number(value);
  if (!(value.trim() !== "" && n >= 0 && n <= 100)) throw new CommanderError(EXIT.usage, "medmask.percentile", `--percentile takes a number from 0 to 100, got "${value}"`);
  return n;
}

/** A distance in mm (0 or more), else a usage error. */
function millimetres(value: string): number {
  const n = Number(value);
  if (!(value.trim() !== "" && Number.isFinite(n) && n >= 0)) throw new CommanderError(EXIT.usage, "medmask.tolerance", `--tolerance-mm takes a distance in mm, got "${value}"`);
  return n;
}

/** --workers. */
function withWorkers(command: Command): Command {
  return command.option("-j, --workers <n>", "worker threads (default: all cores)", positiveOrZero("workers", 1));
}

/** --shard, for array jobs. */
function withShard(command: Command): Command {
  return command.option("--shard <I/N|env/N>", "only shard I of N (1-based) of the sorted cases, for array jobs; env: I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX", (v) => {
    try {
      return parseShard(v);
    } catch (error) {
      throw new CommanderError(EXIT.usage, "medmask.shard", (error as Error).message);
    }
  });
}

/** --queue and what goes with it. */
function withQueue(command: Command): Command {
  return command
    .option("--queue <redis-url>", "put the cases into a BullMQ queue on this Redis (redis://HOST:PORT) and work on it; `medmask worker` on other machines joins")
    .option("--queue-name <name>", "the queue's name (default: made from the folders, so batches never mix)")
    .option("--retries <n>", "with --queue: attempts after a case's first failure (default 2)", positiveOrZero("retries"))
    .option("--stall-seconds <s>", "with --queue: a case whose worker renews no lock for this long is given to another (default 30)", positiveOrZero("stall-seconds"));
}

/** The cleaning steps of `clean` and `batch clean`. */
function withCleanSteps(command: Command): Command {
  return command
    .option("--min-ml <ml>", "remove pieces smaller than this many mL", (v) => millimetres(v))
    .option("--min-voxels <n>", "remove pieces of fewer voxels", positiveOrZero("min-voxels"))
    .option("--keep-largest [names]", "keep only the largest piece of every organ (or of these, a,b)")
    .option("--fill-holes [names]", "fill the cavities of every organ (or of these, a,b) where they are background")
    .option("--erode-mm <mm>", "shrink every organ (or --names) by this many mm", (v) => millimetres(v))
    .option("--dilate-mm <mm>", "grow every organ (or --names) by this many mm into the background (never into another organ)", (v) => millimetres(v))
    .option("--names <a,b>", "the organs --erode-mm and --dilate-mm change (default: all)")
    .option("--connectivity <n>", "6, 18 or 26: which neighbours join voxels into one piece (default 26)", (v) => {
      if (!["6", "18", "26"].includes(v)) throw new CommanderError(EXIT.usage, "medmask.connectivity", `--connectivity takes 6, 18 or 26, got "${v}"`);
      return Number(v) as Connectivity;
    });
}

/** The options of `mesh` and `batch mesh`. */
function withMeshOptions(command: Command): Command {
  return command
    .option("--names <a,b>", "only these organs (default: every organ)")
    .option("--smoothing <n>", "rounds of Taubin smoothing, which keeps the volume (default 0: the voxels' surface nets; 10-30 look smooth)", positiveOrZero("smoothing"))
    .option("--decimate <r>", "take away this share of the triangles, 0 to below 1 (meshoptimizer)", (v) => {
      const r = Number(v);
      if (!(v.trim() !== "" && r >= 0 && r < 1)) throw new CommanderError(EXIT.usage, "medmask.decimate", `--decimate takes a share from 0 to below 1, got "${v}"`);
      return r;
    })
    .addOption(new Option("--coordinates <space>", "the world coordinates of the vertices, as the file's header says").choices(["LPS", "RAS"]).default("LPS"))
    .option("--pieces", "a mesh per connected piece of each organ (\"liver 1\" the largest, \"liver 2\", ...)");
}

/** The options of `crop`, `reorient` and `resample` and their batch forms. */
function withReshape(command: Command, op: ReshapeStep["op"]): Command {
  if (op === "crop") {
    return command
      .option("--names <a,b>", "the organs whose box to keep (default: every organ)")
      .option("--margin-mm <mm>", "keep this many mm around them (whole voxels, rounded up; clipped to the grid)", (v) => millimetres(v));
  }
  if (op === "resample") {
    return command
      .option("--spacing <mm>", "the new spacing: one number, or three (array axes z,y,x); the extent is kept")
      .option("--like <file>", "bring the mask to this file's grid (a CT's .nii.gz, or any mask file)")
      .addOption(new Option("--method <m>", "nearest (default) or label-linear (smoother boundaries; no label invented)").choices(["nearest", "label-linear"]));
  }
  return command;
}

const RESHAPE_HELP: Record<ReshapeStep["op"], string> = {
  crop: "keep the box of some organs (or of every organ) and a margin in mm; the grid's place in the world is kept",
  reorient: "flip and reorder the axes so they increase towards CODES, one letter per array axis (z, y, x): SPL, SAR, ... (a NIfTI nibabel reads as RAS is SAR here); exact",
  resample: "bring the mask to a new spacing (--spacing) or another file's grid (--like)",
};

/** The queue commands, loaded only for --queue (bullmq and ioredis take a while to import). */
const queueModule = (): Promise<typeof import("./queue.js")> => import("./queue.js");

/** What a bin tells the program: where the built-in demo case lies (null: not installed). */
export interface RunOptions {
  demoData?: string | null;
}

function program(options: RunOptions): Command {
  const cli = new Command("medmask")
    .description("Self-describing segmentation masks: inspect, convert and batch-process mask files.")
    .version(version)
    .option("--max-memory <size>", "the most memory one input may need (e.g. 512M, 8G; default 2G): larger ones are refused (TOO_LARGE)")
    .hook("preAction", (command) => setMaxMemory(command.opts<{ maxMemory?: string }>().maxMemory))
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s), outputError: (s, write) => write(`medmask: ${s.replace(/^error: /, "")}`) });

  cli.command("info <file>")
    .description("space, mapping and per-label voxels / mL / bounding box (from the header when the file stores them)")
    .option("--json", "machine-readable output")
    .option("--timeout <s>", "over HTTP: give up after this many seconds (default 120; a server silent for 30 s is given up sooner)", positiveOrZero("timeout", 1))
    .action((file: string, o: { json?: boolean; timeout?: number }) => info(file, o, out));

  cli.command("convert <in> <out>")
    .description("convert between .msk, .mska, Python .msk/.mska, .nii/.nii.gz, a folder of NIfTI masks, .seg.nrrd, DICOM SEG and RT Structure Sets (.dcm)")
    .option("--names <a,b>", "keep only these names")
    .option("--labels <map.json>", "label names for a plain NIfTI, or label numbers for the masks of a folder or archive ({\"liver\": 1} or {\"1\": \"liver\"}; a folder of TotalSegmentator classes takes its class map without it)")
    .addOption(new Option("--format <layout>", "layout of a .msk or .mska output: medmask's own, or the Python medmask library's; rtstruct: a .dcm output as an RT Structure Set (contours) instead of a DICOM SEG").choices(["native", "python", "rtstruct"]).default("native"))
    .option("--per-label", "a .mska of one binary entry per label (keeps every voxel of overlapping masks in any layout)")
    .option("--flatten", "paint a layered mask (labels that overlap) into one volume for NIfTI or the Python .msk (later layers win)")
    .option("--source <folder>", "the images (one series' DICOM files) a DICOM SEG or RT Structure Set output references (their study, frame of reference and patient), or an RT Structure Set input was drawn on (its contours are rasterised onto their grid)")
    .option("-f, --force", "replace an existing output")
    .action((input: string, output: string, o: { names?: string; labels?: string; force?: boolean; format?: "native" | "python" | "rtstruct"; perLabel?: boolean; flatten?: boolean; source?: string }) => convert(input, output, o, (w) => err(`medmask: ${w}`)));

  cli.command("extract <file>")
    .description("the binary union of the named labels")
    .requiredOption("--names <a,b>", "names to extract")
    .requiredOption("-o, --output <file>", "output (.nii.gz, .nii, .msk, ...)")
    .option("-f, --force", "replace an existing output")
    .option("--strict", "fail (EMPTY_LABEL) when a name has no voxels, instead of a warning")
    .action((file: string, o: { names: string; output: string; force?: boolean; strict?: boolean }) => extract(file, o, (w) => err(`medmask: ${w}`)));

  cli.command("compare <a> <b>")
    .description("each label of A (the reference) against B, paired by name: Dice, HD95, ASSD, NSD, volumes")
    .option("--names <a,b>", "only these names")
    .option("--json", "every row, machine-readable")
    .option("--csv", "every row as CSV")
    .addOption(new Option("--match <by>", "pair labels by name (default) or by number").choices(["name", "label"]))
    .option("--percentile <p>", "the Hausdorff percentile (default 95)", (v) => percentOption(v))
    .option("--tolerance-mm <mm>", "the surface Dice tolerance in mm (default 1)", (v) => millimetres(v))
    .action((a: string, b: string, o: CompareCommandOptions) => compare(a, b, o, out, (w) => err(`medmask: ${w}`)));

  withCleanSteps(cli.command("clean <in> <out>").description("remove islands, keep each organ's largest piece, fill holes, erode or dilate in mm (each organ on its own; other organs' voxels untouched)"))
    .option("-f, --force", "replace an existing output")
    .action((input: string, output: string, o: CleanOptions) => clean(input, output, o, out, (w) => err(`medmask: ${w}`)));

  withMeshOptions(cli.command("mesh <in> <out>").description("a closed surface per organ (surface nets, in world mm, LPS by default) as .glb (a named node per organ, its colour), .stl, .obj or .ply"))
    .option("-f, --force", "replace an existing output")
    .action((input: string, output: string, o: MeshStep & { force?: boolean }) => mesh(input, output, o, out, (w) => err(`medmask: ${w}`)));

  for (const op of ["crop", "reorient", "resample"] as const) {
    withReshape(cli.command(op === "reorient" ? `${op} <in> <out> <codes>` : `${op} <in> <out>`).description(RESHAPE_HELP[op]), op)
      .option("--flatten", "paint a layered mask (labels that overlap) into one volume for NIfTI or the Python .msk (later layers win)")
      .option("-f, --force", "replace an existing output")
      .action((input: string, output: string, ...rest: unknown[]) => {
        const [codes, o] = op === "reorient" ? [rest[0] as string, rest[1] as ReshapeOptions] : [undefined, rest[0] as ReshapeOptions];
        return reshape(input, output, op, { ...o, codes }, out, (w) => err(`medmask: ${w}`));
      });
  }

  cli.command("overlaps <fileOrFolder>")
    .description("every overlapping pair of masks with voxel counts")
    .option("--json", "machine-readable output")
    .action((path: string, o: { json?: boolean }) => overlaps(path, o, out));

  const batch = cli.command("batch").description("process many cases in parallel");
  /** `batch convert`, `batch clean` and the geometry steps: cases of IN into OUT, on a pool, a shard or a queue. */
  const intoOut = (command: Command, step: "clean" | "mesh" | ReshapeStep["op"] | null) =>
    withQueue(withShard(withWorkers(command.addOption(step === "mesh" ? new Option("--to <format>", "mesh format").choices([...MESH_OUTPUTS]).default("glb") : new Option("--to <format>", "output format").choices(["msk", "mska", "nii.gz", "nii", "seg.nrrd"]).default("msk")))))
      .option("--resume", "skip cases whose output exists (outputs are written atomically)")
      .option("-f, --force", "replace existing outputs")
      .action(async (inDir: string, outDir: string, ...rest: unknown[]) => {
        const codes = step === "reorient" ? (rest.shift() as string) : undefined;
        const o = rest[0] as BatchOptions & CleanOptions & ReshapeOptions & MeshStep & { queue?: string; queueName?: string; retries?: number; stallSeconds?: number };
        const isTTY = Boolean(process.stderr.isTTY);
        const options = step === "clean" ? { ...o, clean: cleanSteps(o) } : step === "mesh" ? { ...o, mesh: meshStep(o) } : step ? { ...o, reshape: await reshapeStep(step, { ...o, codes }, (w) => err(`medmask: ${w}`)) } : o;
        // BullMQ (and its Redis client) loads only for a queue.
        const summary = o.queue
          ? await (await queueModule()).queueBatch(await planBatch(inDir, outDir, options), inDir, outDir, { ...options, queue: o.queue }, err, isTTY)
          : await batchConvert(inDir, outDir, options, err, isTTY);
        if (summary.failed.length > 0) process.exitCode = EXIT.batchFailures;
      });
  intoOut(batch.command("convert <inDir> <outDir>").description("convert every case folder or mask file under inDir, on all cores"), null);
  intoOut(withCleanSteps(batch.command("clean <inDir> <outDir>").description("clean every case under inDir as `medmask clean` does, on all cores")), "clean");
  intoOut(withMeshOptions(batch.command("mesh <inDir> <outDir>").description("the surfaces of every case under inDir as `medmask mesh` makes them, one file per case, on all cores")), "mesh");
  for (const op of ["crop", "reorient", "resample"] as const) {
    intoOut(withReshape(batch.command(op === "reorient" ? `${op} <inDir> <outDir> <codes>` : `${op} <inDir> <outDir>`).description(`${op} every case under inDir as \`medmask ${op}\` does, on all cores`), op), op);
  }

  withQueue(
    withShard(
      withWorkers(
        batch
          .command("compare <predDir> <truthDir>")
          .description("every case of predDir against the case of the same name in truthDir, on all cores: a CSV row per case and organ, and per organ the mean and median of each metric")
          .requiredOption("--csv <out.csv>", "the rows (OUT.summary.csv beside it gets the per-organ means and medians)")
          .option("--names <a,b>", "only these names"),
      ),
    ),
  )
    .option("--percentile <p>", "the Hausdorff percentile (default 95)", (v) => percentOption(v))
    .option("--tolerance-mm <mm>", "the surface Dice tolerance in mm (default 1)", (v) => millimetres(v))
    .option("-f, --force", "replace existing CSV files")
    .action(async (predDir: string, truthDir: string, o: BatchCompareOptions) => {
      const summary = await batchCompare(predDir, truthDir, o, out, err, Boolean(process.stderr.isTTY));
      if (summary.failed.length > 0) process.exitCode = EXIT.batchFailures;
    });

  cli.command("worker")
    .description("work on a batch's queue (batch convert --queue) from this machine, until SIGTERM / SIGINT or --until-empty")
    .requiredOption("--queue <redis-url>", "the Redis the batch's queue is on (redis://HOST:PORT)")
    .option("--queue-name <name>", "only this batch's queue (default: every medmask-… batch queue on that Redis, joined as they start)")
    .option("-j, --workers <n>", "worker threads (default: all cores)", positiveOrZero("workers", 1))
    .option("--stall-seconds <s>", "as for batch convert (use the same value)", positiveOrZero("stall-seconds"))
    .option("--until-empty", "exit once the queue has nothing waiting or running")
    .option("--in <dir>", "only batches reading this IN folder (required without MEDMASK_QUEUE_SECRET)")
    .option("--out <dir>", "only batches writing into this OUT folder (required without MEDMASK_QUEUE_SECRET)")
    .action(async (o: { queue: string; queueName?: string; workers?: number; stallSeconds?: number; untilEmpty?: boolean; in?: string; out?: string }) => (await queueModule()).runWorker(o, err));

  cli.command("demo")
    .description("the main job on the built-in TotalSegmentator case: organ table, overlaps, timings")
    .argument("[folder]", "a folder of binary NIfTI masks instead of the built-in case")
    .action(async (folder?: string) => {
      const dir = folder ?? options.demoData;
      if (!dir) throw new FileError("FILE_NOT_FOUND", "The built-in TotalSegmentator case is not here (it ships in the medmask-cli package); give a folder of binary NIfTI masks: medmask demo FOLDER.");
      await runDemo(dir);
    });
  return cli;
}

/**
 * Runs the command line on `argv` (without node and the script) and resolves to the exit
 * code; prints its own output and errors.
 * @example process.exitCode = await run(["info", "case.msk"]);
 */
export async function run(argv: string[], options: RunOptions = {}): Promise<number> {
  try {
    await program(options).parseAsync(argv, { from: "user" });
    return typeof process.exitCode === "number" ? process.exitCode : EXIT.ok;
  } catch (error) {
    if (error instanceof CommanderError) {
      if (error.code === "commander.helpDisplayed" || error.code === "commander.version" || error.code === "commander.help") return EXIT.ok;
      if (error.code.startsWith("medmask.")) err(`medmask: ${error.message}`); // ours; commander printed its own
      return EXIT.usage;
    }
    const message = error instanceof MedMaskError ? `${error.message}` : `unexpected error: ${(error as Error)?.message ?? String(error)}`;
    err(`medmask: ${message}`);
    if (process.env.MEDMASK_DEBUG) err((error as Error)?.stack ?? "");
    return EXIT.error;
  }
}
