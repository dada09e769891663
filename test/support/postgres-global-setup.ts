import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import type { TestProject } from "vitest/node";
import { type PostgresServer, startTestPostgres } from "./postgres-server.ts";

/**
 * Decides once per `vitest run` which PostgreSQL the tests use (see postgres-server.ts) and
 * hands its URL to every test file (`inject("pgUrl")`). The embedded one is only started when
 * no server answers, or when CXO_TEST_PG=embedded asks for it.
 */
let server: PostgresServer | undefined;
let stateDir: string | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
    pgEmbedded: boolean;
  }
}

export async function setup(project: TestProject): Promise<void> {
  // Default audit anchors (core/audit/default-anchoring.ts) of the services the tests start on
  // PostgreSQL go to the user's state directory: a temporary one for the run, never the real one.
  stateDir = mkdtempSync(path.join(tmpdir(), "cxo-test-state-"));
  process.env.XDG_STATE_HOME = stateDir;
  server = await startTestPostgres();
  project.provide("pgUrl", server.url);
  project.provide("pgEmbedded", server.embedded);
}

export async function teardown(): Promise<void> {
  if (stateDir) rmSync(stateDir, { recursive: true, force: true });
  await server?.stop();
}
