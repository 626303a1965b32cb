package dev.parley.hub.internal;

import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;
import dev.parley.hub.broker.Broker;
import dev.parley.hub.broker.BrokerListener;
import dev.parley.hub.transport.OutboundMessage;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The channels that have subscribers on this node, and the broker's listener that fans their
 * publications out. The first subscriber of a channel subscribes the node with the broker; the
 * last one to leave unsubscribes it. Both happen inside the map's per-key lock, so the broker sees
 * them in the order they happened.
 */
final class LocalChannels implements BrokerListener {
    private final Broker broker;
    private final ConcurrentHashMap<String, LocalChannel> channels = new ConcurrentHashMap<>();

    LocalChannels(Broker broker) {
        this.broker = broker;
    }

    /** Adds a subscription to the fan-out; completes when the node receives the channel. */
    CompletionStage<Void> add(Subscription s) {
        LocalChannel channel = channels.compute(s.channel, (name, existing) -> {
            LocalChannel c =
                    existing != null ? existing : new LocalChannel(name, s.options, broker.subscribeNode(name));
            c.add(s);
            return c;
        });
        return channel.ready;
    }

    void remove(Subscription s) {
        channels.computeIfPresent(s.channel, (name, c) -> {
            c.remove(s);
            if (c.isEmpty()) {
                broker.unsubscribeNode(name);
                return null;
            }
            return c;
        });
    }

    int count() {
        return channels.size();
    }

    @Override
    public void onPublication(Publication publication) {
        LocalChannel c = channels.get(publication.channel());
        if (c != null) {
            c.publish(publication);
        }
    }

    @Override
    public void onJoin(String channel, ClientInfo info) {
        presenceEvent("join", channel, info);
    }

    @Override
    public void onLeave(String channel, ClientInfo info) {
        presenceEvent("leave", channel, info);
    }

    private void presenceEvent(String type, String channel, ClientInfo info) {
        LocalChannel c = channels.get(channel);
        if (c != null && c.options.joinLeave()) {
            c.event(new OutboundMessage(Messages.presenceEvent(type, channel, info)));
        }
    }
}
