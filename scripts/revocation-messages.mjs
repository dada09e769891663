import { writeFileSync } from "node:fs";
const out = [];
const add = (label, text) => out.push({ label, text });
// Keywords: the FCC's words and Spanish equivalents, in the ways people type them.
const keywords = ["STOP", "Stop", "stop", "QUIT", "Quit", "END", "End", "REVOKE", "Revoke", "OPT OUT", "Opt out", "opt-out", "OPTOUT", "CANCEL", "Cancel", "cancel", "UNSUBSCRIBE", "Unsubscribe", "unsubscribe", "STOPALL", "Stop all", "PARAR", "Parar", "ALTO", "Alto", "BAJA", "Baja", "CANCELAR", "Cancelar", "REMOVE", "Remove"];
const wraps = [(k) => k, (k) => `${k}.`, (k) => `${k}!!`, (k) => ` ${k} `, (k) => `${k} please`, (k) => `Please ${k.toLowerCase()}`, (k) => `${k} 🙏`, (k) => `"${k}"`, (k) => `${k} now`, (k) => `${k}, thanks`];
for (const [i, k] of keywords.entries()) for (const [j, w] of wraps.entries()) if ((i + j) % 3 === 0) add("keyword", w(k));
for (const k of ["Stop por favor", "Baja por favor", "Parar ya", "STOP STOP STOP", "stop it", "Stop texts", "stop messages", "UNSUB", "Unsub", "Opt-Out", "stop!", "Stop...", "sToP", "CaNcEl"]) add("keyword", k);
// Phrases: a request not to be contacted, in words (English and Spanish).
const phrases = [
  "Please stop texting me", "Stop calling me", "stop calling this number", "Don't call me again", "Do not call me anymore",
  "Dont text me", "Never call me again", "Take me off your list", "Please remove me from your list", "Remove me from your call list",
  "remove my number", "I don't want any more calls", "I do not want to be contacted", "No more texts please", "No more calls",
  "Leave me alone", "lose my number", "Put me on your do not call list", "Add me to the DNC list", "I want to unsubscribe",
  "I would like to opt out of these messages", "Opt me out", "unsubscribe me please", "Stop sending me messages", "stop contacting me",
  "Stop bothering me", "Stop harassing me", "I revoke my consent", "I withdraw my permission to call", "Do not contact me again",
  "Don't ever text me", "Delete my number from your list", "get me off your list", "take my number off your list", "Please quit calling",
  "Quit texting me", "End all calls to this number", "no more messages", "I don't want to be texted", "we don't want any more calls",
  "Stop emailing me", "Do not email me again", "cease contacting me", "Please stop contacting me about this", "STOP CALLING ME",
  "Stop texting this phone", "don't message me", "Remove us from your list", "Please don't call this number anymore", "I'm asking you to stop calling",
  "No me llamen más", "No me llames", "No me escriban", "Dejen de llamar por favor", "Deja de escribirme",
  "Quítenme de su lista", "Bórrenme de la lista", "No quiero más llamadas", "No quiero más mensajes", "No quiero que me llamen",
  "Denme de baja", "Darme de baja por favor", "Ya no me llamen", "Sáquenme de la lista", "No me contacten más",
  "No me molesten", "Dejen de molestar", "Elimíneme de su lista", "No me envíen mensajes", "ya no me escriban",
  "Please stop. Do not call me again.", "Stop calling. I told you already.", "This is the third time, stop calling me",
  "Wrong person, stop texting me", "I'm not interested, take me off your list", "please remove me, thank you",
  "Stop texting me!!!", "dont call me anymore", "Do NOT contact me", "I no longer want texts from you",
];
for (const p of phrases) add("phrase", p);
// Not revocations: what debtors and customers answer otherwise.
const others = [
  "Yes", "No", "OK", "Ok thanks", "Thanks!", "Thank you", "Who is this?", "What's my balance?", "I'll pay on Friday", "I already paid",
  "Can you call me tomorrow?", "Call me at 5pm", "Sounds good", "Sure", "Yes please call me", "I can pay $50 now", "When is it due?",
  "Send me the link", "What is this about?", "I need more time", "Can I set up a payment plan?", "My account number is 12345",
  "I'm at work, call later", "Please call me after 6", "Received", "Got it", "👍", "Hello", "Hi", "Good morning",
  "I will call you back", "Is this Acme?", "I never got the bill", "Wrong amount", "Can you email the statement?", "Paid yesterday",
  "Confirm", "Y", "N", "1", "Call me", "Text me the details", "I'd like to talk to someone", "How much do I owe?",
  "I lost my job, can we talk", "Please send a letter", "My new address is 5 Main St", "What are your hours?", "Spanish please",
  "¿Cuánto debo?", "Sí", "Gracias", "Llámame mañana", "Ya pagué", "¿Quién es?", "Puedo pagar el viernes", "Buenos días",
  "Está bien", "Mándame el enlace", "Necesito más tiempo", "Yes I want the offer", "Tell me more", "Interested", "Maybe later",
  "I'm driving", "Who gave you my number?", "Is this a scam?", "I want to speak to a manager", "Call my wife instead",
  "My phone was stolen", "I'll think about it", "Not today", "Later", "Busy now", "Please resend", "The link doesn't work",
  "Can you text instead of calling?", "I prefer email", "What's the interest rate?", "Send payoff amount", "OK I'll pay",
  "Done", "Payment sent", "Check your records", "I disputed this", "I am represented by an attorney", "Call my lawyer",
  "Where do I mail the check?", "Can I pay by card?", "What time do you close?", "Sorry I missed your call",
  "Yes this is John", "No this is his son", "He passed away", "She moved", "I'm on vacation until Monday", "Good",
  "Perfect", "Great, thanks", "LOL", "?", "Hmm", "Thx", "k", "ty", "Appreciate it", "Will do",
];
for (const o of others) add("non", o);
// Unclear: a person decides (negations, questions about stopping, keywords inside other words, other languages).
const unclear = [
  "Don't stop", "Please don't cancel my plan", "do not unsubscribe me", "I don't want to opt out", "Never stop sending deals",
  "How do I stop these?", "How do I unsubscribe?", "Is this how I opt out?", "Can I stop the payments?", "Should I cancel my card?",
  "What happens if I stop paying?", "Why should I stop?", "Can you stop by tomorrow?", "Stop by the store later", "End of the month works",
  "The end", "Cancel my appointment", "Cancel the payment I scheduled", "I want to cancel my order", "Quit my job today",
  "Remove the late fee", "Please remove the charge", "Stop the autopay", "stop payment on check 123", "Cancel autopay please",
  "Arrêtez", "Arrêtez de m'appeler", "Désabonner", "Não me ligue mais", "Pare de ligar", "Stopp", "Bitte nicht mehr anrufen",
  "Abmelden", "Non chiamatemi più", "Basta così grazie", "Dừng lại", "Đừng gọi nữa", "Huwag na po", "Tigil na", "Pa rele m ankò",
  "停止", "不要再打了", "Не звоните мне", "止めてください", "전화하지 마세요", "توقف", "बंद करो", "Σταματήστε",
  "No quiero cancelar", "¿Cómo cancelo esto?", "¿Qué pasa si dejo de pagar?", "End of story", "Stop sign ahead lol",
];
for (const u of unclear) add("unclear", u);
writeFileSync(process.argv[2], `${JSON.stringify({ source: "cxone-outbound issue 92 §3: a labelled set written for the classifier's test (keyword, phrase, non, unclear)", messages: out }, null, 1)}\n`);
const counts = {};
for (const m of out) counts[m.label] = (counts[m.label] ?? 0) + 1;
console.log(out.length, counts);
