import { hash3, unit3 } from "../random.ts";
import { AREA_CODES, type AreaCode, areaCodeWeight } from "./geo.ts";

/**
 * Contacts are a pure function of (seed, list, position), so a call record can name its contact
 * and phone number without any table. Some contacts have no consent flags at all, some have
 * consent withheld, some declare a time zone or state (a few of which disagree with the area
 * code: people move, numbers stay).
 */
export interface Contact {
  id: string;
  firstName: string;
  lastName: string;
  phone: string;
  timeZone?: string;
  state?: string;
  consentFlags?: { outbound: { call: boolean; sms: boolean } };
  /**
   * Extension (issue 79 §3, docs/emulator.md): the day call consent was given, YYYY-MM-DD, on
   * contacts that gave it — what the Reassigned Numbers Database is asked about.
   */
  consentDate?: string;
  lastModifiedTime: string;
}

const FIRST = [
  "James",
  "Mary",
  "Robert",
  "Patricia",
  "John",
  "Jennifer",
  "Michael",
  "Linda",
  "David",
  "Elizabeth",
  "William",
  "Barbara",
  "Richard",
  "Susan",
  "Joseph",
  "Jessica",
  "Thomas",
  "Sarah",
  "Carlos",
  "Maria",
  "Wei",
  "Aisha",
  "Hiroshi",
  "Priya",
  "Kwame",
  "Olga",
  "Mateo",
  "Leilani",
  "Noah",
  "Emma",
];
const LAST = [
  "Smith",
  "Johnson",
  "Williams",
  "Brown",
  "Jones",
  "Garcia",
  "Miller",
  "Davis",
  "Rodriguez",
  "Martinez",
  "Hernandez",
  "Lopez",
  "Gonzalez",
  "Wilson",
  "Anderson",
  "Thomas",
  "Taylor",
  "Moore",
  "Jackson",
  "Martin",
  "Lee",
  "Nguyen",
  "Kim",
  "Patel",
  "Okafor",
  "Kowalski",
  "Kahale",
  "Yazzie",
  "Schmidt",
  "Rossi",
];

/** Cumulative weights, built once, so a uniform draw maps to an area code in O(log n). */
const cumulative: number[] = [];
let total = 0;
for (const code of AREA_CODES) {
  total += areaCodeWeight(code);
  cumulative.push(total);
}

export function areaCodeFor(draw: number): AreaCode {
  const target = draw * total;
  let lo = 0;
  let hi = cumulative.length - 1;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if ((cumulative[mid] as number) > target) hi = mid;
    else lo = mid + 1;
  }
  return AREA_CODES[lo] as AreaCode;
}

/** Ids encode list and position, so a call can point at its contact cheaply. */
export function contactId(listIndex: number, position: number): string {
  return `ct-${listIndex + 1}-${String(position + 1).padStart(6, "0")}`;
}

/** The phone number alone (the hot path of call generation). */
export function contactPhone(seed: number, listIndex: number, position: number): string {
  const key = listIndex * 10_000_000 + position;
  const area = areaCodeFor(unit3(seed, key, 11));
  const h = hash3(seed, key, 12);
  // Exchange 200-999 avoiding N11 service codes; line 0000-9999.
  let exchange = 200 + (h % 800);
  if (exchange % 100 === 11) exchange += 1;
  const line = (h >>> 10) % 10_000;
  return `+1${area.npa}${exchange}${String(line).padStart(4, "0")}`;
}

export function generateContact(seed: number, listIndex: number, position: number, epochMs: number): Contact {
  const key = listIndex * 10_000_000 + position;
  const area = areaCodeFor(unit3(seed, key, 11));
  const contact: Contact = {
    id: contactId(listIndex, position),
    firstName: FIRST[hash3(seed, key, 13) % FIRST.length] as string,
    lastName: LAST[hash3(seed, key, 14) % LAST.length] as string,
    phone: contactPhone(seed, listIndex, position),
    lastModifiedTime: new Date(epochMs - Math.floor(unit3(seed, key, 15) * 180 * 86_400_000)).toISOString(),
  };
  const consent = unit3(seed, key, 16);
  if (consent >= 0.1) {
    contact.consentFlags = { outbound: { call: consent >= 0.25, sms: unit3(seed, key, 17) < 0.6 } };
    // Given within the last five years (some before the RND has data: "no data").
    if (consent >= 0.25)
      contact.consentDate = new Date(epochMs - Math.floor(unit3(seed, key, 23) * 5 * 365 * 86_400_000))
        .toISOString()
        .slice(0, 10);
  }
  if (unit3(seed, key, 18) < 0.3) {
    const zones = [area.timeZone, ...(area.otherZones ?? [])];
    contact.timeZone = zones[hash3(seed, key, 19) % zones.length] as string;
  }
  if (unit3(seed, key, 20) < 0.4) {
    const moved = unit3(seed, key, 21) < 0.1;
    contact.state = moved
      ? (AREA_CODES[hash3(seed, key, 22) % AREA_CODES.length] as AreaCode).state
      : area.state;
  }
  return contact;
}
