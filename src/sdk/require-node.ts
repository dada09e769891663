import { unsupportedNode } from "../core/node-support.ts";

// Imported first by the SDK's entry points: on an older Node, importing the package fails here
// with one sentence naming the Node it needs, not with a missing built-in module further down.
const problem = unsupportedNode("cxone-outbound");
if (problem) throw Object.assign(new Error(problem), { code: "ERR_CXO_UNSUPPORTED_NODE" });
