// `batch convert --queue redis://…` and `medmask worker`: the cases of a batch in a BullMQ
// queue on Redis, worked on by this process and by workers on any machine that sees IN and OUT.
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { basename, resolve } from "node:path";
import { Queue, QueueEvents, UnrecoverableError, Worker, type Job } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import type { Piscina } from "piscina";
import { FileError, InputError, MedMaskError } from "medmask";
import { casePaths, comparePaths, lowerLimit, newBatchId, recordKey, SECRET_ENV, storeRecord, trustedRecord, workerTrust, type BatchRecord, type Trust } from "./batch-record.js";
import type { BatchResult, BatchTask, CompareResult, CompareTask } from "./batch-worker.js";
import type { CleanOptions } from "./commands/clean.js";
import type { ReshapeStep } from "./commands/reshape.js";
import type { MeshStep } from "./commands/mesh.js";
import { progressBar, workerPool } from "./pool.js";
import { caseName, outputDone, outputName, summaryLine, type BatchOptions, type BatchPlan, type BatchSummary } from "./commands/batch.js";
import { maxMemory } from "./io.js";

/** How this process takes part in a queue. */
export interface QueueOptions {
  /** redis://[user:password@]host:port[/db] */
  queue: string;
  /** The queue's name; one per batch, so batches on one Redis never mix. */
  queueName?: string;
  /** Worker threads in this process (default: all cores). */
  workers?: number;
  /**
   * Seconds without a lock renewal after which a case is taken to have lost its worker and
   * is given to another (default 30). The lock is renewed by the main thread every half of
   * this while the case converts in a worker thread, so a long case is never taken twice
   * while its worker lives, however long it takes.
   */
  stallSeconds?: number;
}

/**
 * A case in the queue: its batch and its entry in IN, nothing more. Paths and options come
 * from the batch's record (batch-record.ts), never from the job.
 */
interface CaseJob {
  batch: string;
  case: string;
}

/** What a case's job returns: a conversion's figures, a comparison's rows, or a skip. */
export type CaseResult = (BatchResult & { skipped: false }) | { skipped: false; compare: CompareResult } | { skipped: true };

/** ioredis options for a redis:// URL. */
export function redisOptions(url: string): RedisOptions {
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    throw new InputError("INVALID_ARGUMENT", `--queue ${url}: not a URL; use redis://HOST:PORT.`);
  }
  if (parsed.protocol !== "redis:" && parsed.protocol !== "rediss:") throw new InputError("INVALID_ARGUMENT", `--queue ${url}: use redis://HOST:PORT (or rediss:// for TLS).`);
  const db = parsed.pathname.length > 1 ? Number(parsed.pathname.slice(1)) : 0;
  return {
    host: parsed.hostname || "127.0.0.1",
    port: parsed.port ? Number(parsed.port) : 6379,
    username: parsed.username ? decodeURIComponent(parsed.username) : undefined,
    password: parsed.password ? decodeURIComponent(parsed.password) : undefined,
    db: Number.isInteger(db) ? db : 0,
    ...(parsed.protocol === "rediss:" ? { tls: {} } : {}),
    // BullMQ's workers block on Redis: no per-request retry limit (BullMQ requires it), but a
    // Redis that stays away ends the run instead of retrying forever.
    maxRetriesPerRequest: null,
    connectTimeout: 5000,
    retryStrategy: (times: number) => (times > 30 ? null : Math.min(times * 200, 2000)),
  };
}

/**
 * Redis clients for one process: BullMQ (in ESM) takes client instances, not options; each
 * queue, worker and event reader gets its own, and all are closed together.
 */
