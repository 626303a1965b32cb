package dev.parley.websocket;

import java.nio.ByteBuffer;

/**
 * What an application does with a WebSocket, in the browser's model: open, message, close and
 * error, plus ping, pong and drain. Every method has an empty default, so a handler implements
 * only what it needs.
 *
 * <p>Threading: by default every call for a session is made on that session's event loop thread,
 * in order, never concurrently; a handler must not block it. A server configured with {@code
 * virtualThreadHandlers} (Java 21+) calls a session's methods on a virtual thread instead, still in
 * order and one at a time per session.
 *
 * <p>Buffers passed in belong to the handler once the call is made.
 */
public interface WebSocketHandler {
    /** The handshake completed; the session can send. */
    default void onOpen(WebSocketSession session) {}

    /** A whole text message arrived. */
    default void onText(WebSocketSession session, String text) {}

    /** A whole binary message arrived. */
    default void onBinary(WebSocketSession session, ByteBuffer data) {}

    /** A ping arrived; the pong has already been queued. */
    default void onPing(WebSocketSession session, ByteBuffer data) {}

    /** A pong arrived. */
    default void onPong(WebSocketSession session, ByteBuffer data) {}

    /**
     * The session ended. Called exactly once per opened session.
     *
     * @param code the close code received, 1005 when the close frame had none, 1006 when the
     *     connection ended without a closing handshake
     * @param clean whether the closing handshake completed (both close frames exchanged)
     */
    default void onClose(WebSocketSession session, int code, String reason, boolean clean) {}

    /**
     * Something went wrong: the peer broke the protocol (a {@link WebSocketException} naming the
     * rule), the transport failed, or a handler method threw. {@link #onClose} follows.
     */
    default void onError(WebSocketSession session, Throwable error) {}

    /** The session's buffered output fell back under the low-water mark after a send returned {@link SendResult#BACKPRESSURE}. */
    default void onDrain(WebSocketSession session) {}
}
