import { BoundedCache } from "../core/bounded-cache.ts";
import { zoneListIdOf } from "./candidates.ts";
import { notDialable } from "./dialable.ts";
import type { RegistryFinding } from "./registry/lookup.ts";
import { listingMessage, listingRuleId } from "./rules/registries.ts";
import type { ComplianceInput, Reason, Verdict } from "./verdict.ts";

/**
 * Verdicts of calls that differ only in the number's last digits are the same verdict: a
 * segmentation of a million contacts meets a few tens of thousands of distinct situations
 * (zones, jurisdictions, declared zone and state, consent, registry listings, instant). Those
 * are computed once and reused; anything that depends on the number beyond its area code and
 * exchange (the internal DNC list, a not-dialable number) or on its history (attempts) is
 * computed afresh. A registry listing is part of the situation; its reason names the number,
 * so that one text is rewritten for each number (listingMessage).
 *
 * Templates are kept by instant, then by situation. A situation is one number when its parts fit
 * (a Map hashes a number far faster than the 50-character text the key was, ~0.4 s of a
 * million-contact scrub), else its text. The small ids inside the number are exact (one per
 * distinct text) and never given twice (a counter per part), so a forgotten id's text gets a new
 * one and two situations can never share a key. Every part is a BoundedCache of the engine's
 * size rule.
 */
export class VerdictCache {
  private readonly templates: BoundedCache<number, number | string, Verdict>;
  /** Part ("zone", "state", "registries") → text → id. */
  private readonly ids: BoundedCache<string, string, number>;
  private readonly nextIds = { zone: 0, state: 0, registries: 0 };
  // A scrub's findings are a few shared arrays (registry/lookup.ts): their id by identity.
  private readonly registryArrayIds: BoundedCache<null, readonly RegistryFinding[], number>;
  /** Frozen lists by their JSON text (their items are plain data: strings or flat records). */
  private readonly sharedLists: BoundedCache<null, string, readonly unknown[]>;

  constructor(limits: { verdicts: number; ids: number }) {
    this.templates = new BoundedCache(limits.verdicts);
    this.sharedLists = new BoundedCache(limits.verdicts);
    this.ids = new BoundedCache(limits.ids);
    this.registryArrayIds = new BoundedCache(limits.ids);
  }

  /** The verdict of `input`, from its situation's template when it has one (`compute` makes one). */
  verdict(input: ComplianceInput, compute: (input: ComplianceInput) => Verdict): Verdict {
    const key = this.keyOf(input);
    if (key === undefined) return compute(input);
    let template = this.templates.get(input.atMs, key);
    if (!template) {
      template = this.freeze(compute(input));
      this.templates.set(input.atMs, key, template);
    }
    // Shared, frozen parts: a million contacts allocate a million small objects, not ten million.
    // Field by field rather than spread: one object shape, and the compiler checks every field.
    const verdict: Verdict = {
      allowed: template.allowed,
      phone: input.number.e164,
      at: template.at,
      reasons: template.reasons,
      zones: template.zones,
      zoneSources: template.zoneSources,
      zoneDerivation: template.zoneDerivation,
      states: template.states,
      jurisdictions: template.jurisdictions,
      rules: template.rules,
      nextAllowedAt: template.nextAllowedAt,
      registries: template.registries,
    };
    // What a call's script must say (New York's opening) is the situation's too.
    if (template.scripts !== undefined) verdict.scripts = template.scripts;
    if (input.registries?.some((r) => r.listed)) verdict.reasons = renamedListings(template.reasons, input);
    return verdict;
  }

