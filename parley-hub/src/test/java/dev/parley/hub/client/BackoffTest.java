package dev.parley.hub.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.Test;

/** Exponential backoff with full jitter, capped. */
class BackoffTest {
    @Test
    void ceilingsDoubleFromTheMinimumUpToTheMaximum() {
        Backoff b = new Backoff(Duration.ofMillis(250), Duration.ofSeconds(20), bound -> bound);
        List<Long> ceilings = new ArrayList<>();
        for (int i = 0; i < 10; i++) {
            ceilings.add(b.ceiling(i));
        }
        assertThat(ceilings).containsExactly(250L, 500L, 1000L, 2000L, 4000L, 8000L, 16000L, 20000L, 20000L, 20000L);
        assertThat(b.ceiling(1000)).isEqualTo(20000L); // no overflow after many attempts
    }

    @Test
    void theDelayIsTheJitterUnderTheCeiling() {
        List<Long> bounds = new ArrayList<>();
        Backoff b = new Backoff(Duration.ofMillis(100), Duration.ofSeconds(1), bound -> {
            bounds.add(bound);
            return bound / 3;
        });
        assertThat(b.delay(0)).isEqualTo(33);
        assertThat(b.delay(3)).isEqualTo(266);
        assertThat(b.delay(9)).isEqualTo(333);
        assertThat(bounds).containsExactly(100L, 800L, 1000L);
    }

    @Test
    void withTheDefaultRandomDelaysSpreadOverTheWholeRange() {
        Backoff b = new Backoff(
                Duration.ofMillis(1000),
                Duration.ofMillis(1000),
                bound -> ThreadLocalRandom.current().nextLong(bound + 1));
        long min = Long.MAX_VALUE;
        long max = 0;
        for (int i = 0; i < 2000; i++) {
            long d = b.delay(5);
            assertThat(d).isBetween(0L, 1000L);
            min = Math.min(min, d);
            max = Math.max(max, d);
        }
        assertThat(min).isLessThan(100); // full jitter: near zero happens
        assertThat(max).isGreaterThan(900); // and near the ceiling
    }
}
