package dev.parley.hub;

import java.util.Objects;

/**
 * Why the server ended a session, and whether the client should come back (docs/PROTOCOL.md,
 * "Disconnects"): codes 3000–3499 mean reconnect, 3500–3999 mean do not. Over a WebSocket the
 * close frame carries the same code.
 *
 * @param code the disconnect code
 * @param reason a short human-readable reason
 * @param delayMillis how long the client should wait before reconnecting, 0 for its own backoff
 */
public record Disconnect(int code, String reason, long delayMillis) {
    public static final int SHUTDOWN = 3000;
    public static final int SLOW_CONSUMER = 3001;
    public static final int NO_PONG = 3002;
    public static final int FLOOD = 3003;
    public static final int SERVER_ERROR = 3004;
    public static final int UNAUTHORIZED = 3500;
    public static final int UNSUPPORTED_VERSION = 3501;
    public static final int BAD_REQUEST = 3502;
    public static final int FORBIDDEN = 3503;

    public Disconnect {
        if (code < 3000 || code > 3999) {
            throw new IllegalArgumentException("disconnect code " + code + " is outside 3000-3999");
        }
        Objects.requireNonNull(reason, "reason");
        if (delayMillis < 0) {
            throw new IllegalArgumentException("delay " + delayMillis + " is negative");
        }
    }

    /** Whether a code tells the client to reconnect: 3000–3499 yes, 3500–3999 no. */
    public static boolean shouldReconnect(int code) {
        return code < 3500;
    }

    public boolean reconnect() {
        return shouldReconnect(code);
    }
}