  /**
   * The situation's key, or undefined when the verdict depends on more than the situation: the
   * internal DNC list, a number that cannot be dialled, the number's history.
   */
  private keyOf(input: ComplianceInput): number | string | undefined {
    // An interval's verdict depends on its length too: asked by the planner, which does not repeat.
    if (
      input.onDnc ||
      (input.attempts?.length ?? 0) > 0 ||
      (input.suppressions?.length ?? 0) > 0 ||
      input.untilMs !== undefined ||
      touchFieldsGiven(input)
    )
      return undefined;
    // A UK number has no area code or exchange to key a situation by: judged afresh.
    if (input.number.country !== undefined || notDialable(input.number)) return undefined;
    // The number's zones and regions follow from its area code and exchange (one id per
    // distinct zone list); the contact's own zone and state are part of the key as given.
    const npa = Number(input.number.npa);
    const zoneList = zoneListIdOf(input.number);
    const zone = this.idOf("zone", input.declaredZone ?? "");
    const state = this.idOf("state", input.addressState ?? "");
    const consent = input.consent === undefined ? 2 : input.consent ? 1 : 0;
    // 0-30: a combination of findings; 31: no registry was consulted.
    const registries = input.registries ? this.registriesId(input.registries) : 31;
    const registryBits = input.registries ? (registries < 31 ? registries : -1) : 31;
    const caps = input.campaignCaps || input.campaignId !== undefined || input.searchDays !== undefined;
    // 10 + 20 + 8 + 7 + 2 + 5 = 52 bits: exact in a double.
    if (!caps && npa < 1024 && zoneList < 1 << 20 && zone < 256 && state < 128 && registryBits >= 0)
      return ((((npa * 2 ** 20 + zoneList) * 256 + zone) * 128 + state) * 4 + consent) * 32 + registryBits;
    // Joined rather than concatenated: a key kept in the cache is then one flat string.
    return [
      npa,
      zoneList,
      input.declaredZone ?? "",
      input.addressState ?? "",
      String(input.consent),
      input.registries ? `r${registries}` : "",
      String(input.campaignCaps?.perDay),
      String(input.campaignCaps?.perWeek),
      String(input.campaignId),
      String(input.searchDays),
    ].join("|");
  }

  private idOf(part: "zone" | "state" | "registries", text: string): number {
    return this.ids.memo(part, text, () => this.nextIds[part]++);
  }

  private registriesId(findings: readonly RegistryFinding[]): number {
    return this.registryArrayIds.memo(null, findings, () =>
      this.idOf(
        "registries",
        findings.map((r) => `${r.registry}@${r.asOf}${r.listed ? "+" : "-"}`).join("|"),
      ),
    );
  }

  /**
   * A verdict to keep, frozen, with its lists shared with every other kept verdict that has the
   * same list (most situations share their zones, states, rules…): a list per verdict made the
   * cache's arrays alone ~20 MB for a million contacts.
   */
  private freeze(verdict: Verdict): Verdict {
    return {
      ...verdict,
      reasons: this.shared(verdict.reasons),
      zones: this.shared(verdict.zones),
      zoneSources: this.shared(verdict.zoneSources),
      states: this.shared(verdict.states),
      jurisdictions: this.shared(verdict.jurisdictions),
      rules: this.shared(verdict.rules),
      registries: this.shared(verdict.registries),
      ...(verdict.scripts === undefined ? {} : { scripts: this.shared(verdict.scripts) }),
    };
  }

  private shared<T>(list: T[]): T[] {
    const text = JSON.stringify(list);
    const known = this.sharedLists.get(null, text);
    if (known) return known as T[];
    for (const item of list) if (typeof item === "object" && item !== null) Object.freeze(item);
    Object.freeze(list);
    this.sharedLists.set(null, text, list);
    return list;
  }
}

/** The fields of a touch beyond a call's situation: a verdict that depends on them is computed afresh (segmentation never gives them). */
const touchFieldsGiven = (input: ComplianceInput) =>
  (input.channel !== undefined && input.channel !== "call") ||
  input.kind !== undefined ||
  input.accountId !== undefined ||
  input.seller !== undefined ||
  input.zip !== undefined ||
  input.registrations !== undefined ||
  input.lastTransactionMs !== undefined ||
  input.numberType !== undefined ||
  input.voice !== undefined ||
  input.purpose !== undefined ||
  input.ruleTable !== undefined ||
  (input.textStopsMs?.length ?? 0) > 0 ||
  input.explainCaps === true;

/** The template's reasons with each registry listing's text naming this input's number. */
function renamedListings(reasons: Reason[], input: ComplianceInput): Reason[] {
  return reasons.map((reason) => {
    const finding = input.registries?.find((f) => f.listed && reason.ruleId === listingRuleId(f));
    return finding ? { ...reason, message: listingMessage(input.number.e164, finding) } : reason;
  });
}
