package dev.parley.websocket;

import dev.parley.protocol.handshake.Headers;
import dev.parley.protocol.handshake.HttpRequest;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * One HTTP request and its response. Exactly one of {@link #respond} or {@link #stream} must be
 * called, once, from any thread; until then the connection reads nothing more (no pipelining is
 * processed out of order).
 */
public interface HttpExchange {
    /** The request line and headers. */
    HttpRequest request();

    /** The request body (Content-Length bodies only, up to the server's limit); empty if none. */
    ByteBuffer body();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** Sends a complete response with a Content-Length. */
    void respond(int status, Headers headers, ByteBuffer body);

    /** Sends a complete text response. */
    default void respond(int status, String contentType, String body) {
        Headers headers = new Headers().add("Content-Type", contentType);
        respond(status, headers, ByteBuffer.wrap(body.getBytes(StandardCharsets.UTF_8)));
    }

    /** Starts a chunked (streaming) response: Server-Sent Events, long responses. */
    ChunkedResponse stream(int status, Headers headers);

    /** A response sent in chunks (RFC 9112 §7.1). Methods may be called from any thread. */
    interface ChunkedResponse {
        /** Queues a chunk; false if the connection is gone or its buffer is full (see {@link ServerLimits#maxOutboundBuffer()}). */
        boolean write(ByteBuffer chunk);

        /** Queues a UTF-8 chunk. */
        default boolean write(String chunk) {
            return write(ByteBuffer.wrap(chunk.getBytes(StandardCharsets.UTF_8)));
        }

        /** Ends the response (the last, empty chunk). */
        void end();

        /** Whether the client is still connected and the response not ended. */
        boolean isOpen();

        /** Runs {@code callback} once when the client goes away or the response ends. */
        void onClose(Runnable callback);
    }
}
