package dev.parley.protocol.handshake;

/**
 * An opening handshake that cannot go ahead. On the server it carries the HTTP status to answer
 * with (400, 403, 405, 426, ...); a failure found by a client in the server's response has {@link
 * #status()} {@code 0}. The message says what was wrong in one sentence, for a log line or a
 * response body.
 */
public final class HandshakeException extends Exception {
    private static final long serialVersionUID = 1L;

    private final int status;

    /** A server-side refusal answered with the given HTTP status. */
    public HandshakeException(int status, String message) {
        super(message);
        if (status != 0 && (status < 400 || status > 599)) {
            throw new IllegalArgumentException("not an error status: " + status);
        }
        this.status = status;
    }

    /** A failure found by a client while validating the server's response. */
    public static HandshakeException clientSide(String message) {
        return new HandshakeException(0, message);
    }

    /** The HTTP status a server answers with, or {@code 0} for a failure found by a client. */
    public int status() {
        return status;
    }

    /** Bad input is expected here, and a flood of it must be cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
