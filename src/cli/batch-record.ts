// The record of a queued batch: what a worker may do for it, fixed by the producer when the
// batch starts. A job names only its batch and a case; paths and options come from here.
//
// Anyone who can write to the queue's Redis can add jobs and records, so a worker trusts a
// record only when it is signed with the shared secret (HMAC-SHA256, MEDMASK_QUEUE_SECRET in
// both environments), or, without a secret, when its IN and OUT are the ones the worker's own
// command line names. Either way the case must be a plain entry of IN (one path segment, no
// `..`, resolving inside IN), and the output lands in OUT.
import { createHmac, randomBytes, timingSafeEqual } from "node:crypto";
import { lstat, realpath } from "node:fs/promises";
import { join, resolve, sep } from "node:path";
import { InputError } from "medmask";

/** The environment variable holding the secret that signs batch records. */
export const SECRET_ENV = "MEDMASK_QUEUE_SECRET";

/** The output formats a batch writes (the `--to` choices). */
export const BATCH_OUTPUTS = ["msk", "mska", "nii.gz", "nii", "seg.nrrd"] as const;

/** The mesh formats `mesh` and `batch mesh` write (by the output's extension). */
export const MESH_OUTPUTS = ["glb", "stl", "obj", "ply"] as const;

/** What a producer fixes for its batch. */
export interface BatchRecord {
  /** Unique per batch run: job ids and the record's key carry it, so two batches never mix. */
  id: string;
  /** The queue the batch runs on (a record is never honoured on another). */
  queue: string;
  /** IN and OUT, absolute, as every machine sees them. */
  in: string;
  out: string;
  /** Output format (one of BATCH_OUTPUTS). */
  to: string;
  /** --force: convert even where the output exists. */
  force: boolean;
  /** The producer's --max-memory; a worker's own limit, when lower, wins. */
  maxBytes?: number;
  /** The cases (entries of IN) the producer listed. */
  cases: string[];
  /**
   * What the batch does: "convert" (default; IN's cases into OUT) or "compare" (IN holds the
   * predictions, OUT the references, read only: `truthCases[k]` is the reference entry of
   * `cases[k]`; results go back to the producer, which writes the CSV).
   */
  op?: "convert" | "compare";
  truthCases?: string[];
  /** convert: cleaning steps every case goes through (`batch clean`). */
  clean?: Record<string, string | number | boolean>;
  /** convert: the geometry step every case goes through (`batch crop | reorient | resample`). */
  reshape?: Record<string, string | number | boolean>;
  /** convert: every case's surfaces instead of a mask (`batch mesh`; `to` is a mesh format). */
  mesh?: Record<string, string | number | boolean>;
  /** compare: only these names, the percentile, the tolerance. */
  names?: string[];
  percentile?: number;
  toleranceMm?: number;
}

/** A record as stored in Redis: the JSON, and its HMAC when the producer had a secret. */
export interface StoredRecord {
  json: string;
  sig?: string;
}

/** A batch id: random, so a second batch on the same queue name never takes the first's ids. */
export const newBatchId = (): string => randomBytes(8).toString("hex");

/** The Redis key of a batch's record. */
export const recordKey = (queue: string, id: string): string => `medmask:batch:${queue}:${id}`;

const hmac = (secret: string, json: string): string => createHmac("sha256", secret).update(json).digest("hex");

/** The stored form of a record, signed when `secret` is given. */
export function storeRecord(record: BatchRecord, secret: string | undefined): string {
  const json = JSON.stringify(record);
  const stored: StoredRecord = secret ? { json, sig: hmac(secret, json) } : { json };
  return JSON.stringify(stored);
}

/** Why a job is refused: typed, and never retried. */
const refuse = (why: string): InputError => new InputError("INVALID_ARGUMENT", `refused a queued case: ${why}`);

/** How a worker decides to trust a record. */
export interface Trust {
  /** The shared secret (MEDMASK_QUEUE_SECRET), if this worker has one. */
  secret?: string;
  /** IN and OUT from the worker's command line (required without a secret). */
  in?: string;
  out?: string;
}

/**
 * The trust of a worker from its environment and options; refuses to start a worker that
 * could trust nothing (no secret, and not both --in and --out).
 */
export function workerTrust(options: { in?: string; out?: string }, env: NodeJS.ProcessEnv = process.env): Trust {
  const secret = env[SECRET_ENV] || undefined;
  if (!secret && !(options.in && options.out)) {
    throw new InputError(
      "INVALID_ARGUMENT",
      `medmask worker runs only batches it can trust: set ${SECRET_ENV} to the producer's secret, or name the batch's folders with --in IN --out OUT.`,
    );
  }
  return { secret, in: options.in ? resolve(options.in) : undefined, out: options.out ? resolve(options.out) : undefined };
}

const isString = (v: unknown): v is string => typeof v === "string";