class Connections {
  readonly #options: RedisOptions;
  readonly #clients: Redis[] = [];
  constructor(url: string) {
    this.#options = redisOptions(url);
  }
  /** A new client (BullMQ duplicates it where it needs a blocking one). */
  client(): Redis {
    const client = new Redis(this.#options);
    client.on("error", () => undefined); // reported by the BullMQ object using it
    this.#clients.push(client);
    return client;
  }
  /** Fails with IO_ERROR at once if Redis does not answer (one try, no reconnecting). */
  async probe(url: string): Promise<void> {
    const probe = new Redis({ ...this.#options, lazyConnect: true, retryStrategy: () => null });
    let first: Error | null = null;
    probe.on("error", (e: Error) => (first ??= e));
    try {
      await probe.connect();
      await probe.ping();
    } catch (cause) {
      throw new FileError("IO_ERROR", `Cannot reach Redis at ${url}: ${(first ?? (cause as Error)).message}`, { cause });
    } finally {
      probe.disconnect();
    }
  }
  async close(): Promise<void> {
    // quit() waits for a connection that may never come: disconnect what is not ready.
    await Promise.allSettled(this.#clients.map((c) => (c.status === "ready" ? c.quit() : c.disconnect())));
  }
}

/** Queue names the default naming gives (`medmask-…`): what a worker without --queue-name joins. */
const DEFAULT_PREFIX = "medmask-";

/** The key a producer sets when its batch is over (workers leave that queue). */
const finishedKey = (name: string) => `medmask:finished:${name}`;

/**
 * The channel a producer announces its batch queue on, so that workers without a queue name
 * join at once rather than at their next scan (the scan still finds batches that started
 * before a worker did).
 */
const BATCHES_CHANNEL = "medmask:batches";

/** The default queue name of a batch: the same IN, OUT and format give the same name. */
export function defaultQueueName(inDir: string, outDir: string, to: string): string {
  const hash = createHash("sha256").update(`${resolve(inDir)}\0${resolve(outDir)}\0${to}`).digest("hex").slice(0, 10);
  return `${DEFAULT_PREFIX}${basename(resolve(outDir)).replace(/[^\w.-]/g, "_")}-${hash}`;
}

/** A job id per batch and case (BullMQ ids may not hold ':' nor be plain integers). */
const jobId = (batch: string, entry: string) => `case-${batch}-${encodeURIComponent(entry)}`;

/** Resolves when `ready` does, or fails with IO_ERROR after `ms`: Redis is not there. */
async function reachable(ready: Promise<unknown>, url: string, ms = 10_000): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new FileError("IO_ERROR", `Cannot reach Redis at ${url} (no answer in ${ms / 1000} s).`)), ms);
  });
  try {
    await Promise.race([ready, timeout]);
  } catch (cause) {
    if (cause instanceof MedMaskError) throw cause;
    throw new FileError("IO_ERROR", `Cannot reach Redis at ${url}: ${(cause as Error).message}`, { cause });
  } finally {
    clearTimeout(timer);
  }
}

/** The worker threads a process converts its cases in (its --workers). */
function casePool(options: QueueOptions): Promise<Piscina<BatchTask | CompareTask, BatchResult | CompareResult>> {
  return workerPool<BatchTask | CompareTask, BatchResult | CompareResult>(Math.max(1, options.workers ?? availableParallelism()));
}

/**
 * A BullMQ worker on queue `name` converting cases in `pool`'s threads. Each job's batch
 * record is read from Redis once and trusted only as `trust` allows; a job that names a case
 * outside its batch, or a batch this worker cannot trust, fails at once and is not retried.
 * A case whose output is already there and finished is skipped (a re-run, or a delivery
 * after a takeover).
 */
