/**
 * The tenant's own CXone DNC groups (`/dnc-groups`, shared/reference
 * cxone-api-overview.md §4.4). A number in an ACTIVE group that SCRUBS a skill is not dialled
 * on that skill by CXone, and cxo refuses it too (`cxone_dnc`). Revocations of consent are
 * added to the tenant's designated group (`consent.cxoneDncGroup`), so CXone's own dialer
 * stops as well. A platform without DNC groups (the seed API) has no such port: `support`
 * refuses `dncGroups` before anything is sent.
 */
export interface DncGroup {
  groupId: string;
  name: string;
  /** Inactive groups scrub nothing. */
  active: boolean;
  /** The skills (campaign ids on production) whose dialling this group scrubs. */
  scrubbedSkillIds: string[];
  /**
   * How many records the platform says the group holds (`validRecords`, else `totalRecords`);
   * undefined when it does not say. A sync that reads fewer fails.
   */
  records: number | undefined;
}

export interface DncGroupRecord {
  /** E.164. */
  phone: string;
  /** When the record stops applying (ISO 8601); undefined = never. */
  expiresAt: string | undefined;
}

/** What a group write took: the numbers it refused (none: every number is in the group). */
export interface DncAddResult {
  refused: Array<{ phone: string; reason: string }>;
}

/** One group a number was found in (`POST /dnc-groups/search`). */
export interface DncGroupHit {
  groupId: string;
  groupName: string;
  phone: string;
  expiresAt: string | undefined;
}

export interface DncGroupsPort {
  /** Every group of the business unit, with the skills each scrubs. */
  list(signal?: AbortSignal): Promise<DncGroup[]>;
  /**
   * One group with the skills it scrubs (undefined: the platform shows it removed): what a live
   * check needs of the groups a search named, without reading every group of the business unit.
   * A group the platform cannot show (not found, an empty answer) is an error, never "no group":
   * the number a search found in it must not pass for allowed. Optional: without it a live check
   * reads `list()`.
   */
  group?(groupId: string, signal?: AbortSignal): Promise<DncGroup | undefined>;
  /** Every record of one group, page by page, in constant memory. */
  records(groupId: string, signal?: AbortSignal): AsyncIterable<DncGroupRecord>;
  /** The groups holding one number (a live check of a single number). */
  search(phone: string, signal?: AbortSignal): Promise<DncGroupHit[]>;
  /**
   * Adds numbers (E.164) to a group. Adding a number the group already holds leaves it once
   * in the group. Callers journal the batch first and, on a re-drive, send only the numbers the
   * group does not hold yet (read with `search` or `records`), so each number is sent once.
   * The platform answers per record: the numbers it refused are not in the group, and are
   * answered with its words (a caller keeps them pending and sends them again).
   */
  addRecords(
    groupId: string,
    records: readonly DncGroupRecord[],
    signal?: AbortSignal,
  ): Promise<DncAddResult>;
  /**
   * Creates an active group (no records, no skills) and answers it. A campaign's
   * revocations reach CXone through a group cxo keeps for that one skill (consent/skill-groups.ts).
   */
  create(name: string, description: string, signal?: AbortSignal): Promise<DncGroup>;
  /** Makes a group scrub a skill: CXone checks it before it dials that skill's records. */
  scrubSkill(groupId: string, skillId: string, signal?: AbortSignal): Promise<void>;
}
