// Runs first in every test worker: Node's compile cache for the modules the worker imports
// natively (vitest.config.ts: no Vite module runner), as `cxo` itself enables it (bin/cxo.js).
// A worker loads the sources and their dependencies once; the cache saves compiling them again
// in each of the 4 workers of a run and in every later run.
import { enableCompileCache } from "node:module";

enableCompileCache?.();
