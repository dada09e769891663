import { chmodSync, mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { checkAnchors, signAnchor } from "../../src/core/audit/anchor.ts";
import { openStore } from "../../src/core/store/index.ts";
import { auditSignIn } from "../../src/service/auth.ts";
import { runCli } from "../support/run-cli.ts";

/**
 * Issue 63 N9: an audit chain and its anchors named no tenant, so globex's store and anchors
 * verified as acme's; and the installation's own chain (sign-ins, user changes) could not be
 * verified, tailed or exported once several tenants were configured. A tenant's chain now
 * starts from a genesis bound to its name, its anchors name it, and `cxo audit --installation`
 * reads the installation's store.
 */
const KEY = "an-anchor-key-of-enough-length";

async function chainOf(
  tenant: string | undefined,
  dir = mkdtempSync(path.join(tmpdir(), "cxo-audit-tenant-")),
) {
  const store = await openStore({ dataDir: dir, tenant }, { actor: "test" });
  await store.audit.append({ actor: "test", operation: "campaigns.pause", target: "701", outcome: "ok" });
  const head = await store.audit.head();
  await store.close();
  return { dir, head };
}

describe("audit chains and anchors are bound to their tenant (N9)", () => {
  it("globex's store does not verify as acme's; each verifies as its own", async () => {
    const globex = await chainOf("globex");
    const asAcme = await openStore({ dataDir: globex.dir, tenant: "acme" });
    const acmeVerdict = await asAcme.audit.verify();
    await asAcme.close();
    expect(acmeVerdict).toMatchObject({ ok: false, firstBrokenAt: 1 });
    expect(acmeVerdict.reason).toMatch(/is not business unit acme's chain/);
    const asGlobex = await openStore({ dataDir: globex.dir, tenant: "globex" });
    expect(await asGlobex.audit.verify()).toMatchObject({ ok: true, records: 1 });
    await asGlobex.close();
    // Two tenants' chains of the same records differ from the first record on.
    const acme = await chainOf("acme");
    expect(acme.head.hash).not.toBe(globex.head.hash);
  });

  it("an anchor names its tenant: globex's anchor does not check acme's log", async () => {
    const globex = await chainOf("globex");
    const anchor = signAnchor(KEY, globex.head, new Date(), "globex");
    expect(anchor.tenant).toBe("globex");
    const record = async () => undefined;
    const check = await checkAnchors(KEY, [anchor], globex.head, record, "acme");
    expect(check.ok).toBe(false);
    expect(check.reason).toMatch(/is business unit globex's, not acme's/);
  });

  it("cxo audit --installation verifies and tails the installation's own chain with several tenants", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "cxo-audit-installation-"));
    const config = path.join(dir, "cxo.config.yaml");
    writeFileSync(
      config,
      [
        "dataDir: ./data",
        "tenants:",
        "  acme: { cxone: { baseUrl: 'http://127.0.0.1:1', clientId: a, clientSecret: s } }",
        "  globex: { cxone: { baseUrl: 'http://127.0.0.1:2', clientId: g, clientSecret: s } }",
        "",
      ].join("\n"),
    );
    chmodSync(config, 0o600);
    const store = await openStore(path.join(dir, "data"), { actor: "test" });
    await auditSignIn(store, { user: "olivia", address: "127.0.0.1", ok: false });
    await store.close();
    const env = { CXO_CONFIG: config };
    const verify = await runCli(["--json", "audit", "--installation", "verify"], env, { cwd: dir });
    expect(verify.code, verify.stderr).toBe(0);
    expect(JSON.parse(verify.stdout)).toMatchObject({ ok: true, records: 1 });
    const tail = await runCli(["audit", "--installation", "tail"], env, { cwd: dir });
    expect(tail.code, tail.stderr).toBe(0);
    expect(tail.stdout).toContain("service.sign-in-failed user:olivia");
    // Without it, several tenants and none named is still the usual refusal.
    expect((await runCli(["audit", "verify"], env, { cwd: dir })).code).toBe(2);
  });
});
