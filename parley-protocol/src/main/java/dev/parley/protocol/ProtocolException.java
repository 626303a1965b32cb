package dev.parley.protocol;

/**
 * The peer broke a rule of the protocol. Thrown by the low-level codecs ({@code FrameDecoder},
 * the handshake validators, the inflater); the {@code Connection} turns it into a {@link
 * Event.Failure} event and the close frame to send, so applications using the connection never
 * catch it.
 *
 * <p>The message is the violation's description followed by the case's details, short enough to
 * be used as a close reason (at most 123 bytes of UTF-8).
 */
public final class ProtocolException extends Exception {
    private static final long serialVersionUID = 1L;

    private final ProtocolViolation violation;

    /** A violation with details of this case, for example "0x3" or "2000000 > 1048576". */
    public ProtocolException(ProtocolViolation violation, String detail) {
        super(detail == null || detail.isEmpty() ? violation.description() : violation.description() + ": " + detail);
        this.violation = violation;
    }

    /** A violation with no further detail. */
    public ProtocolException(ProtocolViolation violation) {
        this(violation, null);
    }

    /** Which rule was broken. */
    public ProtocolViolation violation() {
        return violation;
    }

    /** The status to close the connection with. */
    public CloseStatus closeStatus() {
        return violation.closeStatus();
    }

    /** No stack trace: this is an expected outcome of bad input, and a flood of it must be cheap. */
    @Override
    public synchronized Throwable fillInStackTrace() {
        return this;
    }
}
