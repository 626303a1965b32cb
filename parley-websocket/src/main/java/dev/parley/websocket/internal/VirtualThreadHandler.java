package dev.parley.websocket.internal;

import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.util.ArrayDeque;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * Runs a handler's calls on virtual threads (Java 21+) so that it may block, keeping each
 * session's calls in order and one at a time: each session has a small queue drained by one
 * virtual thread at a time. The project compiles for Java 17, so the virtual-thread executor is
 * looked up reflectively.
 */
final class VirtualThreadHandler implements WebSocketHandler {
    private static final System.Logger LOG = System.getLogger(VirtualThreadHandler.class.getName());

    private final WebSocketHandler delegate;
    private final ExecutorService threads;
    private final Map<Long, Serial> queues = new ConcurrentHashMap<>();

    private VirtualThreadHandler(WebSocketHandler delegate, ExecutorService threads) {
        this.delegate = delegate;
        this.threads = threads;
    }

    /**
     * @throws UnsupportedOperationException before Java 21
     */
    static WebSocketHandler wrap(WebSocketHandler handler) {
        return new VirtualThreadHandler(handler, virtualThreadExecutor());
    }

    static ExecutorService virtualThreadExecutor() {
        if (Runtime.version().feature() < 21) {
            throw new UnsupportedOperationException("virtual thread handlers need Java 21 or later; this is Java "
                    + Runtime.version().feature());
        }
        try {
            return (ExecutorService)
                    Executors.class.getMethod("newVirtualThreadPerTaskExecutor").invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new UnsupportedOperationException("virtual threads are not available", e);
        }
    }

    /** Runs one session's tasks in order, one at a time, each batch on a fresh virtual thread. */
    private static final class Serial implements Executor {
        private final Executor threads;
        private final ArrayDeque<Runnable> tasks = new ArrayDeque<>();
        private boolean running;

        Serial(Executor threads) {
            this.threads = threads;
        }

        @Override
        public void execute(Runnable task) {
            synchronized (this) {
                tasks.add(task);
                if (running) {
                    return;
                }
                running = true;
            }
            threads.execute(this::drain);
        }

        private void drain() {
            while (true) {
                Runnable next;
                synchronized (this) {
                    next = tasks.poll();
                    if (next == null) {
                        running = false;
                        return;
                    }
                }
                next.run();
            }
        }
    }

    private void run(WebSocketSession session, Runnable call) {
        queues.computeIfAbsent(session.id(), id -> new Serial(threads)).execute(() -> {
            try {
                call.run();
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "handler threw on session " + session.id() + "; closing it with 1011", e);
                delegate.onError(session, e);
                if (session.isOpen()) {
                    session.close(1011, "internal error");
                }
            }
        });
    }

    @Override
    public void onOpen(WebSocketSession session) {
        run(session, () -> delegate.onOpen(session));
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        run(session, () -> delegate.onText(session, text));
    }

    @Override
    public void onBinary(WebSocketSession session, ByteBuffer data) {
        run(session, () -> delegate.onBinary(session, data));
    }

    @Override
    public void onPing(WebSocketSession session, ByteBuffer data) {
        run(session, () -> delegate.onPing(session, data));
    }

    @Override
    public void onPong(WebSocketSession session, ByteBuffer data) {
        run(session, () -> delegate.onPong(session, data));
    }

    @Override
    public void onError(WebSocketSession session, Throwable error) {
        run(session, () -> delegate.onError(session, error));
    }

    @Override
    public void onDrain(WebSocketSession session) {
        run(session, () -> delegate.onDrain(session));
    }

    @Override
    public void onClose(WebSocketSession session, int code, String reason, boolean clean) {
        run(session, () -> {
            queues.remove(session.id());
            delegate.onClose(session, code, reason, clean);
        });
    }
}
