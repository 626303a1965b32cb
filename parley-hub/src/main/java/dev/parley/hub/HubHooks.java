package dev.parley.hub;

/**
 * Where an application decides and observes: who may connect (and as which user), subscribe and
 * publish, and when sessions come and go. Every method has a default: anyone connects anonymously,
 * subscribes anywhere, and publishes where the namespace lets clients publish.
 *
 * <p>Threading: called on the session's executor (its event loop). Hooks must be quick and must
 * not block; a hook that throws refuses the command with error 100 (connect: disconnect 3004).
 */
public interface HubHooks {
    /** A client sent {@code connect}. */
    default ConnectDecision onConnect(ConnectRequest request) {
        return ConnectDecision.accept("");
    }

    /** A client asks to subscribe to a channel, or to read its presence or history. */
    default Verdict onSubscribe(ClientInfo client, String channel) {
        return Verdict.ALLOW;
    }

    /**
     * A client publishes in a namespace where clients may publish.
     *
     * @param data the message, JSON text
     */
    default Verdict onPublish(ClientInfo client, String channel, String data) {
        return Verdict.ALLOW;
    }

    /** A session was accepted. */
    default void onConnected(ClientInfo client) {}

    /** A connected session ended; {@code code} is the hub disconnect or WebSocket close code. */
    default void onDisconnected(ClientInfo client, int code, String reason) {}
}
