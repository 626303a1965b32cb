package dev.parley.hub.client;

import dev.parley.hub.ClientInfo;
import dev.parley.hub.Publication;

/**
 * What an application does with a channel. Every method has an empty default. Called on the
 * client's own thread, one call at a time, in the channel's order.
 */
public interface SubscriptionHandler {
    /** The next publication of the channel: never one twice, never out of order. */
    default void onPublication(Publication publication) {}

    /**
     * The subscription is live, first or again after a reconnect.
     *
     * @param recovered after a reconnect: whether everything missed was replayed (it arrives
     *     through {@link #onPublication} before anything newer). When false, {@code reason} says why
     *     ("epoch_changed", "history_too_short") and the application should reload what it shows.
     *     True on a first subscription.
     */
    default void onSubscribed(boolean recovered, String reason) {}

    default void onJoin(ClientInfo client) {}

    default void onLeave(ClientInfo client) {}

    /** The server refused the subscription (a permission, a limit); it is dropped. */
    default void onError(HubErrorException error) {}
}
