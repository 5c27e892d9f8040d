// The real Python medmask library (../shared/peers/python-medmask, with Debian's python3-numpy
// and python3-zstandard) in a child process, for cross-language tests. Outside CI a machine
// without it skips those tests with a message; with CI=true a missing peer fails them.
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join, resolve } from "node:path";
import { createInterface } from "node:readline";
import { fileURLToPath } from "node:url";
import { requireComponent } from "./component.js";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
/** The peer library: MEDMASK_PYTHON_PEER, else ../shared/peers/python-medmask beside the repo. */
export const PEER_PATH = process.env.MEDMASK_PYTHON_PEER ?? resolve(ROOT, "../shared/peers/python-medmask");
const SERVER = join(dirname(fileURLToPath(import.meta.url)), "python_peer.py");
/** Debian's Python first: its numpy and zstandard are the ones .ci/run installs. */
const PYTHONS = [process.env.MEDMASK_PYTHON, "/usr/bin/python3", "python3"].filter((p): p is string => Boolean(p));

function findPython(): { python: string | null; why: string } {
  if (!existsSync(join(PEER_PATH, "medmask"))) return { python: null, why: `the Python medmask library is not at ${PEER_PATH} (set MEDMASK_PYTHON_PEER)` };
  for (const python of PYTHONS) {
    const r = spawnSync(python, ["-c", "import numpy, zstandard, medmask.storage"], { env: { ...process.env, PYTHONPATH: PEER_PATH }, encoding: "utf8" });
    if (r.status === 0) return { python, why: "" };
  }
  return { python: null, why: "no python3 with numpy and zstandard (apt-get install python3-numpy python3-zstandard)" };
}

const found = findPython();
/** Whether the peer can run; in CI it must. */
export const hasPythonPeer = requireComponent("the real Python medmask library", found.python !== null, found.why);

/** One long-lived Python process answering JSON requests in order. */
export class PythonPeer {
  readonly #child: ChildProcessWithoutNullStreams;
  readonly #waiting: Array<(line: string) => void> = [];
  #stderr = "";

  constructor() {
    this.#child = spawn(found.python!, [SERVER], { env: { ...process.env, PYTHONPATH: PEER_PATH } });
    this.#child.stderr.on("data", (chunk: Buffer) => (this.#stderr += chunk.toString()));
    createInterface({ input: this.#child.stdout }).on("line", (line) => this.#waiting.shift()?.(line));
    this.#child.on("exit", () => {
      for (const w of this.#waiting.splice(0)) w(JSON.stringify({ ok: false, error: `the Python peer exited: ${this.#stderr}` }));
    });
  }

  /** Sends one request; rejects with Python's error when it raised. */
  async call<T>(request: Record<string, unknown>): Promise<T> {
    const line = await new Promise<string>((resolveLine) => {
      this.#waiting.push(resolveLine);
      this.#child.stdin.write(JSON.stringify(request) + "\n");
    });
    const answer = JSON.parse(line) as { ok: boolean; result?: T; error?: string; trace?: string };
    if (!answer.ok) throw new Error(`Python: ${answer.error}\n${answer.trace ?? ""}`);
    return answer.result as T;
  }

  close(): void {
    this.#child.stdin.end();
    this.#child.kill();
  }
}

/** What the peer reports of a mask it read. */
export interface PythonMaskReport {
  shape: number[];
  dtype: string;
  mapping: Record<string, number>;
  space: Record<string, number[]>;
  sha256: string;
  nonzero: number;
}
