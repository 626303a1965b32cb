package dev.parley.websocket;

import dev.parley.protocol.Limits;
import java.time.Duration;
import java.util.Objects;

/**
 * Every limit a server enforces, with defaults at least as strict as the strictest well-known
 * servers. Each can be changed with a {@code withX} copy.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>limit</th><th>default</th><th>when exceeded</th></tr>
 *   <tr><td>{@link #protocol()}: frame / message / fragments</td><td>1 MiB / 1 MiB / 4096</td><td>close 1009</td></tr>
 *   <tr><td>{@link #handshakeTimeout()}</td><td>10 s</td><td>connection closed (slow-drip handshakes too)</td></tr>
 *   <tr><td>{@link #idleTimeout()}</td><td>120 s without any frame from the peer</td><td>close 1001</td></tr>
 *   <tr><td>{@link #pingInterval()}</td><td>25 s (0 turns keepalive off)</td><td>a ping is sent</td></tr>
 *   <tr><td>{@link #pongTimeout()}</td><td>10 s after a keepalive ping</td><td>connection dropped (1006)</td></tr>
 *   <tr><td>{@link #closeTimeout()}</td><td>5 s for the peer's close reply</td><td>connection dropped</td></tr>
 *   <tr><td>{@link #maxOutboundBuffer()}</td><td>1 MiB per session</td><td>{@link #overflowPolicy()}</td></tr>
 *   <tr><td>{@link #overflowPolicy()}</td><td>{@link OverflowPolicy#REFUSE}</td><td></td></tr>
 *   <tr><td>{@link #maxConnections()}</td><td>100,000</td><td>503 to new handshakes</td></tr>
 *   <tr><td>{@link #maxConnectionsPerAddress()}</td><td>1,000</td><td>503 to new handshakes</td></tr>
 *   <tr><td>{@link #maxRequestBody()}</td><td>1 MiB (HTTP requests)</td><td>413</td></tr>
 * </table>
 */
public record ServerLimits(
        Limits protocol,
        Duration handshakeTimeout,
        Duration idleTimeout,
        Duration pingInterval,
        Duration pongTimeout,
        Duration closeTimeout,
        long maxOutboundBuffer,
        OverflowPolicy overflowPolicy,
        int maxConnections,
        int maxConnectionsPerAddress,
        long maxRequestBody) {

    private static final ServerLimits DEFAULTS = new ServerLimits(
            Limits.defaults(),
            Duration.ofSeconds(10),
            Duration.ofSeconds(120),
            Duration.ofSeconds(25),
            Duration.ofSeconds(10),
            Duration.ofSeconds(5),
            1L << 20,
            OverflowPolicy.REFUSE,
            100_000,
            1_000,
            1L << 20);

    public ServerLimits {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(overflowPolicy, "overflowPolicy");
        positive("handshakeTimeout", handshakeTimeout);
        positive("idleTimeout", idleTimeout);
        notNegative("pingInterval", pingInterval);
        positive("pongTimeout", pongTimeout);
        positive("closeTimeout", closeTimeout);
        if (maxOutboundBuffer < 1 || maxConnections < 1 || maxConnectionsPerAddress < 1 || maxRequestBody < 0) {
            throw new IllegalArgumentException("buffer and connection limits must be positive");
        }
    }

    private static void positive(String name, Duration d) {
        if (d.isNegative() || d.isZero()) {
            throw new IllegalArgumentException(name + " must be positive: " + d);
        }
    }

    private static void notNegative(String name, Duration d) {
        if (d.isNegative()) {
            throw new IllegalArgumentException(name + " must not be negative: " + d);
        }
    }

    /** The defaults in the table above. */
    public static ServerLimits defaults() {
        return DEFAULTS;
    }

    public ServerLimits withProtocol(Limits v) {
        return new ServerLimits(
                v,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withHandshakeTimeout(Duration v) {
        return new ServerLimits(
                protocol,
                v,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withIdleTimeout(Duration v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                v,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withPingInterval(Duration v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                v,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withPongTimeout(Duration v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                v,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withCloseTimeout(Duration v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                v,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withMaxOutboundBuffer(long v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                v,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withOverflowPolicy(OverflowPolicy v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                v,
                maxConnections,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withMaxConnections(int v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                v,
                maxConnectionsPerAddress,
                maxRequestBody);
    }

    public ServerLimits withMaxConnectionsPerAddress(int v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                v,
                maxRequestBody);
    }

    public ServerLimits withMaxRequestBody(long v) {
        return new ServerLimits(
                protocol,
                handshakeTimeout,
                idleTimeout,
                pingInterval,
                pongTimeout,
                closeTimeout,
                maxOutboundBuffer,
                overflowPolicy,
                maxConnections,
                maxConnectionsPerAddress,
                v);
    }
}
