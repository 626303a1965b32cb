// Exponential backoff with full jitter: before retry n (from 0), wait a uniformly random time in
// [0, min(max, min * 2^n)]. Full jitter spreads the clients of a restarted server evenly.

export class Backoff {
  /**
   * @param {number} minMs the first ceiling
   * @param {number} maxMs the largest ceiling
   * @param {() => number} random a source in [0, 1)
   */
  constructor(minMs, maxMs, random = Math.random) {
    if (!(minMs >= 0 && maxMs >= minMs)) throw new RangeError("backoff needs 0 <= min <= max");
    this.minMs = Math.max(1, minMs);
    this.maxMs = Math.max(this.minMs, maxMs);
    this.random = random;
  }

  /** The ceiling before retry n. */
  ceiling(attempt) {
    return Math.min(this.maxMs, this.minMs * 2 ** Math.min(attempt, 40));
  }

  /** A delay in ms for retry n. */
  delay(attempt) {
    return Math.floor(this.random() * (this.ceiling(attempt) + 1));
  }
}
