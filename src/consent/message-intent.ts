/**
 * A revocation in words. Since 2025-04-11 consent may be revoked "by any reasonable
 * means"; the FCC lists `stop, quit, end, revoke, opt out, cancel, unsubscribe` as per se
 * revocations sent by text, and other words that reasonably express the wish count too (47 CFR
 * 64.1200(a)(10); FCC 24-24, ¶¶ 19–30). An inbound message (a text's reply, an email) is read
 * here: a **keyword** (the message is one of the words, in any case, with punctuation, emoji or
 * a courtesy word around it), a **phrase** that asks not to be contacted (English and Spanish),
 * or **unclear** — a keyword inside other words, a negation ("don't stop"), a question about
 * stopping, another language, a wrong number (a reassigned-number signal), a change of channel,
 * "not interested", a lawyer — which goes to a person's review (it counts against the same
 * deadline as a revocation, never dropped). What is clearly not about being contacted (a payment
 * promise, "thanks", "opt me in") is **other**. The text is normalised first:
 * Unicode NFKC (fullwidth letters), format characters removed (a zero-width space inside
 * `stop`), letters spread by spaces or dots joined (`S T O P`, `s.t.o.p`), case folded. Pure: no
 * I/O; the labelled set, its sources and its figures are in docs/consent.md.
 */
export type MessageVerdict = "revocation" | "review" | "other";

export interface MessageIntent {
  verdict: MessageVerdict;
  /**
   * How it was decided: `keyword`, `phrase`, or for review `negated`, `question`,
   * `keyword-in-text`, `language`, `wrong-number`, `channel`, `not-interested`, `attorney`,
   * `disputed` (consent denied: "I never signed up"), `complaint` ("why do you keep calling").
   */
  basis:
    | "keyword"
    | "phrase"
    | "negated"
    | "question"
    | "keyword-in-text"
    | "language"
    | "wrong-number"
    | "channel"
    | "not-interested"
    | "attorney"
    | "disputed"
    | "complaint"
    | "none";
  /** The words that decided it (the keyword or the phrase as found), when any. */
  matched?: string;
}

/** The FCC's per se words (English) and their plain Spanish equivalents. */
const KEYWORDS = [
  "stop",
  "stopall",
  "stop all",
  "quit",
  "end",
  "revoke",
  "opt out",
  "optout",
  "opt-out",
  "cancel",
  "unsubscribe",
  "unsub",
  "remove",
  "parar",
  "pare",
  "alto",
  "basta",
  "baja",
  "cancelar",
  "detener",
  "darme de baja",
  // Carriers' and providers' opt-out lists (AWS End User Messaging: ARRET, TD; Telnyx: STOP ALL;
  // Twilio: STOPALL, REVOKE, OPTOUT) and a plain Spanish "no more".
  "arret",
  "arrêt",
  "td",
  "no mas",
  "no más",
];
/** Courtesy and filler words allowed around a keyword without making it "text". */
const FILLER = new Set([
  "please",
  "pls",
  "plz",
  "now",
  "thanks",
  "thank",
  "you",
  "thx",
  "ty",
  "por",
  "favor",
  "gracias",
  "ya",
  "it",
  "me",
  "all",
  "texts",
  "messages",
  "calls",
  "this",
]);

/** Words for being contacted, in English and Spanish (stems). */
const CONTACT =
  "(?:call(?:ing|s)?|text(?:ing|s)?|messag(?:e|es|ing)|contact(?:ing)?|email(?:ing|s)?|phon(?:e|ing)|bother(?:ing)?|harass(?:ing)?|sms|reach(?:ing)? out)";
const ME = "(?:me|us|this (?:number|phone)|my (?:number|phone|cell))";

