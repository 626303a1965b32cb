package dev.parley.hub.broker;

import dev.parley.hub.ChannelOptions;
import dev.parley.hub.ClientInfo;
import dev.parley.hub.StreamPosition;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * Where channels live: the broker gives every publication its offset, keeps the history, delivers
 * publications to every node that has subscribers, keeps presence, and remembers publishers'
 * message ids so that a retried publish is accepted once. The in-memory broker serves one node; a
 * broker on Redis serves many. The hub above works the same on either.
 *
 * <p>Guarantees a broker must give:
 *
 * <ul>
 *   <li>Per channel, offsets 1, 2, 3... within an epoch; a new epoch whenever history is lost.
 *   <li>A publish completes only once the publication has its offset and is in history (when the
 *       channel keeps history): an acknowledged publication is recoverable.
 *   <li>Every publication of a channel the node subscribed to reaches {@link BrokerListener} in
 *       offset order, once.
 *   <li>A read of history made after {@link #subscribeNode} completed, together with the
 *       publications delivered from then on, leaves no gap.
 * </ul>
 *
 * Methods may be called from any thread and must not block; they complete their stages later or at
 * once.
 */
public interface Broker extends AutoCloseable {
    /** Called once by the hub before anything else. */
    void start(BrokerListener listener);

    /**
     * Appends a publication to a channel.
     *
     * @param data the message, JSON text
     * @param info the publisher, or null for server code
     * @param mid the publisher's message id for idempotency, or null
     */
    CompletionStage<PublishResult> publish(
            String channel, ChannelOptions options, String data, ClientInfo info, String mid);

    /** From now on, deliver this channel's publications and presence events to this node. */
    CompletionStage<Void> subscribeNode(String channel);

    /** This node no longer has subscribers in the channel. */
    void unsubscribeNode(String channel);

    /**
     * Reads history: with {@code since} null, the latest {@code limit} publications; otherwise the
     * publications after {@code since}, at most {@code limit}. {@code limit} 0 reads only the top.
     */
    CompletionStage<HistoryResult> history(String channel, ChannelOptions options, StreamPosition since, int limit);

    CompletionStage<Void> addPresence(String channel, ChannelOptions options, ClientInfo info);

    CompletionStage<Void> removePresence(String channel, ChannelOptions options, ClientInfo info);

    CompletionStage<List<ClientInfo>> presence(String channel);

    /** Releases the broker's resources. */
    @Override
    void close();
}
