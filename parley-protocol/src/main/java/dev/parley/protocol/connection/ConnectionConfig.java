package dev.parley.protocol.connection;

import dev.parley.protocol.Limits;
import java.util.Objects;

/**
 * How a {@link Connection} behaves, beyond its role.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>setting</th><th>default</th></tr>
 *   <tr><td>{@link #limits()}</td><td>{@link Limits#defaults()}</td></tr>
 *   <tr><td>{@link #streaming()}</td><td>false: whole messages</td></tr>
 *   <tr><td>{@link #autoPong()}</td><td>true</td></tr>
 *   <tr><td>{@link #autoCloseReply()}</td><td>true</td></tr>
 *   <tr><td>{@link #outboundFrameSize()}</td><td>0: each message in one frame</td></tr>
 * </table>
 *
 * @param limits size limits on what the peer sends
 * @param streaming deliver each data frame as it completes, as a {@code Text} or {@code Binary}
 *     piece with {@code last == false} until the final one, instead of assembling whole messages
 *     (memory is then bounded by the frame limit, not the message limit)
 * @param autoPong answer every ping with a pong carrying the same data (RFC 6455 §5.5.2); when
 *     several pings arrive before the output is taken, only the latest is answered (§5.5.3)
 * @param autoCloseReply answer a received close frame at once with a close frame echoing its code
 *     (RFC 6455 §5.5.1); when false the application must send the close itself
 * @param outboundFrameSize when positive, whole messages sent are split into frames carrying at
 *     most this many bytes (RFC 6455 §5.4)
 */
public record ConnectionConfig(
        Limits limits, boolean streaming, boolean autoPong, boolean autoCloseReply, int outboundFrameSize) {
    private static final ConnectionConfig DEFAULTS = new ConnectionConfig(Limits.defaults(), false, true, true, 0);

    public ConnectionConfig {
        Objects.requireNonNull(limits, "limits");
        if (outboundFrameSize < 0) {
            throw new IllegalArgumentException("outboundFrameSize must be >= 0: " + outboundFrameSize);
        }
    }

    /** The defaults above. */
    public static ConnectionConfig defaults() {
        return DEFAULTS;
    }

    public ConnectionConfig withLimits(Limits limits) {
        return new ConnectionConfig(limits, streaming, autoPong, autoCloseReply, outboundFrameSize);
    }

    public ConnectionConfig withStreaming(boolean streaming) {
        return new ConnectionConfig(limits, streaming, autoPong, autoCloseReply, outboundFrameSize);
    }

    public ConnectionConfig withAutoPong(boolean autoPong) {
        return new ConnectionConfig(limits, streaming, autoPong, autoCloseReply, outboundFrameSize);
    }

    public ConnectionConfig withAutoCloseReply(boolean autoCloseReply) {
        return new ConnectionConfig(limits, streaming, autoPong, autoCloseReply, outboundFrameSize);
    }

    public ConnectionConfig withOutboundFrameSize(int bytes) {
        return new ConnectionConfig(limits, streaming, autoPong, autoCloseReply, bytes);
    }
}
