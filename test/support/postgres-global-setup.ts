import type { TestProject } from "vitest/node";
import { type PostgresServer, startTestPostgres } from "./postgres-server.ts";

/**
 * Decides once per `vitest run` which PostgreSQL the tests use (see postgres-server.ts) and
 * hands its URL to every test file (`inject("pgUrl")`). The embedded one is only started when
 * no server answers, or when CXO_TEST_PG=embedded asks for it.
 */
let server: PostgresServer | undefined;

declare module "vitest" {
  export interface ProvidedContext {
    pgUrl: string;
    pgEmbedded: boolean;
  }
}

export async function setup(project: TestProject): Promise<void> {
  server = await startTestPostgres();
  project.provide("pgUrl", server.url);
  project.provide("pgEmbedded", server.embedded);
}

export async function teardown(): Promise<void> {
  await server?.stop();
}
