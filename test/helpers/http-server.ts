// Real HTTP servers on ports of their own for the archive-over-HTTP tests: sirv (the static
// server Vite's preview is built on: ranges, ETag, Last-Modified), and one that ignores ranges.
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { readFileSync } from "node:fs";
import sirv from "sirv";

/** What a server sent: requests, and body bytes of 206/200 responses (headers not counted). */
export interface Traffic {
  requests: number;
  bytes: number;
  ranges: string[];
  /** Body bytes sent per request path. */
  byPath: Map<string, number>;
}

export interface TestServer {
  url: (file: string) => string;
  traffic: Traffic;
  close: () => Promise<void>;
}

/** A server answering every request with `handler` (hostile servers are written with it). */
export async function listen(handler: (req: IncomingMessage, res: ServerResponse, traffic: Traffic) => void): Promise<TestServer> {
  const traffic: Traffic = { requests: 0, bytes: 0, ranges: [], byPath: new Map() };
  const server: Server = createServer((req, res) => {
    traffic.requests++;
    traffic.ranges.push(String(req.headers.range ?? "none"));
    const write = res.write.bind(res);
    const end = res.end.bind(res);
    const path = (req.url ?? "/").split("?")[0]!;
    const count = (chunk: Uint8Array | string) => {
      const n = typeof chunk === "string" ? Buffer.byteLength(chunk) : chunk.length;
      traffic.bytes += n;
      traffic.byPath.set(path, (traffic.byPath.get(path) ?? 0) + n);
    };
    // Counts what goes out as body.
    res.write = ((chunk: Uint8Array | string, ...rest: never[]) => {
      count(chunk);
      return write(chunk, ...rest);
    }) as typeof res.write;
    res.end = ((chunk?: Uint8Array | string | (() => void), ...rest: never[]) => {
      if (chunk && typeof chunk !== "function") count(chunk);
      return end(chunk as never, ...rest);
    }) as typeof res.end;
    handler(req, res, traffic);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: (file) => `http://127.0.0.1:${port}/${file}`,
    traffic,
    close: () => new Promise((resolve) => (server.closeAllConnections(), server.close(() => resolve()))),
  };
}

/**
 * sirv over `dirs` (the first that has the file serves it), re-reading each file's stats per
 * request (a file replaced is seen).
 */
export function staticServer(...dirs: string[]): Promise<TestServer> {
  const serves = dirs.map((dir) => sirv(dir, { dev: true, etag: true }));
  return listen((req, res) => {
    const next = (i: number): void => {
      if (i === serves.length) {
        res.statusCode = 404;
        res.end("not found");
      } else serves[i]!(req, res, () => next(i + 1));
    };
    next(0);
  });
}

/** A server that answers every request with the whole file (no range support). */
export function wholeFileServer(dir: string): Promise<TestServer> {
  return listen((req, res) => {
    try {
      const bytes = readFileSync(`${dir}/${decodeURIComponent(req.url!.slice(1))}`);
      res.writeHead(200, { "Content-Length": bytes.length });
      res.end(bytes);
    } catch {
      res.statusCode = 404;
      res.end();
    }
  });
}
