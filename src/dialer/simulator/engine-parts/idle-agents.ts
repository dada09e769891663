/**
 * The agents ready for a call: a stack, so the agent who became idle last takes the next call
 * (the engines' results depend on this order; it costs one array write either way).
 */
export class IdleAgents {
  count = 0;
  private readonly agents: Int32Array<ArrayBuffer>;

  constructor(agents: number) {
    this.agents = new Int32Array(agents);
  }

  push(agent: number): void {
    this.agents[this.count++] = agent;
  }

  /** The agent who became idle last (call only when `count > 0`). */
  pop(): number {
    return this.agents[--this.count] as number;
  }

  clear(): void {
    this.count = 0;
  }
}
