package dev.parley.protocol;

/**
 * A close status code (RFC 6455 §7.4). A value type rather than an enum: the range 3000-3999 is
 * registered with IANA by libraries and frameworks, and 4000-4999 belongs to applications.
 *
 * <p>{@link #isValidOnWire(int)} is the single validity rule, used both for codes received in a
 * close frame and for codes an application asks to send.
 */
public final class CloseStatus {
    /** 1000: the purpose for which the connection was established has been fulfilled. */
    public static final CloseStatus NORMAL = new CloseStatus(1000, "normal closure");
    /** 1001: an endpoint is going away, such as a server shutting down or a page navigating. */
    public static final CloseStatus GOING_AWAY = new CloseStatus(1001, "going away");
    /** 1002: the peer broke the protocol. */
    public static final CloseStatus PROTOCOL_ERROR = new CloseStatus(1002, "protocol error");
    /** 1003: a data type the endpoint cannot accept (for example binary to a text-only endpoint). */
    public static final CloseStatus UNSUPPORTED_DATA = new CloseStatus(1003, "unsupported data");
    /** 1005: reported locally when a close frame carried no code. Never sent. */
    public static final CloseStatus NO_STATUS_RECEIVED = new CloseStatus(1005, "no status received");
    /** 1006: reported locally when the connection ended without a close frame. Never sent. */
    public static final CloseStatus ABNORMAL_CLOSURE = new CloseStatus(1006, "abnormal closure");
    /** 1007: message data inconsistent with its type, such as invalid UTF-8 in a text message. */
    public static final CloseStatus INVALID_PAYLOAD = new CloseStatus(1007, "invalid payload data");
    /** 1008: a message that violates the endpoint's policy. */
    public static final CloseStatus POLICY_VIOLATION = new CloseStatus(1008, "policy violation");
    /** 1009: a message too big to process. */
    public static final CloseStatus MESSAGE_TOO_BIG = new CloseStatus(1009, "message too big");
    /** 1010: sent by a client when the server did not negotiate an extension it requires. */
    public static final CloseStatus MANDATORY_EXTENSION = new CloseStatus(1010, "mandatory extension");
    /** 1011: the server met an unexpected condition. */
    public static final CloseStatus INTERNAL_ERROR = new CloseStatus(1011, "internal error");
    /** 1012: the service is restarting (IANA registry). */
    public static final CloseStatus SERVICE_RESTART = new CloseStatus(1012, "service restart");
    /** 1013: try again later (IANA registry). */
    public static final CloseStatus TRY_AGAIN_LATER = new CloseStatus(1013, "try again later");
    /** 1014: a gateway or proxy received an invalid response (IANA registry). */
    public static final CloseStatus BAD_GATEWAY = new CloseStatus(1014, "bad gateway");
    /** 1015: reported locally when the TLS handshake failed. Never sent. */
    public static final CloseStatus TLS_HANDSHAKE = new CloseStatus(1015, "TLS handshake failure");

    private static final CloseStatus[] KNOWN = {
        NORMAL,
        GOING_AWAY,
        PROTOCOL_ERROR,
        UNSUPPORTED_DATA,
        null,
        NO_STATUS_RECEIVED,
        ABNORMAL_CLOSURE,
        INVALID_PAYLOAD,
        POLICY_VIOLATION,
        MESSAGE_TOO_BIG,
        MANDATORY_EXTENSION,
        INTERNAL_ERROR,
        SERVICE_RESTART,
        TRY_AGAIN_LATER,
        BAD_GATEWAY,
        TLS_HANDSHAKE
    };

    private final int code;
    private final String description;

    private CloseStatus(int code, String description) {
        this.code = code;
        this.description = description;
    }

    /**
     * Returns the status for a code. Any code from 0 to 65535 can be represented, so that a
     * received invalid code can still be reported; whether it may travel on the wire is {@link
     * #isValidOnWire()}.
     *
     * @throws IllegalArgumentException if the code does not fit in the two bytes of a close frame
     */
    public static CloseStatus of(int code) {
        if (code < 0 || code > 0xFFFF) {
            throw new IllegalArgumentException("close code out of range 0-65535: " + code);
        }
        if (code >= 1000 && code <= 1015) {
            CloseStatus known = KNOWN[code - 1000];
            if (known != null) {
                return known;
            }
        }
        return new CloseStatus(code, describe(code));
    }

    private static String describe(int code) {
        if (code >= 3000 && code <= 3999) {
            return "registered code";
        }
        if (code >= 4000 && code <= 4999) {
            return "application code";
        }
        return "reserved code";
    }

    /**
     * Whether a close frame may carry this code (RFC 6455 §7.4.1, §7.4.2 and the IANA "WebSocket
     * Close Code Number Registry"): 1000-1003, 1007-1014 and 3000-4999. Codes below 1000, 1004
     * (reserved), 1005, 1006 and 1015 (local-only), 1016-2999 (unassigned in the protocol range)
     * and 5000 or above are not.
     */
    public static boolean isValidOnWire(int code) {
        if (code >= 3000 && code <= 4999) {
            return true;
        }
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014);
    }

    /** Whether this status may be carried by a close frame; see {@link #isValidOnWire(int)}. */
    public boolean isValidOnWire() {
        return isValidOnWire(code);
    }

    /** The numeric code. */
    public int code() {
        return code;
    }

    /** A short English description, for logs. */
    public String description() {
        return description;
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof CloseStatus that && that.code == code;
    }

    @Override
    public int hashCode() {
        return code;
    }

    @Override
    public String toString() {
        return code + " (" + description + ")";
    }
}
