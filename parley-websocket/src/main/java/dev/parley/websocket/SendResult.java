package dev.parley.websocket;

/**
 * The outcome of a send. Sending never blocks; flow control is a return value, never an exception.
 */
public enum SendResult {
    /** Queued; the session's buffer is under its high-water mark. */
    SENT,
    /**
     * Queued, but the buffered output is now above the high-water mark: the peer is slower than
     * the sender. Hold further sends until {@link WebSocketHandler#onDrain} is called.
     */
    BACKPRESSURE,
    /**
     * Not queued: the session is closing or closed, or the message would take the buffered output
     * past {@link ServerLimits#maxOutboundBuffer()} under the {@link OverflowPolicy#REFUSE} policy.
     * An empty buffer always takes one message, however large, so the buffered output never
     * exceeds the larger of the limit and one message (plus one message per other thread sending
     * at the same instant: the check and the queueing are not one atomic step across threads).
     */
    DROPPED
}
