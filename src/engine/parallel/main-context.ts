// The main thread's search context in a parallel search: the shared seen-set instead of the
// sequential one, figures set by the level merge, and traces rebuilt against the shared set.
import type { Model } from "../../spec/model.ts";
import type { CheckOptions } from "../options.ts";
import type { Stats } from "../result.ts";
import { SearchContext } from "../search-context.ts";
import { SharedFingerprintSet } from "./shared-fingerprint-set.ts";

export class MainContext<S> extends SearchContext<S> {
  readonly table = new SharedFingerprintSet(1 << 16);
  /** The distinct count to report, when it is not the size of the seen-set. */
  distinct: number | null = null;

  constructor(model: Model<S>, options: CheckOptions) {
    super(model, options);
  }

  override stats(): Stats {
    return this.statsWith(this.distinct ?? this.table.size, this.table.bytes);
  }

  protected override hasSeen(hi: number, lo: number): boolean {
    return this.table.has(hi, lo);
  }
}
