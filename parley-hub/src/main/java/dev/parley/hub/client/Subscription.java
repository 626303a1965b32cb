package dev.parley.hub.client;

import dev.parley.hub.StreamPosition;
import java.util.concurrent.CompletableFuture;

/**
 * A {@link HubClient}'s subscription to one channel. It lives across reconnects: the client
 * resubscribes with the last position it delivered, and the server replays what was missed.
 */
public final class Subscription {
    private final HubClient client;
    private final String channel;
    final SubscriptionHandler handler;
    /** The channel's epoch and the offset of the last publication delivered; null epoch before the first reply. */
    volatile String epoch;

    volatile long offset;

    Subscription(HubClient client, String channel, SubscriptionHandler handler) {
        this.client = client;
        this.channel = channel;
        this.handler = handler;
    }

    public String channel() {
        return channel;
    }

    /** The position of the last publication delivered, or null before the subscription is first live. */
    public StreamPosition position() {
        String e = epoch;
        return e == null ? null : new StreamPosition(offset, e);
    }

    /** Ends the subscription; completes when the server confirmed (at once when disconnected). */
    public CompletableFuture<Void> unsubscribe() {
        return client.unsubscribe(this);
    }
}
