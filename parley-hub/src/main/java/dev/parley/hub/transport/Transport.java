package dev.parley.hub.transport;

import java.net.InetSocketAddress;
import java.util.Optional;
import java.util.concurrent.Executor;

/**
 * The hub's view of one client connection, whatever carries it: a WebSocket, a server-sent event
 * stream with POSTs, long-polling. A transport hands the hub each message the client sends through
 * the {@link TransportListener} the hub returns from {@code Hub.open}, and takes the hub's messages
 * through {@link #send}.
 *
 * <p>Threading: the hub does all its work for a connection on {@link #executor()}, and calls
 * {@link #send}, {@link #queuedBytes} and {@link #close} only there. A transport calls its listener
 * on that executor too.
 */
public interface Transport {
    /** A short name for logs and metrics: {@code websocket}, {@code sse}, {@code poll}. */
    String name();

    /** Runs tasks one at a time in order, on the thread that may send. Must not block. */
    Executor executor();

    /**
     * Queues one message for the client and returns at once. Messages reach the client in the order
     * they were sent.
     *
     * @return false when the connection is closed and the message was dropped
     */
    boolean send(OutboundMessage message);

    /** Bytes queued for the client and not yet written: the hub's measure of a slow consumer. */
    long queuedBytes();

    /** Ends the connection after what is queued, with a hub disconnect code (3000-3999). */
    void close(int code, String reason);

    /** The client's address, for logs and hooks. */
    InetSocketAddress remoteAddress();

    /** A header of the request that opened the connection (cookies, authorization), if any. */
    Optional<String> header(String name);
}
