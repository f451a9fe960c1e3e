// A circuit breaker for calls to an outside service: after `threshold` failures in a row it opens
// and fails fast for `cooldownMs`, then lets one trial call through (half-open) before closing.

export class CircuitOpenError extends Error {
  constructor(readonly name_: string) {
    super(`${name_} circuit is open`);
    this.name = "CircuitOpenError";
  }
}

export type BreakerState = "closed" | "open" | "half-open";

export interface BreakerOptions {
  name: string;
  threshold: number;
  cooldownMs: number;
  now?: () => number;
  /** Which errors count against the service (a 404 or a bad argument does not). */
  isFailure?: (err: unknown) => boolean;
}

export class CircuitBreaker {
  private failures = 0;
  private openedAt = 0;
  private trialInFlight = false;
  private current: BreakerState = "closed";

  constructor(private readonly opts: BreakerOptions) {}

  get state(): BreakerState {
    if (this.current === "open" && this.now() - this.openedAt >= this.opts.cooldownMs) return "half-open";
    return this.current;
  }

  private now(): number {
    return (this.opts.now ?? Date.now)();
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    const state = this.state;
    if (state === "open") throw new CircuitOpenError(this.opts.name);
    if (state === "half-open") {
      // One trial at a time; everyone else keeps failing fast until it answers.
      if (this.trialInFlight) throw new CircuitOpenError(this.opts.name);
      this.trialInFlight = true;
    }
    try {
      const value = await fn();
      this.failures = 0;
      this.current = "closed";
      return value;
    } catch (err) {
      if (this.opts.isFailure?.(err) ?? true) {
        this.failures++;
        if (state === "half-open" || this.failures >= this.opts.threshold) {
          this.current = "open";
          this.openedAt = this.now();
        }
      } else if (state === "half-open") {
        this.current = "closed";
        this.failures = 0;
      }
      throw err;
    } finally {
      if (state === "half-open") this.trialInFlight = false;
    }
  }
}
