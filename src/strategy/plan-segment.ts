import { attemptBucketOf } from "./learn.ts";
import { type ListRow, ownColumn } from "./list-format.ts";
import { columnOfKey, type Model } from "./model-format.ts";
import type { Place } from "./place.ts";
import { type Posterior, posteriorOf } from "./plan-posterior.ts";

/**
 * The model's segment a record falls in, by the model's keys with the values learn computes them
 * from (the row's state or its number's, the area code, the list, the attempt's bucket, the row's
 * own columns), and that segment's posterior: made once per segment a plan meets, the campaign's
 * prior for a segment the model never saw.
 */
export class SegmentPosteriors {
  private readonly model: Model;
  private readonly exploration: number;
  private readonly listId: string | undefined;
  private readonly segments: Map<string, Model["segments"][number]>;
  private readonly posteriors = new Map<string, Posterior>();
  private readonly campaignPosterior: Posterior;

  constructor(model: Model, exploration: number, listId: string | undefined) {
    this.model = model;
    this.exploration = exploration;
    this.listId = listId;
    this.segments = new Map(model.segments.map((s) => [s.key, s]));
    this.campaignPosterior = posteriorOf(model.priors.campaign, model.priorStrength, exploration);
  }

  /** The posterior of the row's segment at an attempt's number. */
  of(row: ListRow, place: Place, attemptNumber: number): Posterior {
    const { model } = this;
    let key = "";
    for (const name of model.keys) {
      const value =
        name === "state"
          ? (row.state ?? place.state)
          : name === "areaCode"
            ? place.npa
            : name === "list"
              ? (this.listId ?? "")
              : name === "attemptBucket"
                ? attemptBucketOf(attemptNumber, model.attemptBuckets)
                : ((ownColumn(row.columns, columnOfKey(name) ?? "") as string | undefined) ?? "");
      key += `${key === "" ? "" : "|"}${name}=${value}`;
    }
    let posterior = this.posteriors.get(key);
    if (!posterior) {
      const segment = this.segments.get(key);
      posterior = segment
        ? posteriorOf(segment.slots, model.priorStrength, this.exploration)
        : this.campaignPosterior;
      this.posteriors.set(key, posterior);
    }
    return posterior;
  }
}
