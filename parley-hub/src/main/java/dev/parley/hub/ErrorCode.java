package dev.parley.hub;

/**
 * The hub protocol's error codes (docs/PROTOCOL.md, "Errors"). An error answers one command and
 * leaves the session open. The numbers and names are stable: clients may switch on either.
 */
public enum ErrorCode {
    INTERNAL(100, "internal"),
    BAD_REQUEST(101, "bad_request"),
    UNKNOWN_COMMAND(102, "unknown_command"),
    TOO_LARGE(103, "too_large"),
    NOT_CONNECTED(104, "not_connected"),
    ALREADY_CONNECTED(105, "already_connected"),
    INVALID_CHANNEL(106, "invalid_channel"),
    PERMISSION_DENIED(107, "permission_denied"),
    NOT_AVAILABLE(108, "not_available"),
    ALREADY_SUBSCRIBED(109, "already_subscribed"),
    NOT_SUBSCRIBED(110, "not_subscribed"),
    STALE_POSITION(111, "stale_position"),
    RATE_LIMITED(112, "rate_limited"),
    LIMIT_EXCEEDED(113, "limit_exceeded");

    private final int code;
    private final String wireName;

    ErrorCode(int code, String wireName) {
        this.code = code;
        this.wireName = wireName;
    }

    public int code() {
        return code;
    }

    /** The name on the wire, e.g. {@code permission_denied}. */
    public String wireName() {
        return wireName;
    }

    /** The code with this number, or {@link #INTERNAL} for a number this version does not know. */
    public static ErrorCode of(int code) {
        for (ErrorCode c : values()) {
            if (c.code == code) {
                return c;
            }
        }
        return INTERNAL;
    }
}
