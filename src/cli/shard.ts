// `--shard I/N` for array jobs: which cases this process takes.
import { InputError } from "medmask";

/** Shard `index` (1-based) of `count`. */
export interface Shard {
  index: number;
  count: number;
}

/** Where array-job schedulers put this task's index (0-based), and the array's size if they say it. */
const SCHEDULERS = [
  { name: "Kubernetes Indexed Job", index: "JOB_COMPLETION_INDEX", size: undefined },
  { name: "AWS Batch array job", index: "AWS_BATCH_JOB_ARRAY_INDEX", size: "AWS_BATCH_JOB_ARRAY_SIZE" },
] as const;

const wholeNumber = (text: string | undefined): number => (text !== undefined && /^\s*\d{1,9}\s*$/.test(text) ? Number(text) : NaN);

/**
 * Parses `--shard`: `I/N` (1-based, 1 <= I <= N), or `env` / `env/N`, the index taken from
 * the scheduler's environment (JOB_COMPLETION_INDEX, AWS_BATCH_JOB_ARRAY_INDEX; 0-based
 * there, so index 0 is shard 1) and N from `/N` or AWS_BATCH_JOB_ARRAY_SIZE.
 * @example parseShard("2/4") // { index: 2, count: 4 }
 */
export function parseShard(text: string, env: NodeJS.ProcessEnv = process.env): Shard {
  const m = /^(\d{1,9}|env)(?:\/(\d{1,9}))?$/.exec(text.trim());
  if (!m) throw new InputError("INVALID_ARGUMENT", `--shard ${text}: use I/N (1-based, e.g. 2/8) or env/N (the index from JOB_COMPLETION_INDEX or AWS_BATCH_JOB_ARRAY_INDEX).`);
  let index: number, count: number;
  if (m[1] === "env") {
    const from = SCHEDULERS.find((s) => env[s.index] !== undefined);
    if (!from) throw new InputError("INVALID_ARGUMENT", `--shard env: neither ${SCHEDULERS.map((s) => s.index).join(" nor ")} is set; give the shard as I/N.`);
    index = wholeNumber(env[from.index]) + 1;
    count = m[2] !== undefined ? Number(m[2]) : from.size ? wholeNumber(env[from.size]) : NaN;
    if (Number.isNaN(index)) throw new InputError("INVALID_ARGUMENT", `--shard env: ${from.index} is "${env[from.index]}", not a whole number.`);
    if (Number.isNaN(count)) throw new InputError("INVALID_ARGUMENT", `--shard env: a ${from.name} does not say how many shards there are; give it as env/N (N = the job's completions).`);
  } else {
    if (m[2] === undefined) throw new InputError("INVALID_ARGUMENT", `--shard ${text}: give the number of shards too, as I/N.`);
    index = Number(m[1]);
    count = Number(m[2]);
  }
  if (count < 1 || index < 1 || index > count) throw new InputError("INVALID_ARGUMENT", `--shard ${index}/${count}: the shard must be from 1 to ${count} (and N at least 1).`);
  return { index, count };
}

/**
 * The items of shard `index` of `count`: a contiguous run of `items` (sorted by the caller),
 * sizes within one of each other, so the shards together take every item exactly once and the
 * same inputs always split the same way.
 * @example shardOf(["a", "b", "c", "d", "e"], { index: 2, count: 2 }) // ["c", "d", "e"]
 */
export function shardOf<T>(items: readonly T[], shard: Shard): T[] {
  const start = Math.floor(((shard.index - 1) * items.length) / shard.count);
  const end = Math.floor((shard.index * items.length) / shard.count);
  return items.slice(start, end);
}
