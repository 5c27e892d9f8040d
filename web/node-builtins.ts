// An empty stand-in for the Node built-ins workerpool's browser build names but only loads
// under Node (worker_threads, os, child_process): vite.config.ts points them here, so the
// page's build neither bundles them nor warns that it left them out.
export default {};
