package dev.parley.websocket;

import dev.parley.websocket.internal.TlsTransport;
import dev.parley.websocket.internal.Transport;
import java.io.IOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.Objects;
import javax.net.ssl.SSLContext;

/**
 * TLS settings for a server (https, wss) or a client. Built from an {@link SSLContext}; see the
 * factory methods for PEM files and key stores. TLS 1.3 and 1.2 are enabled, nothing older.
 * Immutable and thread-safe.
 */
public final class TlsConfig {
    private final SSLContext context;

    private TlsConfig(SSLContext context) {
        this.context = Objects.requireNonNull(context, "context");
    }

    /** TLS from a ready context (key managers for a server, trust managers for a client). */
    public static TlsConfig of(SSLContext context) {
        return new TlsConfig(context);
    }

    /** The SSL context. */
    public SSLContext context() {
        return context;
    }

    /** Checks the settings at build time, so that a bad one fails before the server starts. */
    public void check() {
        context.createSSLEngine();
    }

    public static TlsConfig pem(java.nio.file.Path cert, java.nio.file.Path key) {
        throw new UnsupportedOperationException("TLS pending");
    }

    public static TlsConfig systemDefault() {
        throw new UnsupportedOperationException("TLS pending");
    }

    public Transport clientTransport(SocketChannel socket, String host, int port) {
        throw new UnsupportedOperationException("TLS pending");
    }

    /** The transport for an accepted socket (internal use). */
    public Transport serverTransport(SocketChannel socket, SelectionKey key) throws IOException {
        return TlsTransport.server(context, socket);
    }
}
