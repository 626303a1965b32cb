package dev.parley.hub.internal;

import dev.parley.hub.StreamPosition;
import java.util.List;

/** A command from a client, as parsed from its JSON (docs/PROTOCOL.md). {@code id} is 0 when absent. */
public sealed interface Command {
    long id();

    record Connect(
            long id, int version, String token, String clientName, String clientVersion, List<Subscribe> subscriptions)
            implements Command {}

    /** {@code recover} is null for a subscription that asks for no recovery. */
    record Subscribe(long id, String channel, StreamPosition recover) implements Command {}

    record Unsubscribe(long id, String channel) implements Command {}

    /** {@code data} is the JSON value as text; {@code mid} may be null. */
    record Publish(long id, String channel, String data, String mid) implements Command {}

    record Presence(long id, String channel) implements Command {}

    /** {@code since} is null to read the latest publications. */
    record History(long id, String channel, StreamPosition since, int limit) implements Command {}

    /** A client ping: with an id it asks for a pong. */
    record Ping(long id) implements Command {}

    /** The answer to the server's heartbeat ping. */
    record Pong(long id) implements Command {}
}
