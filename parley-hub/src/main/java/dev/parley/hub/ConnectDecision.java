package dev.parley.hub;

import java.util.Objects;

/**
 * The connect hook's answer: accept the client as a user (empty for anonymous), or refuse it with
 * a disconnect that tells it whether to try again.
 */
public record ConnectDecision(boolean accepted, String user, Disconnect refusal) {
    public ConnectDecision {
        Objects.requireNonNull(user, "user");
        if (!accepted) {
            Objects.requireNonNull(refusal, "refusal");
        }
    }

    public static ConnectDecision accept(String user) {
        return new ConnectDecision(true, user, null);
    }

    /** Refuses for good: {@link Disconnect#UNAUTHORIZED}, the client does not reconnect. */
    public static ConnectDecision unauthorized(String reason) {
        return new ConnectDecision(false, "", new Disconnect(Disconnect.UNAUTHORIZED, reason, 0));
    }

    public static ConnectDecision refuse(Disconnect refusal) {
        return new ConnectDecision(false, "", refusal);
    }
}
