// `batch convert --queue redis://…` and `medmask worker`: the cases of a batch in a BullMQ
// queue on Redis, worked on by this process and by workers on any machine that sees IN and OUT.
import { createHash } from "node:crypto";
import { availableParallelism } from "node:os";
import { basename, resolve } from "node:path";
import { Queue, QueueEvents, Worker, type Job } from "bullmq";
import { Redis, type RedisOptions } from "ioredis";
import { Piscina } from "piscina";
import { FileError, InputError, MedMaskError } from "medmask";
import type { BatchResult, BatchTask } from "./batch-worker.js";
import { outputDone, progressBar, summaryLine, taskName, type BatchOptions, type BatchPlan, type BatchSummary } from "./commands/batch.js";

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

/** A case in the queue. */
interface CaseJob {
  task: BatchTask;
  /** --force: convert even where the output exists. */
  force: boolean;
}

type CaseResult = (BatchResult & { skipped: false }) | { skipped: true };

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

/** A job id per case (BullMQ ids may not hold ':' nor be plain integers). */
const jobId = (task: BatchTask) => `case-${encodeURIComponent(taskName(task))}`;

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
function casePool(options: QueueOptions): Piscina<BatchTask, BatchResult> {
  const threads = Math.max(1, options.workers ?? availableParallelism());
  return new Piscina<BatchTask, BatchResult>({ filename: new URL("./batch-worker.js", import.meta.url).href, minThreads: threads, maxThreads: threads });
}

/**
 * A BullMQ worker on queue `name` converting cases in `pool`'s threads: a case whose output is
 * already there and finished is skipped (a re-run, or a delivery after a takeover).
 */
function caseWorker(
  name: string,
  connections: Connections,
  options: QueueOptions,
  pool: Piscina<BatchTask, BatchResult>,
  onError: (e: Error) => void,
  onStart: (task: BatchTask) => void,
): Worker<CaseJob, CaseResult> {
  const stall = Math.max(1, options.stallSeconds ?? 30) * 1000;
  const worker = new Worker<CaseJob, CaseResult>(
    name,
    async (job: Job<CaseJob>) => {
      const { task, force } = job.data;
      if (!force && (await outputDone(task.output)) === "done") return { skipped: true };
      onStart(task);
      return { skipped: false, ...(await pool.run(task)) };
    },
    { connection: connections.client(), concurrency: pool.options.maxThreads, lockDuration: stall, stalledInterval: stall, maxStalledCount: 2 },
  );
  worker.on("error", onError);
  return worker;
}

/**
 * `batch convert IN OUT --queue redis://…`: puts the plan's cases into the queue, works on
 * them with this process's threads, and returns when every case is done or has failed its
 * last attempt, with the summary a local batch gives. The queue is left empty.
 */
