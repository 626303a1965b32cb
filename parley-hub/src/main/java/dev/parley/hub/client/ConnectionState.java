package dev.parley.hub.client;

/** Where a {@link HubClient}'s connection stands. */
public enum ConnectionState {
    /** Opening the WebSocket and sending {@code connect}. */
    CONNECTING,
    /** The server answered {@code connected}: subscriptions are live, the outbox is sent. */
    CONNECTED,
    /** The connection ended; a {@link #RECONNECTING} follows unless the server said not to. */
    DISCONNECTED,
    /** Waiting out a delay before the next attempt. */
    RECONNECTING,
    /** For good: {@link HubClient#close()}, or the server refused with a code 3500–3999. */
    CLOSED
}
