package dev.parley.hub.client;

import java.time.Duration;
import java.util.function.LongUnaryOperator;

/**
 * Exponential backoff with full jitter: before attempt {@code n} (0 for the first retry) wait a
 * uniformly random time in [0, min(max, min × 2^n)]. Full jitter spreads the clients of a restarted
 * server evenly instead of in waves.
 */
final class Backoff {
    private final long minMillis;
    private final long maxMillis;
    /** Given a bound, a random value in [0, bound]. */
    private final LongUnaryOperator random;

    Backoff(Duration min, Duration max, LongUnaryOperator random) {
        this.minMillis = Math.max(1, min.toMillis());
        this.maxMillis = Math.max(minMillis, max.toMillis());
        this.random = random;
    }

    /** The ceiling of the wait before attempt {@code n}. */
    long ceiling(int attempt) {
        int shift = Math.min(attempt, 40);
        long c = minMillis << shift;
        return c <= 0 || c > maxMillis ? maxMillis : c;
    }

    long delay(int attempt) {
        return random.applyAsLong(ceiling(attempt));
    }
}
