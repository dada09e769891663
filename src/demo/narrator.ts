import { styleText } from "node:util";
import { counted } from "../core/counted.ts";

/**
 * How the demo talks to the person watching: a numbered header per step, a line per thing
 * done, figures aligned, the equivalent `cxo` command so they can repeat it by hand. Colour
 * only on a terminal (styleText honours NO_COLOR / FORCE_COLOR and checks the stream).
 */
export class Narrator {
  private readonly out: NodeJS.WritableStream;
  private readonly total: number;
  private step = 0;
  private muted = false;

  constructor(total: number, out: NodeJS.WritableStream = process.stdout) {
    this.total = total;
    this.out = out;
  }

  private paint(format: Parameters<typeof styleText>[0], text: string): string {
    return styleText(format, text, { stream: this.out as NodeJS.WriteStream });
  }

  private write(line: string): void {
    if (!this.muted) this.out.write(`${line}\n`);
  }

  /** Where the day is: the step under way (0 before the first), of how many. */
  get position(): { step: number; total: number } {
    return { step: this.step, total: this.total };
  }

  /** Says nothing more: a step abandoned on Ctrl-C must not talk over the last line. */
  mute(): void {
    this.muted = true;
  }

  title(text: string): void {
    this.write("");
    this.write(this.paint(["bold", "cyan"], text));
  }

  begin(title: string): void {
    this.step += 1;
    this.write("");
    this.write(this.paint("bold", `━━ ${this.step}/${this.total}  ${title} ━━`));
  }

  /** The CLI command that does the same thing, for the reader to try. */
  command(text: string): void {
    this.write(this.paint("dim", `   $ ${text}`));
  }

  ok(text: string): void {
    this.write(`   ${this.paint("green", "✓")} ${text}`);
  }

  info(text: string): void {
    this.write(`   • ${text}`);
  }

  warn(text: string): void {
    this.write(`   ${this.paint("yellow", "!")} ${text}`);
  }

  /** Label/value pairs, labels padded to one column. */
  figures(rows: Array<[string, string | number]>): void {
    const width = Math.max(...rows.map(([label]) => label.length));
    for (const [label, value] of rows) this.write(`     ${label.padEnd(width)}  ${value}`);
  }

  line(text = ""): void {
    this.write(text);
  }
}

export function percent(fraction: number, digits = 1): string {
  return `${(fraction * 100).toFixed(digits)}%`;
}

export { counted };

/** Unknown disposition codes with how many records carry each: "2 records (X 1, Y 1)" or "none". */
export function unknownCodesLine(unknownCodes: Record<string, number>): string {
  const entries = Object.entries(unknownCodes).sort(([, a], [, b]) => b - a);
  if (entries.length === 0) return "none";
  const total = entries.reduce((sum, [, n]) => sum + n, 0);
  return `${counted(total, "record")} (${entries.map(([code, n]) => `${code} ${n}`).join(", ")})`;
}