function caseWorker(
  name: string,
  connections: Connections,
  options: QueueOptions,
  pool: Piscina<BatchTask | CompareTask, BatchResult | CompareResult>,
  trust: Trust,
  onError: (e: Error) => void,
  onStart: (entry: string) => void,
): Worker<CaseJob, CaseResult> {
  const stall = Math.max(1, options.stallSeconds ?? 30) * 1000;
  const redis = connections.client();
  const records = new Map<string, Promise<BatchRecord>>();
  const recordOf = (batch: unknown): Promise<BatchRecord> => {
    if (typeof batch !== "string" || !/^[0-9a-f]{16}$/.test(batch)) return Promise.reject(new InputError("INVALID_ARGUMENT", "refused a queued case: its job names no batch."));
    let record = records.get(batch);
    if (!record) {
      record = redis.get(recordKey(name, batch)).then((stored) => trustedRecord(stored, name, trust));
      // A record missing now (Redis restarted) may be put back: only a trusted one is kept.
      record.catch(() => records.delete(batch));
      records.set(batch, record);
    }
    return record;
  };
  const worker = new Worker<CaseJob, CaseResult>(
    name,
    async (job: Job<CaseJob>): Promise<CaseResult> => {
      let record: BatchRecord;
      let task: BatchTask | CompareTask;
      try {
        record = await recordOf(job.data?.batch);
        const maxBytes = lowerLimit(record.maxBytes, maxMemory());
        if (record.op === "compare") {
          const { prediction, truth } = await comparePaths(record, job.data.case);
          task = { op: "compare", name: caseName(job.data.case), prediction, truth, maxBytes, names: record.names, percentile: record.percentile, toleranceMm: record.toleranceMm };
        } else {
          const { input, output } = await casePaths(record, job.data.case, (entry) => outputName(entry, record.to));
          task = {
            input,
            output,
            maxBytes,
            ...(record.clean ? { clean: record.clean as CleanOptions } : {}),
            ...(record.reshape ? { reshape: record.reshape as unknown as ReshapeStep } : {}),
            ...(record.mesh ? { mesh: record.mesh as MeshStep } : {}),
          };
        }
      } catch (error) {
        if (error instanceof MedMaskError) throw new UnrecoverableError(error.message);
        throw error;
      }
      if ("op" in task) {
        onStart(job.data.case);
        return { skipped: false, compare: (await pool.run(task)) as CompareResult };
      }
      if (!record.force && (await outputDone(task.output)) === "done") return { skipped: true };
      onStart(job.data.case);
      return { skipped: false, ...((await pool.run(task)) as BatchResult) };
    },
    { connection: connections.client(), concurrency: pool.options.maxThreads, lockDuration: stall, stalledInterval: stall, maxStalledCount: 2 },
  );
  worker.on("error", onError);
  return worker;
}

/** What a job's log line calls its case. */
const jobCase = (job: Job<CaseJob>): string => (typeof job.data?.case === "string" ? caseName(job.data.case) : `job ${job.id}`);

/** The records of the other batches running on queue `name` (as stored; unverified). */
async function otherBatches(redis: Redis, name: string, id: string): Promise<Array<{ in: string; out: string }>> {
  const found: Array<{ in: string; out: string }> = [];
  for await (const keys of redis.scanStream({ match: recordKey(name, "*"), count: 500 }) as AsyncIterable<string[]>) {
    for (const key of keys) {
      if (key === recordKey(name, id)) continue;
      try {
        const { json } = JSON.parse((await redis.get(key)) ?? "null") as { json: string };
        const record = JSON.parse(json) as { in: string; out: string };
        found.push({ in: String(record.in), out: String(record.out) });
      } catch {
        found.push({ in: "?", out: "?" });
      }
    }
  }
  return found;
}

/** How often the producer checks that Redis still holds its batch. */
const WATCH_MS = 2000;
/** How many times a batch lost by Redis is put back before the batch fails. */
const MAX_REQUEUES = 3;

/** A batch as the queue runs it: what its record fixes, its cases, and what each outcome means. */
export interface QueuedBatch {
  /** The record, but for the id and queue name the run gives it. */
  record: Omit<BatchRecord, "id" | "queue">;
  /** The queue name when --queue-name gives none. */
  defaultName: string;
  /** A case's result (its entry of IN): the line to log, or null. */
  done(entry: string, result: CaseResult): string | null;
  /** A case that failed its last attempt: the line to log. */
  failed(entry: string, reason: string): string;
}

/**
 * Runs `batch` on the queue: records it (signed with MEDMASK_QUEUE_SECRET when set), puts its
 * cases into the queue, works on them with this process's threads, and resolves when every
 * case is done or has failed its last attempt, with the seconds it took and this process's
 * thread count. If Redis loses the batch (restarted empty), what is not finished is put
 * back, a few times at most, then the batch fails with IO_ERROR. The queue and the record are
 * left gone.
 */
