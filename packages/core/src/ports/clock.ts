/** The time source. Injected so tests, the sandbox and budgets agree on "now". */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };
