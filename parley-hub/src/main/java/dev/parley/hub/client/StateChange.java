package dev.parley.hub.client;

/**
 * A change of a {@link HubClient}'s {@link ConnectionState}.
 *
 * @param state the new state
 * @param code for DISCONNECTED and CLOSED, the close or disconnect code (0 otherwise)
 * @param reason for DISCONNECTED and CLOSED, why (empty otherwise)
 * @param delayMillis for RECONNECTING, how long until the next attempt (0 otherwise)
 */
public record StateChange(ConnectionState state, int code, String reason, long delayMillis) {
    @Override
    public String toString() {
        return switch (state) {
            case DISCONNECTED, CLOSED -> state + " (" + code + (reason.isEmpty() ? "" : " " + reason) + ")";
            case RECONNECTING -> state + " in " + delayMillis + " ms";
            default -> state.toString();
        };
    }
}
