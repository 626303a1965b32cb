package dev.parley.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The loop's own behaviour: tasks, and how it waits when work stops or keeps coming. */
class EventLoopTest {
    private final EventLoop loop = new EventLoop("event-loop-test");

    @AfterEach
    void stop() throws InterruptedException {
        loop.shutdown();
        assertThat(loop.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
    }

    @Test
    void tasksFromAnotherThreadRunOnTheLoopInOrderAndEachBurstWakesIt() throws Exception {
        // Bursts with pauses between them: the loop runs dry, looks again after yielding, then
        // sleeps; every burst must wake it (a wake-up taken by a look must not be lost).
        List<Integer> seen = new ArrayList<>();
        for (int round = 0; round < 300; round++) {
            for (int i = 0; i < 100; i++) {
                int n = round * 100 + i;
                loop.execute(() -> seen.add(n));
            }
            CompletableFuture<Boolean> onLoop = new CompletableFuture<>();
            loop.execute(() -> onLoop.complete(loop.inLoop()));
            assertThat(onLoop.get(5, TimeUnit.SECONDS))
                    .as("round %d ran on the loop", round)
                    .isTrue();
        }
        assertThat(seen).hasSize(30_000).isSorted();
    }

    @Test
    void aLoopKeptBusyYieldsBeforeSleepingAndAnIdleOneSleeps() throws Exception {
        assertThat(EventLoop.IDLE_YIELDS).as("default").isEqualTo(8);
        // Work that keeps coming: tasks as fast as this thread can add them, so the loop's sleeps
        // are short, and a look after yielding soon finds the next task. Checked every 1,000.
        Runnable nothing = () -> {};
        for (int i = 0; i < 2_000 && onLoop(loop::yieldsPaid) == 0; i++) {
            for (int j = 0; j < 1_000; j++) {
                loop.execute(nothing);
            }
        }
        assertThat(onLoop(loop::yieldsPaid)).as("yield passes that found work").isPositive();

        // Then nothing: the loop must go to sleep, not keep turning. Over 300 ms with no work it
        // ends the turn that read the count and begins the one that reads it again: 2 turns.
        long before = onLoop(loop::turns);
        new CountDownLatch(1).await(300, TimeUnit.MILLISECONDS); // the idle time is what is measured
        assertThat(onLoop(loop::turns) - before).as("turns in 300 ms idle").isLessThanOrEqualTo(2);
    }

    @Test
    void shutdownStopsALoopWhileItYieldsBeforeSleeping() throws Exception {
        // shutdown() wakes the loop; a look after yielding may take that wake-up, and the loop must
        // then see the flag rather than go to sleep for good. Many times, to meet that moment.
        for (int round = 0; round < 200; round++) {
            EventLoop other = new EventLoop("event-loop-test-" + round);
            for (int i = 0; i < 50; i++) {
                CountDownLatch ran = new CountDownLatch(1);
                other.execute(ran::countDown);
                assertThat(ran.await(5, TimeUnit.SECONDS)).isTrue();
            }
            other.shutdown();
            assertThat(other.awaitTermination(5, TimeUnit.SECONDS))
                    .as("round %d ended", round)
                    .isTrue();
        }
    }

    private long onLoop(java.util.function.LongSupplier read) throws Exception {
        CompletableFuture<Long> value = new CompletableFuture<>();
        loop.execute(() -> value.complete(read.getAsLong()));
        return value.get(5, TimeUnit.SECONDS);
    }
}
