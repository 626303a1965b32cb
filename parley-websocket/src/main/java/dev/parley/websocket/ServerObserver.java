package dev.parley.websocket;

import java.net.InetSocketAddress;

/**
 * What a server tells an observer, for metrics and audit logs: refused handshakes, sessions
 * opening and closing, messages and bytes. The WebSocket module has no metrics library of its own;
 * an application binds this interface to one (the {@code parley} app binds it to Micrometer).
 *
 * <p>Threading: called on event loop threads, often on the hot path (every message, every read
 * and write). Implementations must be quick, thread-safe and must not block: increment a counter,
 * write a log line. Every method has an empty default.
 */
public interface ServerObserver {
    /** Observes nothing. */
    ServerObserver NONE = new ServerObserver() {};

    /**
     * A handshake or HTTP request was refused.
     *
     * @param status the HTTP status sent (403 origin, 429 too many connections, 408 timeout, ...)
     * @param reason a short reason such as "origin refused"
     */
    default void requestRejected(InetSocketAddress remote, int status, String reason) {}

    /** A WebSocket session opened (before its handler's {@code onOpen}). */
    default void sessionOpened(WebSocketSession session) {}

    /**
     * A session ended (after its handler's {@code onClose}).
     *
     * @param code the close code, as the handler was given it (1006 when there was no closing handshake)
     * @param clean whether the closing handshake completed
     */
    default void sessionClosed(WebSocketSession session, int code, String reason, boolean clean) {}

    /** A whole text or binary message arrived on a session. */
    default void messageReceived() {}

    /** A text or binary message was queued for sending on a session (broadcasts count once per recipient). */
    default void messageSent() {}

    /** Bytes read from a session's connection (after TLS). */
    default void bytesReceived(long bytes) {}

    /** Bytes written to a session's connection (before TLS). */
    default void bytesSent(long bytes) {}
}
