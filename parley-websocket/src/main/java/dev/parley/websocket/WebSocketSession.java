package dev.parley.websocket;

import dev.parley.protocol.handshake.Headers;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/**
 * One open WebSocket, on the server or the client side, in the browser's model.
 *
 * <p>Threading: every method may be called from any thread. A call from the session's event loop
 * (for example inside a handler) acts at once; from another thread it is handed to the loop, in
 * order. Sends never block: the result says whether the message was queued and whether the peer is
 * keeping up.
 *
 * <p>Buffers: a {@code ByteBuffer} passed to {@code send} is read between its position and limit
 * before the call returns (its position is not moved) and may be reused afterwards.
 */
public interface WebSocketSession {
    /** A process-unique id, for logs. */
    long id();

    /** Sends a text message. */
    SendResult send(String text);

    /** Sends a binary message. */
    SendResult send(ByteBuffer data);

    /** Sends a binary message. */
    default SendResult send(byte[] data) {
        return send(ByteBuffer.wrap(data));
    }

    /** Sends a ping with up to 125 bytes of data. */
    /**
     * Sends a message framed once for many sessions (see {@link PreparedMessage}). Same rules as
     * {@link #send(String)}.
     */
    SendResult send(PreparedMessage message);

    /**
     * Runs tasks on this session's event loop, one at a time and in the order given: the thread
     * that calls its handler methods (unless the server runs handlers on virtual threads). A layer
     * above that keeps per-session state can do all its work here without locks, and sends made here
     * go out in call order with no hand-off. Tasks must not block. Tasks given after the event loop
     * stopped are dropped.
     */
    java.util.concurrent.Executor executor();

    SendResult ping(ByteBuffer data);

    /**
     * Measures the round trip to the peer with a ping: the future completes with the time until
     * the matching pong arrives, or exceptionally if the session closes first.
     */
    CompletableFuture<Duration> measureLatency();

    /** Starts the closing handshake with 1000 (normal closure). */
    default void close() {
        close(1000, "");
    }

    /**
     * Starts the closing handshake. Sends already queued go out first. If the peer does not answer
     * within the close timeout, the connection is dropped.
     *
     * @throws IllegalArgumentException a code that may not be sent or a reason over 123 bytes
     */
    void close(int code, String reason);

    /** Drops the connection at once, without a closing handshake (the peer sees 1006). */
    void abort();

    /** Whether messages can still be sent: the closing handshake has not started. */
    boolean isOpen();

    /** Bytes queued but not yet written to the network, like the browser's {@code bufferedAmount}. */
    long bufferedAmount();

    /** The request path of the handshake, without the query. */
    String path();

    /** The raw query string of the handshake, or null. */
    String query();

    /**
     * The handshake's request headers (server) or response headers (client). A server session
     * keeps every request field except those spent on the upgrade itself: {@code Connection},
     * {@code Upgrade}, {@code Sec-WebSocket-Key}, {@code Sec-WebSocket-Version} and {@code
     * Sec-WebSocket-Extensions} (the outcome is {@link #isCompressed()}); {@code
     * Sec-WebSocket-Protocol} stays.
     */
    Headers headers();

    /** The negotiated subprotocol, or null. */
    String subprotocol();

    /** Whether permessage-deflate was negotiated. */
    boolean isCompressed();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** An application attribute, or null. */
    <T> T attribute(String name);

    /** Sets (or with null removes) an application attribute. Thread-safe. */
    void attribute(String name, Object value);
}
