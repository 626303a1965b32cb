package dev.parley.hub;

import dev.parley.hub.internal.ChannelNames;
import java.time.Duration;
import java.util.Map;

/**
 * Everything a {@link Hub} is configured with; made by {@link Hub.Builder}. Every limit has a
 * default, listed on the builder's methods and in docs/hub.md.
 */
public record HubConfig(
        ChannelOptions defaults,
        Map<String, ChannelOptions> namespaces,
        HubHooks hooks,
        Duration pingInterval,
        Duration pongTimeout,
        Duration connectTimeout,
        int maxMessageSize,
        int maxSubscriptions,
        double commandsPerSecond,
        int commandBurst,
        long maxQueuedBytes,
        int maxHeldPublications,
        Duration shutdownSpread) {

    public HubConfig {
        namespaces = Map.copyOf(namespaces);
    }

    /** The options of the channel's namespace, or the defaults. */
    public ChannelOptions options(String channel) {
        if (namespaces.isEmpty()) {
            return defaults;
        }
        return namespaces.getOrDefault(ChannelNames.namespace(channel), defaults);
    }
}
