/** What `/usr/bin/time -v` says about a child: wall time, CPU time (user + system), peak RSS. */
export interface TimeV {
  wallS: number;
  cpuS: number;
  rssMb: number;
}

export function parseTimeV(text: string): TimeV {
  const field = (name: string) => {
    const match = new RegExp(`${name}: (.+)`).exec(text);
    if (!match) throw new Error(`/usr/bin/time -v printed no "${name}"`);
    return match[1] as string;
  };
  const wall = field("Elapsed \\(wall clock\\) time \\(h:mm:ss or m:ss\\)")
    .split(":")
    .reduce((acc, part) => acc * 60 + Number(part), 0);
  return {
    wallS: wall,
    cpuS: Number(field("User time \\(seconds\\)")) + Number(field("System time \\(seconds\\)")),
    rssMb: Number(field("Maximum resident set size \\(kbytes\\)")) / 1024,
  };
}
