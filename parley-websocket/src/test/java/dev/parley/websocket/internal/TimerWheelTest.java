package dev.parley.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The timing wheel on a fake clock: 1 ms ticks, 8 slots, times in milliseconds turned to nanos. */
class TimerWheelTest {
    private static final long MS = 1_000_000L;

    private final List<String> fired = new ArrayList<>();
    private final TimerWheel wheel = new TimerWheel(MS, 8, 0);

    private final class Named extends TimerWheel.Timer {
        final String name;
        Runnable onExpiry = () -> {};

        Named(String name) {
            this.name = name;
        }

        @Override
        protected void expired(long nowNanos) {
            fired.add(name + "@" + nowNanos / MS);
            onExpiry.run();
        }
    }

    @Test
    void timersExpireOnceTheirDeadlinePassesAndNotBefore() {
        Named a = new Named("a");
        Named b = new Named("b");
        wheel.schedule(a, 3 * MS);
        wheel.schedule(b, 5 * MS);
        assertThat(wheel.size()).isEqualTo(2);
        assertThat(wheel.millisUntilNextTick(0)).isEqualTo(1);
        wheel.advance(2 * MS);
        assertThat(fired).isEmpty();
        wheel.advance(3 * MS);
        assertThat(fired).containsExactly("a@3");
        assertThat(a.isScheduled()).isFalse();
        wheel.advance(5 * MS);
        assertThat(fired).containsExactly("a@3", "b@5");
        assertThat(wheel.size()).isZero();
        assertThat(wheel.millisUntilNextTick(5 * MS)).isEqualTo(-1);
    }

    @Test
    void cancelledTimerNeverFires() {
        Named a = new Named("a");
        wheel.schedule(a, 2 * MS);
        wheel.cancel(a);
        wheel.cancel(a); // twice is harmless
        wheel.advance(10 * MS);
        assertThat(fired).isEmpty();
        assertThat(wheel.size()).isZero();
    }

    @Test
    void scheduleMovesAnAlreadyScheduledTimer() {
        Named a = new Named("a");
        wheel.schedule(a, 2 * MS);
        wheel.schedule(a, 4 * MS);
        assertThat(wheel.size()).isEqualTo(1);
        wheel.advance(3 * MS);
        assertThat(fired).isEmpty();
        wheel.advance(4 * MS);
        assertThat(fired).containsExactly("a@4");
    }

    @Test
    void timerMayRescheduleItselfAndCancelOthersInsideExpiry() {
        Named a = new Named("a");
        Named b = new Named("b");
        Named c = new Named("c");
        // a and b are due in the same advance; whichever fires first cancels the other.
        a.onExpiry = () -> {
            wheel.cancel(b);
            if (fired.size() == 1) {
                wheel.schedule(a, 6 * MS);
            }
            wheel.schedule(c, 6 * MS);
        };
        b.onExpiry = () -> wheel.cancel(a);
        wheel.schedule(a, 2 * MS);
        wheel.schedule(b, 2 * MS);
        wheel.advance(2 * MS);
        assertThat(fired).hasSize(1);
        Named winner = fired.get(0).startsWith("a") ? a : b;
        Named loser = winner == a ? b : a;
        assertThat(loser.isScheduled()).isFalse();
        wheel.schedule(a, 4 * MS); // rescheduling a timer that was cancelled while due
        b.onExpiry = () -> {};
        wheel.advance(4 * MS);
        wheel.advance(6 * MS);
        assertThat(fired).hasSize(3).endsWith("a@4", "c@6");
        assertThat(wheel.size()).isZero();
    }

    @Test
    void manyTimersInOneSlotAllFireAndFarOnesWaitForTheirTurn() {
        List<Named> timers = new ArrayList<>();
        for (int i = 0; i < 200; i++) {
            Named t = new Named("t" + i);
            timers.add(t);
            // 8 slots: deadlines 3, 11, 19 ms share slot 3; the far ones must wait for their round.
            wheel.schedule(t, (3 + 8L * (i % 3)) * MS);
        }
        wheel.advance(3 * MS);
        assertThat(fired).hasSize(67);
        wheel.advance(10 * MS);
        assertThat(fired).hasSize(67);
        wheel.advance(11 * MS);
        assertThat(fired).hasSize(134);
        wheel.advance(19 * MS);
        assertThat(fired).hasSize(200);
        assertThat(wheel.size()).isZero();
        assertThat(timers).noneMatch(TimerWheel.Timer::isScheduled);
    }

    @Test
    void longStallFiresEveryOverdueTimerOnce() {
        for (int i = 1; i <= 20; i++) {
            wheel.schedule(new Named("t" + i), i * MS);
        }
        Named later = new Named("later");
        wheel.schedule(later, 1_000 * MS);
        wheel.advance(500 * MS); // many turns of an 8-slot wheel in one step
        assertThat(fired).hasSize(20).allMatch(s -> s.endsWith("@500"));
        assertThat(later.isScheduled()).isTrue();
        wheel.advance(999 * MS);
        assertThat(fired).hasSize(20);
        wheel.advance(1_000 * MS);
        assertThat(fired).hasSize(21).endsWith("later@1000");
    }

    @Test
    void deadlineInThePastFiresOnTheNextAdvance() {
        wheel.advance(100 * MS);
        Named a = new Named("a");
        wheel.schedule(a, 50 * MS);
        assertThat(wheel.millisUntilNextTick(100 * MS)).isEqualTo(1);
        wheel.advance(100 * MS);
        assertThat(fired).containsExactly("a@100");
    }
}