/** Parses and checks a stored record for queue `queue` under `trust`. */
export function trustedRecord(stored: string | null, queue: string, trust: Trust): BatchRecord {
  if (stored === null) throw refuse(`its batch has no record on queue ${queue} (a job not put there by \`medmask batch\`, or a batch that is over).`);
  let parsed: StoredRecord;
  try {
    parsed = JSON.parse(stored) as StoredRecord;
  } catch {
    throw refuse("its batch record is not JSON.");
  }
  if (!isString(parsed.json)) throw refuse("its batch record is malformed.");
  if (trust.secret) {
    const want = Buffer.from(hmac(trust.secret, parsed.json), "hex");
    const got = Buffer.from(isString(parsed.sig) ? parsed.sig : "", "hex");
    if (got.length !== want.length || !timingSafeEqual(got, want)) throw refuse(`its batch record is not signed with this worker's ${SECRET_ENV}.`);
  }
  const record = JSON.parse(parsed.json) as BatchRecord;
  const fields = [record.id, record.queue, record.in, record.out, record.to];
  if (!fields.every(isString) || typeof record.force !== "boolean" || !Array.isArray(record.cases) || !record.cases.every(isString)) throw refuse("its batch record is malformed.");
  if (record.maxBytes !== undefined && !(Number.isSafeInteger(record.maxBytes) && record.maxBytes > 0)) throw refuse("its batch record is malformed.");
  if (record.queue !== queue) throw refuse(`its batch record belongs to queue ${record.queue}, not ${queue}.`);
  const primitive = (v: unknown) => typeof v === "string" || typeof v === "number" || typeof v === "boolean";
  const plain = (v: unknown) => v === undefined || (typeof v === "object" && v !== null && !Array.isArray(v) && Object.values(v).every(primitive));
  if (!plain(record.clean) || !plain(record.reshape) || !plain(record.mesh)) throw refuse("its batch record is malformed.");
  if (record.reshape !== undefined && !["crop", "reorient", "resample"].includes(String(record.reshape.op))) throw refuse(`its batch does "${String(record.reshape.op)}", which workers do not.`);
  const op = record.op ?? "convert";
  if (op === "convert" && !((record.mesh ? MESH_OUTPUTS : BATCH_OUTPUTS) as readonly string[]).includes(record.to)) throw refuse(`output format "${record.to}" is not one a batch writes.`);
  if (op === "compare") {
    const numberOrNone = (v: unknown) => v === undefined || (typeof v === "number" && Number.isFinite(v));
    const ok =
      Array.isArray(record.truthCases) &&
      record.truthCases.length === record.cases.length &&
      record.truthCases.every(isString) &&
      (record.names === undefined || (Array.isArray(record.names) && record.names.every(isString))) &&
      numberOrNone(record.percentile) &&
      numberOrNone(record.toleranceMm);
    if (!ok) throw refuse("its batch record is malformed.");
  } else if (op !== "convert") throw refuse(`its batch does "${String(op)}", which workers do not.`);
  // Folders named on the worker's command line bind it, with or without a secret.
  if ((trust.in !== undefined && resolve(record.in) !== trust.in) || (trust.out !== undefined && resolve(record.out) !== trust.out)) {
    throw refuse(`its batch is ${record.in} -> ${record.out}, not this worker's --in ${trust.in ?? "(any)"} --out ${trust.out ?? "(any)"}.`);
  }
  return record;
}

/** A case name as a batch lists it: one entry of IN, nothing that climbs or roots. */
export function checkCaseName(name: unknown): string {
  if (!isString(name) || name === "" || name === "." || name === ".." || /[/\\\0]/.test(name)) {
    throw refuse(`case ${JSON.stringify(name)} is not an entry of the batch's IN (a plain name, no path).`);
  }
  return name;
}

/** Whether `path` is `root` or lies under it. */
const inside = (root: string, path: string) => path === root || path.startsWith(root.endsWith(sep) ? root : root + sep);

/** `entry` of `dir`, checked to resolve (through any symlink) inside `dir`. */
async function entryOf(dir: string, entry: string): Promise<string> {
  const path = join(dir, entry);
  const [realDir, real] = await Promise.all([realpath(dir), realpath(path).catch(() => null)]);
  if (real === null) throw refuse(`${path} does not exist.`);
  if (!inside(realDir, real)) throw refuse(`${path} leads outside the batch's folder ${dir} (${real}).`);
  return path;
}

/** Where `caseName` stands in the record's list; refused when the producer did not list it. */
function listed(record: BatchRecord, caseName: unknown): { entry: string; index: number } {
  const entry = checkCaseName(caseName);
  const index = record.cases.indexOf(entry);
  if (index < 0) throw refuse(`case ${JSON.stringify(entry)} is not one of its batch's cases.`);
  return { entry, index };
}

/**
 * The input and output paths of `caseName` in a convert `record`, checked: the case is one the
 * producer listed, its input resolves (through any symlink) inside IN, and its output is a
 * file of OUT that is not a symlink.
 */
export async function casePaths(record: BatchRecord, caseName: unknown, outputName: (entry: string) => string): Promise<{ input: string; output: string }> {
  const { entry } = listed(record, caseName);
  const input = await entryOf(record.in, entry);
  const output = join(record.out, outputName(entry));
  const link = await lstat(output).catch(() => null);
  if (link?.isSymbolicLink()) throw refuse(`${output} is a symbolic link; a batch writes only plain files into OUT.`);
  return { input, output };
}

/** The prediction and reference paths of `caseName` in a compare `record`, each checked to lie inside its folder. */
export async function comparePaths(record: BatchRecord, caseName: unknown): Promise<{ prediction: string; truth: string }> {
  const { entry, index } = listed(record, caseName);
  const truthEntry = checkCaseName(record.truthCases![index]);
  return { prediction: await entryOf(record.in, entry), truth: await entryOf(record.out, truthEntry) };
}

/** The smaller of two optional limits (undefined: no limit of that side). */
export function lowerLimit(a: number | undefined, b: number | undefined): number | undefined {
  return a === undefined ? b : b === undefined ? a : Math.min(a, b);
}
