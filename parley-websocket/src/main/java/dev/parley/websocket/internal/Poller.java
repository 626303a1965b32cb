package dev.parley.websocket.internal;

import java.io.IOException;

/**
 * How an {@link EventLoop} waits for its sockets: a {@code java.nio} selector ({@link NioPoller}),
 * or a native one from a {@link NativeIo}. Used on the loop's thread only, except {@link #wakeup}.
 */
public interface Poller {
    /**
     * Waits at most {@code timeoutMillis} (0: not at all; negative: until a socket is ready or
     * {@link #wakeup} is called) and calls every ready socket's handler; a handler that throws is
     * reported to {@link EventLoop#handlerFailed} and its socket closed.
     *
     * @return how many sockets were found ready (a wake-up may or may not count as one)
     */
    int poll(long timeoutMillis) throws IOException;

    /** Makes a {@link #poll} in progress, or the next one, return at once. Any thread. */
    void wakeup();

    /** Closes every socket still registered, then the poller itself. */
    void close();
}
