package dev.parley.websocket.internal;

/**
 * A hashed timing wheel owned by one event loop: thousands of connection deadlines without a
 * thread, a scheduled task or an allocation per timer. Each {@link Timer} is an intrusive list
 * node, so scheduling and cancelling are O(1) pointer moves; a tick visits one slot.
 *
 * <p>Precision is one tick (default 50 ms): right for handshake, idle, keepalive and close
 * timeouts, which are seconds long. A deadline further away than one turn of the wheel stays in
 * its slot and is skipped until its turn comes.
 *
 * <p>Not thread-safe: used only by its loop's thread.
 */
public final class TimerWheel {
    /** A deadline. Subclass and implement {@link #expired(long)}. */
    public abstract static class Timer {
        long deadline;
        Timer next;
        Timer prev;
        int slot = -1;

        /** Called on the loop's thread once the deadline has passed. May reschedule itself. */
        protected abstract void expired(long nowNanos);

        /** Whether the timer is waiting to expire. */
        public final boolean isScheduled() {
            return slot >= 0;
        }
    }

    private static final int FIRING = -2;

    private final long tickNanos;
    private Timer[] due = new Timer[64];
    private final Timer[] slots;
    private final int mask;
    private long currentTick;
    private int scheduled;

    /**
     * @param tickNanos the precision
     * @param slotCount the number of slots, a power of two
     * @param nowNanos the current time, from {@link System#nanoTime()}
     */
    public TimerWheel(long tickNanos, int slotCount, long nowNanos) {
        if (Integer.bitCount(slotCount) != 1) {
            throw new IllegalArgumentException("slotCount must be a power of two: " + slotCount);
        }
        this.tickNanos = tickNanos;
        this.slots = new Timer[slotCount];
        this.mask = slotCount - 1;
        this.currentTick = nowNanos / tickNanos;
    }

    /** Schedules (or moves) {@code timer} to expire at {@code deadlineNanos}. */
    public void schedule(Timer timer, long deadlineNanos) {
        cancel(timer);
        timer.deadline = deadlineNanos;
        long tick = Math.max(deadlineNanos / tickNanos, currentTick);
        int slot = (int) (tick & mask);
        timer.slot = slot;
        timer.prev = null;
        timer.next = slots[slot];
        if (timer.next != null) {
            timer.next.prev = timer;
        }
        slots[slot] = timer;
        scheduled++;
    }

    /** Removes {@code timer} if scheduled. */
    public void cancel(Timer timer) {
        if (timer.slot == FIRING) {
            timer.slot = -1; // collected for expiry in this advance, but no longer wanted
            return;
        }
        if (timer.slot < 0) {
            return;
        }
        if (timer.prev != null) {
            timer.prev.next = timer.next;
        } else {
            slots[timer.slot] = timer.next;
        }
        if (timer.next != null) {
            timer.next.prev = timer.prev;
        }
        timer.next = null;
        timer.prev = null;
        timer.slot = -1;
        scheduled--;
    }

    /** How many timers are scheduled. */
    public int size() {
        return scheduled;
    }

    /**
     * How long the loop may sleep before the next tick that has work, in milliseconds; 0 when a
     * tick is already due, -1 when no timer is scheduled (sleep until woken).
     */
    public long millisUntilNextTick(long nowNanos) {
        if (scheduled == 0) {
            return -1;
        }
        long nextTickAt = (currentTick + 1) * tickNanos;
        long waitNanos = nextTickAt - nowNanos;
        return waitNanos <= 0 ? 0 : Math.max(1, waitNanos / 1_000_000);
    }

    /** Expires every timer whose deadline has passed, visiting each slot passed since last call. */
    public void advance(long nowNanos) {
        long targetTick = nowNanos / tickNanos;
        // After a long stall, one full turn visits every slot; more would only repeat them.
        long from = Math.max(currentTick, targetTick - mask);
        // Collect first, fire after: a timer's expiry may cancel or reschedule any other timer.
        int count = 0;
        for (long tick = from; tick <= targetTick; tick++) {
            int slot = (int) (tick & mask);
            for (Timer timer = slots[slot]; timer != null; ) {
                Timer next = timer.next;
                if (timer.deadline <= nowNanos) {
                    cancel(timer);
                    timer.slot = FIRING;
                    if (count == due.length) {
                        due = java.util.Arrays.copyOf(due, count * 2);
                    }
                    due[count++] = timer;
                }
                timer = next;
            }
        }
        currentTick = targetTick;
        for (int i = 0; i < count; i++) {
            Timer timer = due[i];
            due[i] = null;
            if (timer.slot == FIRING) {
                timer.slot = -1;
                timer.expired(nowNanos);
            }
        }
    }
}
