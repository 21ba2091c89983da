/**
 * The time, as the platform sees it. Everything with a deadline (SLA clocks, offers, retention)
 * asks the app's clock instead of `new Date()`, so tests can move time instead of sleeping.
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that only moves when told to (tests). */
export class ManualClock implements Clock {
  #ms: number;
  constructor(start: Date | string) {
    this.#ms = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.#ms);
  }
  set(to: Date | string): void {
    this.#ms = new Date(to).getTime();
  }
  advance(ms: number): Date {
    this.#ms += ms;
    return this.now();
  }
}
