package dev.parley.protocol.handshake;

import java.util.Objects;

/**
 * An opening handshake that cannot go ahead. On the server it carries the HTTP status to answer
 * with (400, 403, 405, 426, ...) and any header fields that status calls for (for example {@code
 * Allow} with a 405); a failure found by a client in the server's response has {@link #status()}
 * {@code 0}. The message says what was wrong in one sentence, for a log line or a response body.
 * {@link ServerHandshake#reject(HandshakeException)} turns one into response bytes. Immutable.
 */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final transient Headers responseHeaders;

    /** A server-side refusal answered with the given HTTP status. */
    public HandshakeException(int status, String message) {
        this(status, message, Headers.empty());
    }

    /**
     * A server-side refusal answered with the given HTTP status and extra response header fields.
     *
     * @throws IllegalArgumentException if the status is neither 0 nor 400-599
     */
    public HandshakeException(int status, String message, Headers responseHeaders) {
        super(message);
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
        this.responseHeaders =
                Objects.requireNonNull(responseHeaders, "responseHeaders").readOnlyCopy();
    }

    /** A failure found by a client while validating the server's response. */
    public static HandshakeException clientSide(String message) {
        return new HandshakeException(0, message);
    }

    /** The HTTP status a server answers with, or {@code 0} for a failure found by a client. */
    public int status() {
        return status;
    }

    /** Header fields the refusal must carry, such as {@code Allow} or {@code Sec-WebSocket-Version}. */
    public Headers responseHeaders() {
        return responseHeaders == null ? Headers.empty() : responseHeaders;
    }

    /** Bad input is expected here, and a flood of it must be cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