export async function queueBatch(plan: BatchPlan, inDir: string, outDir: string, options: BatchOptions & QueueOptions & { retries?: number }, log: (line: string) => void, isTTY: boolean): Promise<BatchSummary> {
  const { todo, summary } = plan;
  const connections = new Connections(options.queue);
  await connections.probe(options.queue);
  const name = options.queueName ?? defaultQueueName(inDir, outDir, (options.to ?? "msk").replace(/^\./, ""));
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
  // A re-run of a batch that ended a moment ago is a batch again; then workers hear of it.
  await control.del(finishedKey(name));
  await control.publish(BATCHES_CHANNEL, name);
  const joinWith = `medmask worker --queue ${options.queue}${name.startsWith(DEFAULT_PREFIX) ? "" : ` --queue-name ${name}`}`;
  log(`queue ${name} on ${options.queue}: ${todo.length} case(s); more machines join with: ${joinWith}`);
  const pending = new Map(todo.map((t) => [jobId(t), t]));
  const bar = progressBar(todo.length, isTTY);
  const started = performance.now();
  let finished = 0;
  const allDone = new Promise<void>((resolveDone) => {
    const settle = (id: string, outcome: (task: BatchTask) => string | null) => {
      const task = pending.get(id);
      if (!task) return;
      pending.delete(id);
      const line = outcome(task);
      finished++;
      if (line && !bar) log(`[${finished}/${todo.length}] ${taskName(task)}: ${line}`);
      bar?.update(finished, { rate: (finished / ((performance.now() - started) / 1000)).toFixed(2), last: taskName(task) });
      if (pending.size === 0) resolveDone();
    };
    events.on("completed", ({ jobId: id, returnvalue }) => {
      settle(id, () => {
        const result = (typeof returnvalue === "string" ? JSON.parse(returnvalue) : returnvalue) as CaseResult;
        if (result.skipped) {
          summary.skipped++;
          return "skipped (its output exists)";
        }
        summary.converted++;
        summary.inputBytes += result.inputBytes;
        summary.outputBytes += result.outputBytes;
        return `ok (${result.inputBytes} -> ${result.outputBytes} bytes)`;
      });
    });
    events.on("failed", ({ jobId: id, failedReason }) => {
      settle(id, (task) => {
        summary.failed.push({ case: taskName(task), error: failedReason });
        return `FAILED: ${failedReason}`;
      });
    });
    if (pending.size === 0) resolveDone();
  });
  // Paths as every machine sees them: IN and OUT at the same place on each (a shared file system).
  const attempts = 1 + Math.max(0, options.retries ?? 2);
  await queue.addBulk(
    todo.map((t) => ({
      name: "convert",
      data: { task: { ...t, input: resolve(t.input), output: resolve(t.output) }, force: options.force === true },
      opts: { jobId: jobId(t), attempts, backoff: { type: "fixed", delay: 1000 }, removeOnComplete: true, removeOnFail: true },
    })),
  );
  // Which process took which case, where each case is logged.
  const pool = casePool(options);
  const local = caseWorker(name, connections, options, pool, onError, (task) => bar || log(`${taskName(task)}: started here`));
  try {
    await allDone;
  } finally {
    bar?.stop();
    await local.close();
    await pool.destroy();
    await events.close();
    // Nothing of the batch stays in Redis (its jobs were removed as they finished).
    await queue.obliterate({ force: true }).catch(onError);
    // Workers still attached would keep the queue's meta keys alive: this tells them to leave
    // (and expires by itself).
    await control.set(finishedKey(name), "1", "EX", 120).catch(onError);
    await queue.close();
    await connections.close();
  }
  summary.seconds = (performance.now() - started) / 1000;
  for (const f of summary.failed) if (bar) log(`${f.case}: FAILED: ${f.error}`);
  log(summaryLine(summary, `the queue (${pool.options.maxThreads} thread(s) here)`, options.shard));
  return summary;
}

/**
 * `medmask worker --queue redis://…`: works on the cases of every batch queue on that Redis
 * (every `medmask-…` queue, joined as batches start; or only `--queue-name NAME`) until SIGTERM
 * or SIGINT (the cases it is on are finished first), or, with `untilEmpty`, until the queues it
 * joined have nothing waiting, delayed or running.
 */
export async function runWorker(options: QueueOptions & { untilEmpty?: boolean }, log: (line: string) => void): Promise<void> {
  const connections = new Connections(options.queue);
  await connections.probe(options.queue);
  const seen = new Set<string>();
  const onError = (e: Error) => {
    if (!seen.has(e.message)) log(`worker: ${e.message}`);
    seen.add(e.message);
  };
  const pool = casePool(options);
  const joined = new Map<string, { worker: Worker<CaseJob, CaseResult>; queue: Queue }>();
  const join = async (name: string) => {
    if (joined.has(name)) return;
    const worker = caseWorker(name, connections, options, pool, onError, (task) => log(`${taskName(task)}: started`));
    joined.set(name, { worker, queue: new Queue(name, { connection: connections.client() }) });
    worker.on("completed", (job, result) => log(`${taskName(job.data.task)}: ${result.skipped ? "skipped (its output exists)" : "ok"}`));
    worker.on("failed", (job, error) => job && log(`${taskName(job.data.task)}: attempt ${job.attemptsMade} failed: ${error.message}`));
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
