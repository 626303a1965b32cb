package dev.parley.hub;

import java.time.Duration;
import java.util.Objects;

/**
 * How the channels of one namespace behave (docs/PROTOCOL.md, "Channels and namespaces").
 *
 * @param historySize publications kept for recovery and history queries; 0 keeps none (default 256)
 * @param historyTtl how long a publication stays in history (default 10 minutes)
 * @param presence whether the hub tracks who is subscribed (default off)
 * @param joinLeave whether subscribers are told of joins and leaves (default off; needs presence)
 * @param clientPublish whether clients may publish; server code always may (default off)
 * @param dedupWindow how many recent message ids per channel are remembered to accept a retried
 *     publish once (default 10,000)
 * @param dedupTtl how long a message id is remembered (default 5 minutes)
 */
public record ChannelOptions(
        int historySize,
        Duration historyTtl,
        boolean presence,
        boolean joinLeave,
        boolean clientPublish,
        int dedupWindow,
        Duration dedupTtl) {

    private static final ChannelOptions DEFAULTS =
            new ChannelOptions(256, Duration.ofMinutes(10), false, false, false, 10_000, Duration.ofMinutes(5));

    public ChannelOptions {
        if (historySize < 0) {
            throw new IllegalArgumentException("historySize " + historySize + " is negative");
        }
        if (dedupWindow < 0) {
            throw new IllegalArgumentException("dedupWindow " + dedupWindow + " is negative");
        }
        Objects.requireNonNull(historyTtl, "historyTtl");
        Objects.requireNonNull(dedupTtl, "dedupTtl");
        if (joinLeave && !presence) {
            throw new IllegalArgumentException("joinLeave needs presence");
        }
    }

    /** The defaults listed above. */
    public static ChannelOptions defaults() {
        return DEFAULTS;
    }

    public ChannelOptions withHistory(int size, Duration ttl) {
        return new ChannelOptions(size, ttl, presence, joinLeave, clientPublish, dedupWindow, dedupTtl);
    }

    /** Presence on or off; join/leave events follow it unless set apart with {@link #withJoinLeave}. */
    public ChannelOptions withPresence(boolean on) {
        return new ChannelOptions(historySize, historyTtl, on, on, clientPublish, dedupWindow, dedupTtl);
    }

    public ChannelOptions withJoinLeave(boolean on) {
        return new ChannelOptions(historySize, historyTtl, presence, on, clientPublish, dedupWindow, dedupTtl);
    }

    public ChannelOptions withClientPublish(boolean on) {
        return new ChannelOptions(historySize, historyTtl, presence, joinLeave, on, dedupWindow, dedupTtl);
    }

    public ChannelOptions withDedup(int window, Duration ttl) {
        return new ChannelOptions(historySize, historyTtl, presence, joinLeave, clientPublish, window, ttl);
    }
}
