import { open } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

type FileHandle = Awaited<ReturnType<typeof open>>;
type Writev = FileHandle["writev"];

/** The prototype of Node's FileHandle, whose methods a test can replace to inject faults. */
export async function fileHandlePrototype(): Promise<FileHandle> {
  const probe = await open(join(tmpdir(), `medmask-probe-${process.pid}`), "w");
  const proto = Object.getPrototypeOf(probe) as FileHandle;
  await probe.close();
  return proto;
}

/**
 * Makes file-handle writes behave like a disk that fills up after `budget` more bytes: the
 * write that reaches the limit is short (as the kernel reports it), and every later one
 * fails with ENOSPC. With `perCall`, every write is also cut short after that many bytes
 * (as writes to pipes and network file systems can be). Faults are injected at the
 * system-call boundary, so the code under test runs unchanged, whatever way it splits its
 * writes. Returns the function that restores normal writes.
 */
export async function diskFullAfter(budget: number, perCall = Infinity): Promise<() => void> {
  const proto = await fileHandlePrototype();
  const real = proto.writev;
  let left = budget;
  proto.writev = async function (this: FileHandle, buffers: readonly NodeJS.ArrayBufferView[], position?: number) {
    if (left === 0) throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC", errno: -28 });
    const fitting: NodeJS.ArrayBufferView[] = [];
    let room = Math.min(left, perCall);
    for (const b of buffers) {
      if (room === 0) break;
      const bytes = new Uint8Array(b.buffer, b.byteOffset, Math.min(b.byteLength, room));
      fitting.push(bytes);
      room -= bytes.length;
      left -= bytes.length;
    }
    const result = await real.call(this, fitting, position);
    return { ...result, buffers: buffers as NodeJS.ArrayBufferView[] };
  } as Writev;
  return () => {
    proto.writev = real;
  };
}
