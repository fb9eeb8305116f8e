// Up-front checks, so that a bad op is reported with its id instead of surfacing as a
// confusing verdict (or an exception from deep inside a model) halfway through a search.
import { HistoryError, type History } from "./history.ts";
import type { Model } from "./models.ts";

export function checkInputs<St>(history: History, model: Model<St>): void {
  history.forEach((op, i) => {
    const bad = (why: string): never => {
      throw new HistoryError(`op ${op.id}: ${why}`, i);
    };
    if (!Number.isFinite(op.call)) bad("call must be a finite number");
    if (!(op.ret >= op.call)) bad(`ret ${op.ret} is before call ${op.call}`);
    if ((op.status === "info") !== (op.ret === Infinity)) {
      bad("an op has ret = Infinity exactly when its status is info");
    }
    const why = model.validate?.(op);
    if (why !== undefined) bad(why);
  });
}
