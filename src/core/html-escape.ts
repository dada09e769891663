/**
 * The one escaper for text put into the HTML and SVG the project writes (reports, charts): the
 * five characters that could end an element, an attribute or an entity become numeric character
 * references, which HTML and XML read alike.
 */
export function escapeHtml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => `&#${c.charCodeAt(0)};`);
}
