import { clockNowDate } from "../../core/clock/now.ts";
import { setDisposition } from "../../interactions/index.ts";
import type { DemoEnvironment } from "../environment.ts";
import type { Narrator } from "../narrator.ts";
/**
 * Step: correct dispositions on closed interactions. The last one races a supervisor's edit:
 * we hold an ETag, the supervisor saves first, and our change is re-applied to the fresh state
 * instead of overwriting theirs (seed 001's defect).
 */
export async function correctInteractionsStep(env: DemoEnvironment, say: Narrator): Promise<void> {
  const deps = { port: env.client.port.interactions, store: env.store };
  const primary = env.emulator.fixtures.dispositions.filter((d) => /^1\d\d$/.test(d.code));
  // CXone refuses a mix of primary (1xx) and secondary (2xx) codes: use interactions that
  // carry primary codes (or none) so each correction is a legal one.
  const ids: string[] = [];
  for (const { id } of env.emulator.fixtures.interactions) {
    const { interaction } = await env.client.port.interactions.get(id);
    if (interaction.dispositions.every((d) => d.code.startsWith("1"))) ids.push(id);
    if (ids.length === 3) break;
  }
  if (ids.length < 3) throw new Error("the emulator has fewer than 3 interactions with primary codes");

  const unused = async (id: string, avoid: string[] = []) => {
    const { interaction } = await env.client.port.interactions.get(id);
    const taken = new Set([...interaction.dispositions.map((d) => d.code), ...avoid]);
    const code = primary.find((candidate) => !taken.has(candidate.code));
    if (!code) throw new Error(`interaction ${id} already carries every primary code`);
    return code;
  };

  for (const id of ids.slice(0, 2)) {
    const code = await unused(id);
    say.command(
      `cxo interactions set-disposition ${id} --code ${code.code} --description "${code.description}" --agent agent-17`,
    );
    const result = await setDisposition(deps, id, {
      code: code.code,
      description: code.description,
      agentId: "agent-17",
    });
    say.ok(`${id}: ${result.code} ${result.outcome} (etag ${result.beforeEtag} → ${result.afterEtag})`);
  }

  const raced = ids[2]!;
  const { interaction, etag } = await env.client.port.interactions.get(raced);
  const supervisorCode = await unused(raced);
  const ourCode = await unused(raced, [supervisorCode.code]);
  // The supervisor saves first, with the same ETag we hold.
  await env.client.port.interactions.replaceDispositions(
    raced,
    [
      ...interaction.dispositions,
      {
        code: supervisorCode.code,
        description: supervisorCode.description,
        agentId: "supervisor-2",
        timestamp: clockNowDate().toISOString(),
      },
    ],
    etag,
  );
  say.info(`a supervisor edited ${raced} after we read it (our etag ${etag} is now stale)`);
  const result = await setDisposition(deps, raced, {
    code: ourCode.code,
    description: ourCode.description,
    agentId: "agent-17",
    etag,
  });
  const codes = result.dispositions.map((d) => d.code);
  const kept = codes.includes(supervisorCode.code) && codes.includes(ourCode.code);
  say.ok(
    `${raced}: stale etag detected, change re-applied to the fresh state; both kept: ${codes.join(", ")}`,
  );
  if (!kept) throw new Error(`interaction ${raced} lost an edit: ${codes.join(", ")}`);
}