/** Phrases that ask not to be contacted: each is a revocation by itself. */
const PHRASES: RegExp[] = [
  new RegExp(`\\b(?:stop|quit|cease|end)\\s+(?:all\\s+)?${CONTACT}`),
  /\bcease\s+and\s+desist\b/,
  /\b(?:i|we)\s+(?:do\s*n[o']?t|dont|no\s+longer)\s+(?:give\s+(?:my\s+|our\s+)?)?consent\b/,
  /\b(?:i|we)\s+(?:withdraw|revoke|take\s+back)\b/,
  /\bno\s+(?:longer\s+)?consent\b/,
  /\b(?:cancel|end|stop|quit|unsubscribe(?:\s+(?:me\s+)?from)?)\s+(?:all\s+)?(?:these|those|the|this|your|my|such)?\s*(?:texts?|messages?|msgs?|calls?|emails?|notifications?|alerts?|sms|reminders?)\b/,
  /\b(?:take|remove|delete|drop|get)\s+(?:this|my|that|the)\s+(?:number|phone|cell|line)\s+(?:off|from|out)\b/,
  /\bremove\s+(?:this|my|that)\s+(?:number|phone|cell)\b/,
  /\b(?:i|we)\s+(?:do\s*n[o']?t|dont|no\s+longer)\s+(?:want|wish|need)\s+(?:to\s+(?:get|receive)\s+)?(?:any|these|those|the|your|this|such)?\s*(?:more\s+)?(?:calls?|texts?|messages?|emails?|to\s+be\s+(?:called|contacted|texted))/,
  new RegExp(`\\b(?:do\\s*n[o']?t|dont|never|no\\s+more)\\s+(?:ever\\s+)?${CONTACT}\\s+${ME}`),
  new RegExp(`\\b(?:do\\s*n[o']?t|dont|never)\\s+(?:ever\\s+)?${CONTACT}\\s+(?:again|anymore|any more)`),
  /\bno\s+(?:more\s+)?(?:calls|texts|messages|emails|contact)\b/,
  /\b(?:take|remove|delete|drop|get)\s+(?:me|us|my (?:number|name|info))\s+(?:off|from)\b/,
  /\bremove\s+(?:me|us|my\s+(?:number|name))\b/,
  /\b(?:unsubscribe\s+(?:me|us)|opt\s+(?:me|us)\s+out)\b/,
  /\bopt(?:ing)?[\s-]*out\b/,
  /\b(?:i|we)\s+(?:want|wish|would like|need)\s+to\s+(?:unsubscribe|opt out|stop (?:receiving|getting))/,
  /\bleave\s+me\s+alone\b/,
  /\blose\s+(?:my|this)\s+number\b/,
  /\b(?:revoke|withdraw)\s+(?:my\s+)?(?:consent|permission)\b/,
  /\b(?:i|we)\s+(?:do\s*n[o']?t|dont|no\s+longer)\s+(?:want|wish)\s+(?:any\s+)?(?:more\s+)?(?:calls|texts|messages|emails|to be (?:called|contacted|texted))/,
  /\bput\s+me\s+on\s+(?:your\s+|the\s+)?(?:do[\s-]*not[\s-]*call|dnc)\b/,
  /\badd\s+me\s+to\s+(?:your\s+|the\s+)?(?:do[\s-]*not[\s-]*call|dnc)\b/,
  /\bstop\s+(?:sending|contacting|bothering|harassing)\b/,
  // Spanish
  /\bno\s+(?:me|nos)\s+(?:llam(?:e|en|es)|escrib(?:a|an|as)|contact(?:e|en|es)|mole(?:ste|sten|stes)|env[ií](?:e|en|es))\b/,
  /\b(?:deje|dejen|deja)\s+de\s+(?:llamar|escribir|enviar|molestar|contactar)/,
  /\b(?:qu[ií]t(?:e|en|a)me|b[oó]rr(?:e|en|a)me|s[aá]qu(?:e|en|a)me|elim[ií]n(?:e|en|a)me)\b/,
  /\bno\s+quiero\s+(?:m[aá]s\s+)?(?:llamadas|mensajes|que\s+me\s+(?:llamen|escriban|contacten))/,
  /\b(?:dar(?:me)?|den(?:me)?)\s+de\s+baja\b/,
  /\bya\s+no\s+(?:me\s+)?(?:llamen|escriban|manden)\b/,
  /\bno\s+(?:me\s+|nos\s+)?(?:llamar|llam(?:en|es|e)|escribir|enviar\s+mensajes)\b/,
  /\bno\s+m[aá]s\s+(?:llamadas|mensajes|textos)\b/,
];

/**
 * Unclear, and a person's to read (these were dropped as "other"): each with the
 * basis it is put in review on. A wrong number is a reassigned-number signal; a change of channel
 * may revoke the one used; "not interested" and a lawyer are for a person to judge.
 */
const UNCLEAR: Array<[MessageIntent["basis"], RegExp]> = [
  ["wrong-number", /\bwrong\s+(?:number|person|guy|girl|lady|num)|^wrong$/],
  [
    "wrong-number",
    /\b(?:this|it|that)\s*(?:is\s*n[o']?t|isnt|is\s+not|'s\s+not)\s+(?!(?:a|an|the|good|right|ok|okay|true|fair|what|my|me|funny|it|so|that|fine|true|working|clear)\b)\p{L}+/u,
  ],
  ["wrong-number", /\bno\s+(?:one|body)\s+(?:by\s+that\s+name|named|here\s+(?:by|named))/],
  ["wrong-number", /\b(?:who\s+is\s+this|who\s+are\s+you|don'?t\s+know\s+(?:who|any|him|her))\b/],
  ["wrong-number", /\b(?:not|no\s+longer)\s+(?:my|the|his|her)\s+(?:number|phone|cell)\b/],
  ["wrong-number", /\b(?:new|changed)\s+(?:my\s+)?number\b|\bnumber\s+(?:has\s+|was\s+)?changed\b/],
  [
    "disputed",
    /\bnever\s+(?:signed\s+up|agreed|gave|opted|asked|consented)|\bdid\s*n[o']?t\s+(?:sign\s+up|agree|opt\s+in|ask|consent)/,
  ],
  [
    "complaint",
    /\bkeep\s+(?:calling|texting|messaging)|\btoo\s+many\s+(?:calls|texts|messages)|\b(?:harass\w*|spam)\b/,
  ],
  ["wrong-number", /\bn[uú]mero\s+equivocad[oa]\b|\bno\s+soy\b|\bpersona\s+equivocada\b/],
  [
    "channel",
    /\b(?:email|e-mail|mail|write|text|call|contact)\s+me\s+(?:instead|only|by|via|at\s+(?:my\s+)?(?:work|email|office))/,
  ],
  ["channel", /\b(?:please|pls|plz)\s+(?:email|e-mail|write|mail|text)\s+me\b/],
  ["channel", /\b(?:only|just)\s+(?:by\s+)?(?:email|e-mail|mail|letters?|texts?|calls?)\b/],
  [
    "channel",
    /\bprefer\s+(?:to\s+be\s+)?(?:emails?|e-mails?|mail|letters?|texts?|texted|calls?|called|emailed)\b/,
  ],
  ["channel", /\b(?:send|put)\s+(?:it|that|everything|me\s+\p{L}+)\s+(?:in\s+writing|by\s+(?:email|mail))/u],
  ["channel", /\bin\s+writing\b|\bpor\s+(?:correo|escrito)\b/],
  [
    "not-interested",
    /\bnot\s+interested\b|\bno\s+(?:me\s+)?interesa\b|\bno\s+thank(?:s|\s+you)\b|\bno\s+gracias\b/,
  ],
  ["attorney", /\b(?:lawyer|attorney|abogad[oa]|legal\s+counsel)\b/],
  ["not-interested", /\b(?:go\s+away|goodbye|good\s+bye|bye\s+bye|leave\s+us\s+be|stop\s+it)\b/],
];

/** A negation just before a keyword or phrase ("don't stop", "no quiero cancelar"). */
const NEGATED =
  /\b(?:do\s*n[o']?t|dont|never|not|no\s+quiero|no)\s+(?:(?!call|text|contact|email|messag|llam|escrib)\w+\s+){0,2}(?:stop|quit|end|cancel|unsubscribe|revoke|opt\s*out|parar|cancelar)\b/;
/** A question about stopping rather than a request ("how do I stop these?"). */
const QUESTION =
  /\?\s*$|^(?:how|what|why|when|where|can|could|should|will|would|is|are|does|did|c[oó]mo|qu[eé]|por\s*qu[eé])\b/;
/** Words about stopping: a question with one is a person's to read ("¿cómo cancelo esto?"). */
const STOP_WORDS = /(?:cancel|stop|unsubscri|opt[\s-]*out|quit|revo[ck]|parar|dej\w*\s+de|baja)/;
/** Any keyword as a word inside a longer text. */
const KEYWORD_ANYWHERE = new RegExp(
  `\\b(?:${KEYWORDS.map((k) => k.replace(/[-\s]/g, "[\\s-]*")).join("|")})\\b`,
);
/**
 * Opt-out words of other languages written in Latin letters (French, Portuguese, Italian,
 * German, Vietnamese, Tagalog, Haitian Creole): not read as a revocation here, so a person reads them.
 */
const OTHER_LANGUAGE =
  /(?<!\p{L})(?:arr[eê]t(?:e|ez|er)?|d[ée]sabonn\p{L}*|d[ée]sinscri\p{L}*|ne\s+m'appelez|n'appelez|n[aã]o\s+(?:me\s+)?lig(?:ue|uem)|pare\s+de|descadastr\p{L}*|smett\p{L}*|non\s+chiamat\p{L}*|cancellami|stopp|abmelden|nicht\s+mehr\s+anrufen|h[ôo]r\s+auf|d[ừu]ng|đ[ừu]ng\s+g[ọo]i|huwag|tigil|sispann|pa\s+rele)(?!\p{L})/u;
/** Letters of scripts other than Latin: another language than English or Spanish. */
const OTHER_SCRIPT =
  /[\u0370-\u03FF\u0400-\u04FF\u0590-\u06FF\u0900-\u097F\u3040-\u30FF\u4E00-\u9FFF\uAC00-\uD7AF]/;

/** Letters spread one by one (`S T O P`, `s.t.o.p`, `s-t-o-p`): three or more single letters in a row. */
const SPREAD_LETTERS = /(?<![\p{L}\p{N}])\p{L}(?:[\s.\-_*·•,/]{1,3}\p{L}(?![\p{L}\p{N}])){2,}/gu;

/**
 * Compatibility forms folded (NFKC: fullwidth `ＳＴＯＰ` is `STOP`), format characters removed
 * (a zero-width space or joiner inside a word, a soft hyphen), lower case, spread letters joined,
 * accents kept (Spanish), punctuation and emoji to spaces, a lone hyphen dropped, spaces squeezed.
 */
export function normaliseMessage(text: string): string {
  return text
    .normalize("NFKC")
    .replace(/[\p{Cf}\u180E]/gu, "")
    .toLowerCase()
    .replace(SPREAD_LETTERS, (spread) => spread.replace(/[^\p{L}]/gu, ""))
    .replace(/[’‘`´]/g, "'")
    .replace(/[^\p{L}\p{N}'?\s-]/gu, " ")
    .replace(/(^|\s)-+(?=\s|$)/g, " ")
    .replace(/\s+/g, " ")
    .trim();
}

/** The message as a keyword alone (with filler words around it), or undefined. */
function keywordAlone(words: string): string | undefined {
  const plain = words.replace(/\?/g, "").replace(/'/g, "").trim();
  for (const keyword of [...KEYWORDS].sort((a, b) => b.length - a.length)) {
    const at = plain.indexOf(keyword);
    if (at < 0) continue;
    const before = plain.slice(0, at).trim();
    const after = plain.slice(at + keyword.length).trim();
    if ((at > 0 && plain[at - 1] !== " ") || (after !== "" && plain[at + keyword.length] !== " ")) continue;
    const rest = `${before} ${after}`.trim();
    if (rest === "" || rest.split(" ").every((w) => FILLER.has(w) || KEYWORDS.includes(w))) return keyword;
  }
  return undefined;
}

export function classifyMessage(text: string): MessageIntent {
  const words = normaliseMessage(text);
  if (words === "") return { verdict: "other", basis: "none" };
  const keyword = keywordAlone(words);
  if (keyword && !words.includes("?")) return { verdict: "revocation", basis: "keyword", matched: keyword };
  const negated = words.match(NEGATED);
  const phrase = PHRASES.map((p) => words.match(p)).find((m) => m !== null);
  if (phrase && !negated && !QUESTION.test(words))
    return { verdict: "revocation", basis: "phrase", matched: phrase[0] };
  if (negated) return { verdict: "review", basis: "negated", matched: negated[0] };
  if (phrase || keyword)
    return { verdict: "review", basis: "question", matched: (phrase?.[0] ?? keyword) as string };
  if (QUESTION.test(words) && STOP_WORDS.test(words)) return { verdict: "review", basis: "question" };
  const inside = words.match(KEYWORD_ANYWHERE);
  if (inside) return { verdict: "review", basis: "keyword-in-text", matched: inside[0] };
  for (const [basis, pattern] of UNCLEAR) {
    const found = words.match(pattern);
    if (found) return { verdict: "review", basis, matched: found[0] };
  }
  if (OTHER_SCRIPT.test(text) || OTHER_LANGUAGE.test(words)) return { verdict: "review", basis: "language" };
  return { verdict: "other", basis: "none" };
}
