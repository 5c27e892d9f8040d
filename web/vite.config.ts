import { fileURLToPath } from "node:url";
import { defineConfig } from "vite";

// The browser demo: web/ is the page, built to dist-web/ with the library's browser entry
// (src/index.ts: no Node built-ins) and its heavy work in a Web Worker.
export default defineConfig({
  root: fileURLToPath(new URL(".", import.meta.url)),
  base: "./",
  build: { outDir: fileURLToPath(new URL("../dist-web", import.meta.url)), emptyOutDir: true, target: "es2022" },
  worker: { format: "es" },
  resolve: {
    alias: Object.fromEntries(["worker_threads", "os", "child_process"].map((name) => [name, fileURLToPath(new URL("./node-builtins.ts", import.meta.url))])),
  },
  preview: { host: "127.0.0.1", strictPort: true },
  logLevel: "warn",
});
