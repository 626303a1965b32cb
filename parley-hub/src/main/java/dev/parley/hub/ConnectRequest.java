package dev.parley.hub;

import dev.parley.hub.transport.Transport;
import java.net.InetSocketAddress;
import java.util.Optional;

/**
 * A client's {@code connect}, as the connect hook sees it: its credentials, what software it is,
 * where it comes from, and the headers of the request that opened its transport.
 */
public final class ConnectRequest {
    private final String token;
    private final String clientName;
    private final String clientVersion;
    private final Transport transport;

    public ConnectRequest(String token, String clientName, String clientVersion, Transport transport) {
        this.token = token == null ? "" : token;
        this.clientName = clientName == null ? "" : clientName;
        this.clientVersion = clientVersion == null ? "" : clientVersion;
        this.transport = transport;
    }

    /** The {@code token} member, empty when absent. */
    public String token() {
        return token;
    }

    public String clientName() {
        return clientName;
    }

    public String clientVersion() {
        return clientVersion;
    }

    /** {@code websocket}, {@code sse}, {@code poll}. */
    public String transport() {
        return transport.name();
    }

    public InetSocketAddress remoteAddress() {
        return transport.remoteAddress();
    }

    /** A header of the request that opened the transport (a cookie, an Authorization). */
    public Optional<String> header(String name) {
        return transport.header(name);
    }
}
