/** The floor of drops no pacing removes (the detector's hold), as the gain reads it: memory and people needed. */
const FLOOR_MEMORY_PEOPLE = 5000;
export const FLOOR_MIN_PEOPLE = 200;
/** The floor as read on the ticks with agents ready and nobody waiting: memory, in people. */
const READY_MEMORY_PEOPLE = 20_000;

/**
 * The detector's floor: drops per person that no pacing removes (the detector held the person
 * past the connect threshold while an agent sat ready). Two readings: the gain's (every warm
 * tick's people, the ready ticks' drops; reads low while pacing) and the ready ticks' alone over
 * a longer memory (the day's planner and the cold start's release read it).
 */
export class FloorEstimate {
  /** Floor drops per person as the gain learns it (0 until FLOOR_MIN_PEOPLE are read). */
  rate = 0;
  private wFloorDrops = 0;
  private wFloorPeople = 0;
  private wReadyDrops = 0;
  private wReadyPeople = 0;
  /** Σ (weight × people)² of the ready ticks: their effective people are wReadyPeople² ÷ this. */
  private wReadySquares = 0;

  /**
   * A warm tick's people and drops; `ready`: agents sat ready and nobody waited (its drops were
   * the detector's, not for want of an agent). Returns the tick's pacing drops.
   */
  learn(people: number, drops: number, ready: boolean): number {
    const floorDecay = Math.exp(-people / FLOOR_MEMORY_PEOPLE);
    const pacingDrops = ready ? 0 : drops;
    if (ready) {
      const readyDecay = Math.exp(-people / READY_MEMORY_PEOPLE);
      this.wReadyDrops = this.wReadyDrops * readyDecay + drops;
      this.wReadyPeople = this.wReadyPeople * readyDecay + people;
      this.wReadySquares = this.wReadySquares * readyDecay * readyDecay + people * people;
    }
    this.wFloorDrops = this.wFloorDrops * floorDecay + (drops - pacingDrops);
    this.wFloorPeople = this.wFloorPeople * floorDecay + people;
    this.rate = this.wFloorPeople >= FLOOR_MIN_PEOPLE ? this.wFloorDrops / this.wFloorPeople : 0;
    return pacingDrops;
  }

  /** The floor as read on the ticks with agents ready and nobody waiting (the gain's reads low while pacing). */
  read(): number {
    return this.wReadyPeople >= FLOOR_MIN_PEOPLE ? this.wReadyDrops / this.wReadyPeople : this.rate;
  }

  /** People read on the ready ticks (weighted). */
  readyPeople(): number {
    return this.wReadyPeople;
  }

  /** Drops read on the ready ticks (weighted). */
  readyDrops(): number {
    return this.wReadyDrops;
  }

  /** The ready ticks' effective people (their weights counted). */
  readyEffectivePeople(): number {
    const n = this.wReadyPeople;
    return (n * n) / this.wReadySquares;
  }
}
