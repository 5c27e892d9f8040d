// `npm run demo:web`: serves the built page (dist-web/) on PORT (default 5173).
import { preview } from "vite";

const port = Number(process.env.PORT ?? 5173);
const server = await preview({ configFile: new URL("./vite.config.ts", import.meta.url).pathname, preview: { port } });
server.printUrls();
