/**
 * Two-phase commit, as Lamport's TwoPhase module in the TLA+ examples.
 *
 * Resource managers (RMs) each decide to prepare or to abort; the transaction manager (TM)
 * commits once every RM has told it that it is prepared, or aborts at any time before. Messages
 * are a set that only grows and is never lost (TwoPhase models no failures): a message, once
 * sent, can be received any number of times. TLC's state counts for this model are
 * 4^N + 2^N + 6^N: 288 for 3 RMs, 8,832 for 5, 50,816 for 6.
 *
 * Variants (named exports) that violate `Consistent`:
 * - `commitEarly`: the TM commits without waiting until every RM is prepared.
 * - `abortAfterPrepare`: an RM may abort on its own after it voted to prepare.
 */
import { Set, type RecordOf } from "immutable";
import { defineSpec, forEach, param, range, valueRecord } from "protomc";

export type RMState = "working" | "prepared" | "committed" | "aborted";
export type TMState = "init" | "committed" | "aborted";

export type Message = RecordOf<{ type: "Prepared" | "Commit" | "Abort"; rm: number | null }>;
const Message = valueRecord<{ type: "Prepared" | "Commit" | "Abort"; rm: number | null }>(
  { type: "Commit", rm: null },
  "Message",
);
const COMMIT = Message({ type: "Commit" });
const ABORT = Message({ type: "Abort" });
// One instance per message, so that set lookups compare by identity before by value.
const PREPARED = range(16).map((rm) => Message({ type: "Prepared", rm }));
const prepared = (rm: number): Message => PREPARED[rm] ?? Message({ type: "Prepared", rm });

export interface State {
  /** The state of each RM, indexed by RM id. */
  readonly rmState: readonly RMState[];
  readonly tmState: TMState;
  /** The RMs from which the TM has received Prepared. */
  readonly tmPrepared: Set<number>;
  readonly msgs: Set<Message>;
}

// Type correctness is checked on every distinct state, so its sets of values are built once here
// rather than on every call.
const RM_STATES: ReadonlySet<string> = new globalThis.Set([
  "working",
  "prepared",
  "committed",
  "aborted",
]);
const TM_STATES: ReadonlySet<string> = new globalThis.Set(["init", "committed", "aborted"]);
const isRMState = (r: string): boolean => RM_STATES.has(r);
const NO_RMS: readonly number[] = [];

// Every state is built here, with all its fields at once: states then share one shape (hidden
// class) in the JavaScript engine, which keeps property reads and copies fast. (Spreading
// `{ ...s, field }` is just as correct, but reshapes the first states it builds.)
function state(
  rmState: readonly RMState[],
  tmState: TMState,
  tmPrepared: Set<number>,
  msgs: Set<Message>,
): State {
  return { rmState, tmState, tmPrepared, msgs };
}

// Returns the state itself when nothing changes: the engine recognises such a stuttering
// step without fingerprinting it again.
function setRM(s: State, rm: number, to: RMState, msgs = s.msgs): State {
  if (s.rmState[rm] === to && msgs === s.msgs) return s;
  const rmState = s.rmState.slice();
  rmState[rm] = to;
  return state(rmState, s.tmState, s.tmPrepared, msgs);
}

const twoPhaseCommit = defineSpec<State>()({
  name: "two-phase-commit",
  params: { rms: param.int({ default: 3, min: 1, max: 16, description: "resource managers" }) },
  init: ({ rms }) =>
    state(
      range(rms).map(() => "working"),
      "init",
      Set<number>(),
      Set<Message>(),
    ),
  actions: ({ rms }) => {
    const RMs = range(rms);
    // A condition that does not depend on the RM goes in the domain: it is then evaluated once
    // per state, not once per RM (set membership in an immutable Set is a search), and the RM
    // instances it disables are not run at all. The actions and their order stay the same.
    const whenCommitSent = (s: State) => (s.msgs.has(COMMIT) ? RMs : NO_RMS);
    const whenAbortSent = (s: State) => (s.msgs.has(ABORT) ? RMs : NO_RMS);
    return {
      TMRcvPrepared: forEach(RMs, (s, rm) =>
        s.tmState === "init" && s.msgs.has(prepared(rm))
          ? s.tmPrepared.has(rm)
            ? s
            : state(s.rmState, s.tmState, s.tmPrepared.add(rm), s.msgs)
          : null,
      ),
      TMCommit: (s) =>
        s.tmState === "init" && s.tmPrepared.size === rms
          ? state(s.rmState, "committed", s.tmPrepared, s.msgs.add(COMMIT))
          : null,
      TMAbort: (s) =>
        s.tmState === "init" ? state(s.rmState, "aborted", s.tmPrepared, s.msgs.add(ABORT)) : null,
      RMPrepare: forEach(RMs, (s, rm) =>
        s.rmState[rm] === "working" ? setRM(s, rm, "prepared", s.msgs.add(prepared(rm))) : null,
      ),
      RMChooseToAbort: forEach(RMs, (s, rm) =>
        s.rmState[rm] === "working" ? setRM(s, rm, "aborted") : null,
      ),
      RMRcvCommitMsg: forEach(whenCommitSent, (s, rm) => setRM(s, rm, "committed")),
      RMRcvAbortMsg: forEach(whenAbortSent, (s, rm) => setRM(s, rm, "aborted")),
    };
  },
  invariants: {
    TypeOK: (s, { rms }) =>
      s.rmState.length === rms &&
      s.rmState.every(isRMState) &&
      TM_STATES.has(s.tmState) &&
      s.tmPrepared.every((rm) => Number.isInteger(rm) && rm >= 0 && rm < rms),
    Consistent: (s) => !(s.rmState.includes("committed") && s.rmState.includes("aborted")),
  },
  // RMs are interchangeable: with --symmetry, states that differ only by a renaming of RMs
  // are one state (TLC's SYMMETRY Permutations(RM)). Everything about one RM is its state, and
  // whether the TM and the network hold its Prepared, so RMs are sorted by that.
  symmetry: {
    ids: ({ rms }) => range(rms),
    permute: (s, rename) => {
      const rmState = s.rmState.slice();
      s.rmState.forEach((r, rm) => (rmState[rename(rm)] = r));
      return state(
        rmState,
        s.tmState,
        s.tmPrepared.map(rename),
        s.msgs.map((m) => (m.rm === null ? m : prepared(rename(m.rm)))),
      );
    },
    signature: (s, rm) => [s.rmState[rm], s.tmPrepared.has(rm), s.msgs.has(prepared(rm))],
  },
  // Every RM has decided and so has the TM: the protocol is over.
  terminal: (s) =>
    s.tmState !== "init" && s.rmState.every((r) => r === "committed" || r === "aborted"),
});

export default twoPhaseCommit;

/** Bug: the TM commits as soon as one RM is prepared, without waiting for the others. */
export const commitEarly = twoPhaseCommit.variant({
  actions: {
    TMCommit: (s) =>
      s.tmState === "init" && s.tmPrepared.size > 0
        ? state(s.rmState, "committed", s.tmPrepared, s.msgs.add(COMMIT))
        : null,
  },
});

/** Bug: an RM that voted to prepare may still abort on its own. */
export const abortAfterPrepare = twoPhaseCommit.variant({
  actions: ({ rms }) => ({
    RMChooseToAbort: forEach(range(rms), (s, rm) =>
      s.rmState[rm] === "working" || s.rmState[rm] === "prepared" ? setRM(s, rm, "aborted") : null,
    ),
  }),
});
