package dev.parley.hub.broker;

import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;

/**
 * How a broker delivers to its node. For each channel the node subscribed to, publications arrive
 * in offset order with no gaps and never two at once for the same channel; calls for different
 * channels may run concurrently. Implementations must not block: they hand work to the sessions'
 * executors and return.
 */
public interface BrokerListener {
    void onPublication(Publication publication);

    /** A client joined the channel's presence (any node). */
    void onJoin(String channel, ClientInfo info);

    /** A client left the channel's presence (any node). */
    void onLeave(String channel, ClientInfo info);
}