async function runQueued(batch: QueuedBatch, options: QueueOptions & { retries?: number; force?: boolean }, log: (line: string) => void, isTTY: boolean): Promise<{ seconds: number; threads: number }> {
  const connections = new Connections(options.queue);
  await connections.probe(options.queue);
  const name = options.queueName ?? batch.defaultName;
  const secret = process.env[SECRET_ENV] || undefined;
  const record: BatchRecord = { ...batch.record, id: newBatchId(), queue: name };
  const errors = new Set<string>();
  const onError = (e: Error) => {
    if (!errors.has(e.message)) log(`queue: ${e.message}`);
    errors.add(e.message);
  };
  const queue = new Queue<CaseJob, CaseResult>(name, { connection: connections.client() });
  queue.on("error", onError);
  const events = new QueueEvents(name, { connection: connections.client() });
  events.on("error", onError);
  const control = connections.client();
  try {
    await reachable(Promise.all([queue.waitUntilReady(), events.waitUntilReady()]), options.queue);
  } catch (error) {
    await Promise.allSettled([queue.disconnect(), events.disconnect()]);
    await connections.close();
    throw error;
  }
  const key = recordKey(name, record.id);
  const others = await otherBatches(control, name, record.id);
  // Unsigned, a worker is bound to one IN and OUT: a second batch elsewhere on this queue
  // would have its cases refused by the first's workers.
  const clash = secret ? undefined : others.find((o) => o.in !== record.in || o.out !== record.out);
  if (clash) {
    await Promise.allSettled([queue.close(), events.close()]);
    await connections.close();
    throw new InputError("INVALID_ARGUMENT", `Queue ${name} is running a batch of ${clash.in} -> ${clash.out}; give this one another --queue-name (or share a ${SECRET_ENV} between producers and workers).`);
  }
  await control.set(key, storeRecord(record, secret));
  // A re-run of a batch that ended a moment ago is a batch again; then workers hear of it.
  await control.del(finishedKey(name));
  await control.publish(BATCHES_CHANNEL, name);
  const join = [`medmask worker --queue ${options.queue}`, name.startsWith(DEFAULT_PREFIX) ? "" : ` --queue-name ${name}`, secret ? "" : ` --in ${record.in} --out ${record.out}`].join("");
  log(`queue ${name} on ${options.queue}: ${record.cases.length} case(s); more machines join with: ${join}${secret ? ` (and the same ${SECRET_ENV})` : ""}`);
  const pending = new Map(record.cases.map((entry) => [jobId(record.id, entry), entry]));
  const total = pending.size;
  const bar = await progressBar(total, isTTY);
  const started = performance.now();
  let finished = 0;
  let lost: ((error: Error) => void) | undefined;
  const allDone = new Promise<void>((resolveDone, reject) => {
    lost = reject;
    const settle = (id: string, outcome: (entry: string) => string | null) => {
      const entry = pending.get(id);
      if (entry === undefined) return;
      pending.delete(id);
      const line = outcome(entry);
      finished++;
      if (line && !bar) log(`[${finished}/${total}] ${caseName(entry)}: ${line}`);
      bar?.update(finished, { rate: (finished / ((performance.now() - started) / 1000)).toFixed(2), last: caseName(entry) });
      if (pending.size === 0) resolveDone();
    };
    events.on("completed", ({ jobId: id, returnvalue }) => {
      settle(id, (entry) => batch.done(entry, (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as CaseResult));
    });
    events.on("failed", ({ jobId: id, failedReason }) => settle(id, (entry) => batch.failed(entry, failedReason)));
    if (pending.size === 0) resolveDone();
  });
  const attempts = 1 + Math.max(0, options.retries ?? 2);
  const enqueue = (ids: Iterable<string>) =>
    queue.addBulk(
      [...ids].map((id) => ({ name: record.op ?? "convert", data: { batch: record.id, case: pending.get(id)! }, opts: { jobId: id, attempts, backoff: { type: "fixed" as const, delay: 1000 }, removeOnComplete: true, removeOnFail: true } })),
    );
  await enqueue(pending.keys());
  // Redis restarted empty (or flushed) loses the record and the jobs: put back what is not
  // finished, or fail rather than wait for events that will never come.
  let requeues = 0;
  let watching = false;
  const watchdog = setInterval(async () => {
    if (watching || pending.size === 0) return;
    watching = true;
    try {
      if ((await control.exists(key)) === 1) return;
      if (++requeues > MAX_REQUEUES) {
        lost?.(new FileError("IO_ERROR", `Redis at ${options.queue} lost batch ${name} ${MAX_REQUEUES} times; ${pending.size} case(s) unfinished. Re-run with --resume once Redis keeps its data.`));
        return;
      }
      await control.set(key, storeRecord(record, secret));
      await control.publish(BATCHES_CHANNEL, name);
      await enqueue(pending.keys());
      log(`queue: Redis lost batch ${name} (restarted empty?); put its ${pending.size} unfinished case(s) back`);
    } catch {
      // Redis away for now: the clients reconnect, and the next tick looks again.
    } finally {
      watching = false;
    }
  }, WATCH_MS);
  // Which process took which case, where each case is logged.
  const pool = await casePool(options);
  // Signed records are trusted as any worker trusts them (other batches on this queue too).
  const trust: Trust = secret ? { secret } : { in: record.in, out: record.out };
  const local = caseWorker(name, connections, options, pool, trust, onError, (entry) => bar || log(`${caseName(entry)}: started here`));
  try {
    await allDone;
  } finally {
    clearInterval(watchdog);
    bar?.stop();
    await local.close();
    await pool.destroy();
    await events.close();
    await control.del(key).catch(onError);
    // The last batch on this queue clears it; another still running keeps its jobs.
    if ((await otherBatches(control, name, record.id).catch(() => [])).length === 0) {
      // Nothing of the batch stays in Redis (its jobs were removed as they finished).
      await queue.obliterate({ force: true }).catch(onError);
      // Workers still attached would keep the queue's meta keys alive: this tells them to
      // leave (and expires by itself).
      await control.set(finishedKey(name), "1", "EX", 120).catch(onError);
    }
    await queue.close();
    await connections.close();
  }
  return { seconds: (performance.now() - started) / 1000, threads: pool.options.maxThreads };
}

/**
 * `batch convert IN OUT --queue redis://…`: the plan's cases on the queue (see runQueued),
 * with the summary a local batch gives.
 */
export async function queueBatch(plan: BatchPlan, inDir: string, outDir: string, options: BatchOptions & QueueOptions & { retries?: number }, log: (line: string) => void, isTTY: boolean): Promise<BatchSummary> {
  const { todo, summary } = plan;
  const to = (options.to ?? "msk").replace(/^\./, "");
  const steps = { ...(options.clean ? { clean: { ...options.clean } } : {}), ...(options.reshape ? { reshape: { ...options.reshape } } : {}), ...(options.mesh ? { mesh: { ...options.mesh } } : {}) };
  const record = { in: resolve(inDir), out: resolve(outDir), to, force: options.force === true, maxBytes: maxMemory(), cases: todo.map((t) => basename(t.input)), ...steps };
  const { seconds, threads } = await runQueued(
    {
      record,
      defaultName: defaultQueueName(inDir, outDir, to),
      done: (_, result) => {
        if (result.skipped) {
          summary.skipped++;
          return "skipped (its output exists)";
        }
        if ("compare" in result) return null;
        summary.converted++;
        summary.inputBytes += result.inputBytes;
        summary.outputBytes += result.outputBytes;
        return `ok (${result.inputBytes} -> ${result.outputBytes} bytes)`;
      },
      failed: (entry, reason) => {
        summary.failed.push({ case: caseName(entry), error: reason });
        return `FAILED: ${reason}`;
      },
    },
    options,
    log,
    isTTY,
  );
  summary.seconds = seconds;
  for (const f of summary.failed) if (isTTY) log(`${f.case}: FAILED: ${f.error}`);
  log(summaryLine(summary, `the queue (${threads} thread(s) here)`, options.shard));
  return summary;
}

/**
 * `batch compare PRED TRUTH --queue redis://…`: the paired cases on the queue (see runQueued);
 * each case's rows come back to this process, by case name.
 */
export async function queueCompare(
  cases: ReadonlyArray<{ name: string; prediction: string; truth: string }>,
  predDir: string,
  truthDir: string,
  settings: { names?: string[]; percentile?: number; toleranceMm?: number },
  options: QueueOptions & { retries?: number },
  log: (line: string) => void,
  isTTY: boolean,
): Promise<{ results: Map<string, CompareResult>; failed: Array<{ case: string; error: string }> }> {
  const results = new Map<string, CompareResult>();
  const failed: Array<{ case: string; error: string }> = [];
  const record = { op: "compare" as const, in: resolve(predDir), out: resolve(truthDir), to: "csv", force: false, maxBytes: maxMemory(), cases: cases.map((c) => basename(c.prediction)), truthCases: cases.map((c) => basename(c.truth)), ...settings };
  await runQueued(
    {
      record,
      defaultName: defaultQueueName(predDir, truthDir, "compare"),
      done: (entry, result) => {
        if (result.skipped || !("compare" in result)) return null;
        results.set(caseName(entry), result.compare);
        return `${result.compare.rows.filter((r) => r.empty !== "both").length} organ(s) compared`;
      },
      failed: (entry, reason) => {
        failed.push({ case: caseName(entry), error: reason });
        return `FAILED: ${reason}`;
      },
    },
    options,
    log,
    isTTY,
  );
  return { results, failed };
}

/**
 * `medmask worker --queue redis://…`: works on the cases of every batch queue on that Redis
 * (every `medmask-…` queue, joined as batches start; or only `--queue-name NAME`) until SIGTERM
 * or SIGINT (the cases it is on are finished first), or, with `untilEmpty`, until the queues it
 * joined have nothing waiting, delayed or running.
 */
export async function runWorker(options: QueueOptions & { untilEmpty?: boolean; in?: string; out?: string }, log: (line: string) => void): Promise<void> {
  const trust = workerTrust(options);
  const connections = new Connections(options.queue);
  await connections.probe(options.queue);
  const seen = new Set<string>();
  const onError = (e: Error) => {
    if (!seen.has(e.message)) log(`worker: ${e.message}`);
    seen.add(e.message);
  };
  const pool = await casePool(options);
  const joined = new Map<string, { worker: Worker<CaseJob, CaseResult>; queue: Queue }>();
  const join = async (name: string) => {
    if (joined.has(name)) return;
    const worker = caseWorker(name, connections, options, pool, trust, onError, (entry) => log(`${caseName(entry)}: started`));
    joined.set(name, { worker, queue: new Queue(name, { connection: connections.client() }) });
    worker.on("completed", (job, result) => log(`${jobCase(job)}: ${result.skipped ? "skipped (its output exists)" : "ok"}`));
    worker.on("failed", (job, error) => job && log(`${jobCase(job)}: attempt ${job.attemptsMade} failed: ${error.message}`));
    await reachable(worker.waitUntilReady(), options.queue);
    log(`worker on ${name} at ${options.queue} (${pool.options.maxThreads} thread(s))`);
  };
  // Without a name: every batch queue there is, and each one that appears later.
  const scanner = connections.client();
  const discover = async () => {
    const names = new Set<string>();
    for await (const keys of scanner.scanStream({ match: `bull:${DEFAULT_PREFIX}*:meta`, count: 500 }) as AsyncIterable<string[]>) {
      for (const key of keys) names.add(key.slice("bull:".length, -":meta".length));
    }
    for (const name of names) if (!(await scanner.exists(finishedKey(name)))) await join(name);
    // Batches that ended: leave them, and remove the keys this worker's presence re-made.
    for (const [name, j] of joined) {
      if (!(await scanner.exists(finishedKey(name)))) continue;
      joined.delete(name);
      await j.worker.close();
      const counts = await j.queue.getJobCounts();
      if (Object.values(counts).every((n) => n === 0)) await scanner.del(`bull:${name}:meta`, `bull:${name}:stalled-check`);
      await j.queue.close();
      log(`left ${name}: its batch is over`);
    }
  };
  try {
    if (options.queueName) await join(options.queueName);
    else {
      const announcements = connections.client();
      announcements.on("message", (_channel: string, name: string) => {
        if (name.startsWith(DEFAULT_PREFIX)) void join(name).catch(onError);
      });
      await announcements.subscribe(BATCHES_CHANNEL);
      await discover();
      log(`worker at ${options.queue}: joins every ${DEFAULT_PREFIX}… batch queue (${joined.size} now)`);
    }
  } catch (error) {
    await Promise.allSettled([...joined.values()].map((j) => j.worker.close()));
    await pool.destroy();
    await connections.close();
    throw error;
  }
  await new Promise<void>((resolveStop) => {
    const timers: NodeJS.Timeout[] = [];
    const stop = () => {
      timers.forEach(clearInterval);
      resolveStop();
    };
    process.once("SIGTERM", stop);
    process.once("SIGINT", stop);
    if (!options.queueName) timers.push(setInterval(() => void discover().catch(onError), 1000));
    if (options.untilEmpty) {
      timers.push(
        setInterval(async () => {
          const counts = await Promise.all([...joined.values()].map((j) => j.queue.getJobCounts("waiting", "delayed", "active", "prioritized", "waiting-children").catch(() => null)));
          if (joined.size > 0 && counts.every((c) => c !== null && Object.values(c).every((n) => n === 0))) stop();
        }, 1000),
      );
    }
  });
  await Promise.allSettled([...joined.values()].flatMap((j) => [j.worker.close(), j.queue.close()]));
  await pool.destroy();
  await connections.close();
}
