// A real redis-server (Debian's package) on a port of its own, and the CLI as a long-running
// child process whose stderr lines are collected with their arrival times: what the queue
// tests drive.
import { spawn, type ChildProcess } from "node:child_process";
import { existsSync } from "node:fs";
import { createServer } from "node:net";
import { CLI } from "./cli.js";
import { requireComponent } from "./component.js";

export const REDIS = "/usr/bin/redis-server";
export const hasRedis = (): boolean => requireComponent("redis-server", existsSync(REDIS), "apt-get install redis-server");

/** The secret the tests' producers and workers share (MEDMASK_QUEUE_SECRET). */
export const TEST_SECRET = "medmask-test-secret";

/** A free TCP port on loopback. */
export async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, "127.0.0.1", () => {
      const { port } = s.address() as { port: number };
      s.close(() => resolve(port));
    });
  });
}

/** Polls `check` every 20 ms; fails after `ms` naming `what`. */
export async function until(check: () => boolean, ms: number, what: string): Promise<void> {
  const end = Date.now() + ms;
  while (!check()) {
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

/** A redis-server on `port` with no persistence (a restart starts it empty), once ready. */
export async function startRedis(port: number): Promise<ChildProcess> {
  const redis = spawn(REDIS, ["--port", String(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"], { stdio: ["ignore", "pipe", "inherit"] });
  let out = "";
  redis.stdout!.on("data", (d: Buffer) => (out += d.toString()));
  await until(() => /Ready to accept connections/.test(out), 10_000, "redis-server");
  return redis;
}

/** A line a process printed, and when it arrived. */
export interface Line {
  text: string;
  at: number;
}

/** A CLI process (`medmask ...args`) whose stderr lines are collected with their arrival times. */
export function medmaskProcess(args: string[], env: NodeJS.ProcessEnv = { ...process.env, MEDMASK_QUEUE_SECRET: TEST_SECRET }): { proc: ChildProcess; lines: Line[]; exit: Promise<number | null>; text: () => string } {
  const proc = spawn(process.execPath, [CLI, ...args], { stdio: ["ignore", "pipe", "pipe"], env });
  const lines: Line[] = [];
  let rest = "";
  proc.stderr!.on("data", (d: Buffer) => {
    const parts = (rest + d.toString()).split("\n");
    rest = parts.pop()!;
    for (const text of parts) lines.push({ text, at: Date.now() });
  });
  proc.stdout!.resume();
  const exit = new Promise<number | null>((resolve) => proc.on("close", (code) => resolve(code)));
  return { proc, lines, exit, text: () => lines.map((l) => l.text).join("\n") };
}
