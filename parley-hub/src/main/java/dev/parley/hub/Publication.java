package dev.parley.hub;

import java.util.Objects;

/**
 * One message in a channel's stream.
 *
 * @param channel the channel
 * @param offset its place in the channel, from 1, one more than the publication before it
 * @param data the message, a JSON value as text, passed on unchanged
 * @param info the publishing client, or {@code null} for publications made by server code
 * @param mid the publisher's message id (for idempotent retries), or {@code null}
 * @param time when the broker accepted it, epoch milliseconds
 */
public record Publication(String channel, long offset, String data, ClientInfo info, String mid, long time) {
    public Publication {
        Objects.requireNonNull(channel, "channel");
        Objects.requireNonNull(data, "data");
    }
}
