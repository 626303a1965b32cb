package dev.parley.hub.internal;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.Publication;
import dev.parley.hub.transport.OutboundMessage;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executor;

/**
 * One session's subscription to one channel. Touched only on the session's executor, except
 * {@link #session} and {@link #channel}, which never change.
 *
 * <p>A subscription is <em>pending</em> from the moment it joins the node's fan-out until its
 * reply has been sent: publications that arrive meanwhile are held, and released after the reply,
 * skipping those the reply already carried. {@link #position} is the offset of the last
 * publication the client has been given, so that nothing reaches it twice or out of order.
 */
public final class Subscription {
    final HubSession session;
    final String channel;
    final ChannelOptions options;
    boolean active = true;
    boolean pending = true;
    long position;
    String epoch;
    List<Held> held;
    /**
     * In a channel with presence: completes once this subscription's presence entry is in the
     * broker, or the subscription is gone, so that a presence query the same client sent right
     * behind its subscribe sees the client in the list. Null without presence.
     */
    final CompletableFuture<Void> presenceSettled;

    record Held(Publication publication, OutboundMessage message) {}

    Subscription(HubSession session, String channel, ChannelOptions options) {
        this.session = session;
        this.channel = channel;
        this.options = options;
        this.presenceSettled = options.presence() ? new CompletableFuture<>() : null;
    }

    Executor executor() {
        return session.executor();
    }

    void hold(Publication p, OutboundMessage m) {
        if (held == null) {
            held = new ArrayList<>();
        }
        held.add(new Held(p, m));
    }

    int heldCount() {
        return held == null ? 0 : held.size();
    }
}
