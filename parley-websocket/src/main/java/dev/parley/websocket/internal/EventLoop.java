package dev.parley.websocket.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedSelectorException;
import java.nio.channels.SelectableChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One thread, one {@link Poller} (a {@code java.nio} selector, or a native poller from a
 * {@link NativeIo}): it owns the channels registered with it for their whole life, so their state
 * needs no lock. Other threads hand it work with {@link #execute}.
 *
 * <p>Each turn of the loop: wait for readiness (or a task, or the next timer tick), handle every
 * ready channel, run queued tasks, expire timers, then flush every channel that has output. That
 * last step is what gathers writes: whatever a batch of reads made handlers send leaves in one
 * write per channel.
 *
 * <p>Sleeping costs a loop under load more than the wait itself: the thread that wakes it pays for
 * the wake-up, and the loop for the switch back in, for every few sockets. So a loop whose recent
 * sleeps were short (under {@value #SHORT_SLEEP_NANOS} ns on average: work keeps coming almost at
 * once) first gives way with {@link Thread#yield} and looks again without waiting, up to {@link
 * #IDLE_YIELDS} times, and sleeps only if that finds nothing. A thread that yields with no other
 * thread ready to run on its core goes on at once, so on an idle core this is a few microseconds
 * of polling; where threads share cores (a client or another loop on the same machine) it lets
 * them produce the loop's next work on its core instead of waking the loop later. An idle loop, or
 * one under light or moderate load, sleeps as before: a single short sleep among long ones does
 * not count. BENCHMARKS.md, "Event loops: a loop under load yields before it sleeps".
 *
 * <p>The loop also owns the scratch memory its channels share: one read buffer, so that an idle
 * connection holds none of its own.
 */
public final class EventLoop implements Executor {
    private static final System.Logger LOG = System.getLogger(EventLoop.class.getName());

    /** What a channel registered with the loop implements. Called on the loop's thread only. */
    public interface Handler {
        /** The channel is ready for the operations in {@code readyOps}. */
        void ready(int readyOps);
    }

    /** A channel with output waiting for the end of the loop's turn. */
    public interface Flushable {
        void flush();
    }

    /**
     * Size of the shared read buffer: large enough for a burst (16 echoes of 4 KiB in one read),
     * one per loop. 64 KiB cost a second read and a second write per burst (BENCHMARKS.md).
     */
    public static final int READ_BUFFER_SIZE = 128 * 1024;

    /**
     * Size of the shared write buffer, into which a plain socket's queued frames are copied for one
     * write call instead of a gathering write of many small heap buffers.
     */
    public static final int WRITE_BUFFER_SIZE = 256 * 1024;

    /** The system property that sets {@link #IDLE_YIELDS}. */
    public static final String IDLE_YIELDS_PROPERTY = "parley.loop.idleYields";

    /**
     * How many times a loop under load gives way ({@link Thread#yield}) and looks again before it
     * sleeps: system property {@value #IDLE_YIELDS_PROPERTY}, default 8; 0 turns it off.
     */
    public static final int IDLE_YIELDS = Math.max(0, Integer.getInteger(IDLE_YIELDS_PROPERTY, 8));

    /**
     * Recent sleeps this short on average (50 µs) say the loop is under load: work keeps coming
     * almost at once.
     */
    static final long SHORT_SLEEP_NANOS = 50_000;

    /** The most one sleep counts in the average (1 ms), so that load after a quiet spell shows soon. */
    static final long SLEEP_SAMPLE_CAP_NANOS = 1_000_000;

    private final Poller poller;
    private final Thread thread;
    private final ConcurrentLinkedQueue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ArrayDeque<Flushable> dirty = new ArrayDeque<>();
    private final TimerWheel timers;
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BUFFER_SIZE);
    private final ByteBuffer writeBuffer = ByteBuffer.allocateDirect(WRITE_BUFFER_SIZE);
    private final CountDownLatch terminated = new CountDownLatch(1);
    private volatile boolean running = true;
    /**
     * A moving average of the loop's recent sleeps (each counted up to {@link #SLEEP_SAMPLE_CAP_NANOS};
     * a look after yielding that found work counts as no sleep), loop thread only.
     */
    private long sleepAverageNanos = SLEEP_SAMPLE_CAP_NANOS;
    /** Yield passes that found work, and turns of the loop, for tests; written on the loop only. */
    private long yieldsPaid;

    private long turns;

    /** Creates and starts a loop on a {@code java.nio} selector, on a new platform thread. */
    public EventLoop(String name) {
        this(name, null);
    }

    /**
     * Creates and starts a loop on a new platform thread; its sockets are {@code io}'s, or
     * {@code java.nio}'s if {@code io} is null.
     *
     * @throws UncheckedIOException if the poller cannot be opened
     */
    public EventLoop(String name, NativeIo io) {
        try {
            this.poller = io == null ? new NioPoller(this) : io.poller(this);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a poller", e);
        }
        this.timers = new TimerWheel(TimeUnit.MILLISECONDS.toNanos(50), 1024, System.nanoTime());
        this.thread = new Thread(this::run, name);
        thread.setDaemon(false);
        thread.start();
    }

    /** Whether the caller is this loop's thread. */
    public boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on the loop's thread, later, in submission order. */
    @Override
    public void execute(Runnable task) {
        tasks.add(task);
        if (!inLoop() && wakeupPending.compareAndSet(false, true)) {
            poller.wakeup();
        }
    }

    /**
     * Registers a {@code java.nio} channel (on the loop's thread).
     *
     * @throws IllegalStateException if this loop polls natively
     */
    public SelectionKey register(SelectableChannel channel, int ops, Handler handler) throws IOException {
        assert inLoop();
        if (!(poller instanceof NioPoller nio)) {
            throw new IllegalStateException("a native loop takes only its own sockets");
        }
        return nio.register(channel, ops, handler);
    }

    /** The loop's poller: a native transport registers its sockets with it. */
    public Poller poller() {
        return poller;
    }

    /** The loop's timers; use on the loop's thread only. */
    public TimerWheel timers() {
        return timers;
    }

    /** The shared read buffer, cleared; valid until the caller returns to the loop. */
    public ByteBuffer readBuffer() {
        return readBuffer.clear();
    }

    /**
     * The shared write buffer, for {@link OutboundQueue#writeTo(Transport, ByteBuffer)}; valid until
     * the caller returns to the loop. Loop thread only.
     */
    ByteBuffer writeBuffer() {
        return writeBuffer;
    }

    /** Asks for {@code channel.flush()} at the end of this turn (on the loop's thread). */
    public void flushLater(Flushable channel) {
        dirty.add(channel);
    }

    /** Stops the loop after its current turn; channels still registered are closed. */
    public void shutdown() {
        running = false;
        poller.wakeup();
    }

    /** Waits for the loop's thread to end. */
    public boolean awaitTermination(long timeout, TimeUnit unit) throws InterruptedException {
        return terminated.await(timeout, unit);
    }

    private void run() {
        try {
            while (running) {
                turns++;
                long wait = timers.millisUntilNextTick(System.nanoTime());
                if (wait == 0 || !tasks.isEmpty() || !dirty.isEmpty()) {
                    poller.poll(0);
                } else if (sleepAverageNanos >= SHORT_SLEEP_NANOS || !pollAfterYielding()) {
                    long before = System.nanoTime();
                    poller.poll(wait);
                    long slept = Math.min(System.nanoTime() - before, SLEEP_SAMPLE_CAP_NANOS);
                    sleepAverageNanos += (slept - sleepAverageNanos) >> 3;
                }
                // Tasks submitted while channels were handled are in the queue already, and run
                // below whether or not their submitter saw the flag still set.
                wakeupPending.set(false);
                runTasks();
                timers.advance(System.nanoTime());
                flushDirty();
            }
        } catch (ClosedSelectorException | IOException e) {
            LOG.log(Level.ERROR, "event loop " + thread.getName() + " stopped", e);
        } finally {
            poller.close();
            terminated.countDown();
        }
    }

    /**
     * Logs a handler's failure; the poller that called the handler then closes its socket. A bug
     * in one connection's handling must not stop the others. Called by pollers, on the loop's
     * thread (which call {@link Handler#ready} themselves, to keep the hot path's call chain
     * short enough for the JIT to inline).
     */
    public void handlerFailed(RuntimeException e) {
        LOG.log(Level.ERROR, "unexpected error handling a channel; closing it", e);
    }

    /**
     * Before a loop under load sleeps: lets other threads run, and looks for ready sockets and tasks
     * without waiting, up to {@link #IDLE_YIELDS} times. Returns whether it found work.
     */
    private boolean pollAfterYielding() throws IOException {
        for (int i = 0; i < IDLE_YIELDS; i++) {
            Thread.yield();
            // The poll may have consumed a wake-up, which only execute() and shutdown() send: then
            // the turn goes on, so that run() clears the flag and runs the tasks (else a task added
            // later would not wake the sleep that follows), or sees the loop stopped.
            if (poller.poll(0) > 0 || wakeupPending.get() || !tasks.isEmpty() || !running) {
                sleepAverageNanos -= sleepAverageNanos >> 3;
                yieldsPaid++;
                return true;
            }
        }
        return false;
    }

    /** How many times a yield before sleeping found work (for tests; read it on the loop). */
    long yieldsPaid() {
        return yieldsPaid;
    }

    /** How many turns the loop has begun (for tests; read it on the loop). */
    long turns() {
        return turns;
    }

    private void runTasks() {
        // Only the tasks present now: a task that submits another does not starve the selector.
        for (int n = tasks.size(); n > 0; n--) {
            Runnable task = tasks.poll();
            if (task == null) {
                break;
            }
            try {
                task.run();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "task failed on event loop " + thread.getName(), e);
            }
        }
    }

    private void flushDirty() {
        for (Flushable f; (f = dirty.poll()) != null; ) {
            try {
                f.flush();
            } catch (RuntimeException e) {
                LOG.log(Level.ERROR, "unexpected error flushing a channel", e);
            }
        }
    }
}
