// `npm run demo:web`: serves the built page (dist-web/) on PORT (default 5173).
import { preview } from "vite";

const port = Number(process.env.PORT ?? 5173);
const server = await preview({ configFile: new URL("./vite.config.ts", import.meta.url).pathname, preview: { port } });
// The config keeps Vite's own logging to warnings, so the address is printed here.
console.log(`medmask demo page: ${server.resolvedUrls?.local[0] ?? `http://127.0.0.1:${port}/`} (Ctrl+C to stop)`);
