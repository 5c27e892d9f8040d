#!/usr/bin/env node
// `npx medmask ...`: the command line. Exit codes: 0 success, 1 an error (one line on
// stderr, no partial output left), 2 a usage error, 3 a batch in which some cases failed.
import { Command, CommanderError, Option } from "commander";
import { readFileSync } from "node:fs";
import { MedMaskError } from "../node.js";
import { batchConvert } from "./commands/batch.js";
import { convert, extract } from "./commands/convert.js";
import { info } from "./commands/info.js";
import { overlaps } from "./commands/overlaps.js";
import { runDemo } from "./demo.js";
import { setMaxMemory } from "./io.js";
import { parseShard, type Shard } from "./shard.js";

export const EXIT = { ok: 0, error: 1, usage: 2, batchFailures: 3 } as const;

const out = (text: string) => process.stdout.write(text + "\n");
const err = (text: string) => process.stderr.write(text + "\n");
const version = (JSON.parse(readFileSync(new URL("../../package.json", import.meta.url), "utf8")) as { version: string }).version;

function program(): Command {
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
    .action((file: string, o: { json?: boolean }) => info(file, o, out));

  cli.command("convert <in> <out>")
    .description("convert between .msk, .mska, Python .msk/.mska, .nii/.nii.gz, a folder of NIfTI masks, and .seg.nrrd")
    .option("--names <a,b>", "keep only these names")
    .option("--labels <map.json>", "label names for a plain NIfTI ({\"liver\": 1} or {\"1\": \"liver\"})")
    .addOption(new Option("--format <layout>", "layout of a .msk or .mska output: medmask's own, or the Python medmask library's").choices(["native", "python"]).default("native"))
    .option("--per-label", "a .mska of one binary entry per label (keeps every voxel of overlapping masks in any layout)")
    .option("-f, --force", "replace an existing output")
    .action((input: string, output: string, o: { names?: string; labels?: string; force?: boolean; format?: "native" | "python"; perLabel?: boolean }) => convert(input, output, o, (w) => err(`medmask: ${w}`)));

  cli.command("extract <file>")
    .description("the binary union of the named labels")
    .requiredOption("--names <a,b>", "names to extract")
    .requiredOption("-o, --output <file>", "output (.nii.gz, .nii, .msk, ...)")
    .option("-f, --force", "replace an existing output")
    .action((file: string, o: { names: string; output: string; force?: boolean }) => extract(file, o, (w) => err(`medmask: ${w}`)));

  cli.command("overlaps <fileOrFolder>")
    .description("every overlapping pair of masks with voxel counts")
    .option("--json", "machine-readable output")
    .action((path: string, o: { json?: boolean }) => overlaps(path, o, out));

  const batch = cli.command("batch").description("process many cases in parallel");
  batch.command("convert <inDir> <outDir>")
    .description("convert every case folder or mask file under inDir, on all cores")
    .addOption(new Option("--to <format>", "output format").choices(["msk", "mska", "nii.gz", "nii", "seg.nrrd"]).default("msk"))
    .option("-j, --workers <n>", "worker threads (default: all cores)", (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1) throw new CommanderError(EXIT.usage, "medmask.workers", `--workers takes a positive integer, got "${v}"`);
      return n;
    })
    .option("--resume", "skip cases whose output exists (outputs are written atomically)")
    .option("-f, --force", "replace existing outputs")
    .option("--shard <I/N|env/N>", "only shard I of N (1-based) of the sorted cases, for array jobs; env: I from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX", (v) => {
      try {
        return parseShard(v);
      } catch (error) {
        throw new CommanderError(EXIT.usage, "medmask.shard", (error as Error).message);
      }
    })
    .action(async (inDir: string, outDir: string, o: { to?: string; workers?: number; resume?: boolean; force?: boolean; shard?: Shard }) => {
      const summary = await batchConvert(inDir, outDir, o, err, Boolean(process.stderr.isTTY));
      if (summary.failed.length > 0) process.exitCode = EXIT.batchFailures;
    });

  cli.command("demo")
    .description("the main job on the built-in TotalSegmentator case: organ table, overlaps, timings")
    .argument("[folder]", "a folder of binary NIfTI masks instead of the built-in case")
    .action(async (folder?: string) => {
      await runDemo(folder);
    });
  return cli;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await program().parseAsync(argv, { from: "user" });
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

main(process.argv.slice(2)).then((code) => {
  process.exitCode = code;
});
