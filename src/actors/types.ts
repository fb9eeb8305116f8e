// The types an author declares once for a message-passing system, and the helper types that
// extract the parts of it the layer needs.

/** A process identity, such as "s1" or "c2": the role's prefix and a 1-based number. */
export type ProcessId = string;

/**
 * What a system is made of, declared once as the type argument of `defineSystem<T>()`:
 * `msg` is the message type (usually a union of `messageType` records), `roles` maps each role
 * name to the state type of its processes, and `timer` (optional) names the timers.
 */
export interface SystemTypes {
  readonly msg: unknown;
  readonly roles: { readonly [role: string]: unknown };
  readonly timer?: string;
}

/** The role names of a system. */
export type RoleName<T extends SystemTypes> = keyof T["roles"] & string;

/** The timer names of a system (any string unless `timer` is declared). */
export type TimerName<T extends SystemTypes> = T extends { readonly timer: infer X extends string }
  ? X
  : string;
