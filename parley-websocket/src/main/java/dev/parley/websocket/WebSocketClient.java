package dev.parley.websocket;

import dev.parley.protocol.connection.ConnectionConfig;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.PerMessageDeflate;
import dev.parley.protocol.handshake.ClientHandshake;
import dev.parley.protocol.handshake.ExtensionOffer;
import dev.parley.protocol.handshake.Headers;
import dev.parley.websocket.internal.ClientChannel;
import dev.parley.websocket.internal.EventLoop;
import dev.parley.websocket.internal.WebSocketChannel;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A WebSocket client on its own event loops. One client can hold many connections; create one per
 * application and {@link #close()} it at the end.
 *
 * <pre>{@code
 * try (WebSocketClient client = WebSocketClient.builder().build()) {
 *     WebSocketSession ws = client.connect(URI.create("ws://localhost:8080/echo"), handler).join();
 *     ws.send("hello");
 * }
 * }</pre>
 *
 * <p>Sessions follow the same model as on the server ({@link WebSocketSession}, {@link
 * WebSocketHandler}); handler calls run on the client's event loop. Thread-safe.
 */
public final class WebSocketClient implements AutoCloseable {
    private final EventLoop[] loops;
    private final AtomicInteger next = new AtomicInteger();
    private final ServerLimits limits;
    private final TlsConfig tls;

    private WebSocketClient(Builder b) {
        this.limits = b.limits;
        this.tls = b.tls;
        this.loops = new EventLoop[b.eventLoops];
        for (int i = 0; i < loops.length; i++) {
            loops[i] = new EventLoop("parley-client-" + i);
        }
    }

    public static Builder builder() {
        return new Builder();
    }

    /** Connects with no subprotocol, no compression and no extra headers. */
    public CompletableFuture<WebSocketSession> connect(URI uri, WebSocketHandler handler) {
        return connect(uri, ConnectOptions.defaults(), handler);
    }

    /**
     * Opens a WebSocket to a {@code ws://} or {@code wss://} URI. The future completes when the
     * handshake succeeds (the handler's {@code onOpen} runs first), or exceptionally with a {@link
     * WebSocketException} saying what failed.
     */
    public CompletableFuture<WebSocketSession> connect(URI uri, ConnectOptions options, WebSocketHandler handler) {
        Objects.requireNonNull(handler, "handler");
        List<ExtensionOffer> offers = new ArrayList<>();
        if (options.compression() != null) {
            offers.add(PerMessageDeflate.offer(options.compression()));
        }
        ClientHandshake handshake = new ClientHandshake(uri, options.subprotocols(), offers, options.headers());
        CompletableFuture<WebSocketSession> result = new CompletableFuture<>();
        TlsConfig transportTls = null;
        if (handshake.isSecure()) {
            transportTls = options.tls() != null ? options.tls() : tls != null ? tls : TlsConfig.systemDefault();
        }
        InetSocketAddress address = new InetSocketAddress(handshake.host(), handshake.port());
        if (address.isUnresolved()) {
            result.completeExceptionally(new WebSocketException(1006, "cannot resolve host " + handshake.host()));
            return result;
        }
        EventLoop loop = loops[Math.floorMod(next.getAndIncrement(), loops.length)];
        ClientChannel channel = new ClientChannel(
                loop,
                address,
                uri,
                handshake,
                options.compression(),
                transportTls,
                handler,
                ConnectionConfig.defaults().withLimits(limits.protocol()),
                new WebSocketChannel.SessionSettings(
                        limits.idleTimeout(),
                        limits.pingInterval(),
                        limits.pongTimeout(),
                        limits.closeTimeout(),
                        limits.maxOutboundBuffer(),
                        limits.overflowPolicy(),
                        ServerObserver.NONE),
                limits.handshakeTimeout().toNanos(),
                result);
        loop.execute(channel::start);
        return result;
    }

    /** Stops the client's loops; open sessions are dropped. Close them first for a clean end. */
    @Override
    public void close() {
        for (EventLoop loop : loops) {
            loop.shutdown();
        }
        for (EventLoop loop : loops) {
            try {
                loop.awaitTermination(5, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Per-connection choices. */
    public record ConnectOptions(List<String> subprotocols, Headers headers, DeflateConfig compression, TlsConfig tls) {
        public ConnectOptions {
            subprotocols = List.copyOf(subprotocols);
            Objects.requireNonNull(headers, "headers");
        }

        public static ConnectOptions defaults() {
            return new ConnectOptions(List.of(), Headers.empty(), null, null);
        }

        public ConnectOptions withSubprotocols(String... names) {
            return new ConnectOptions(List.of(names), headers, compression, tls);
        }

        public ConnectOptions withHeaders(Headers extra) {
            return new ConnectOptions(subprotocols, extra, compression, tls);
        }

        /** Offers permessage-deflate with these settings. */
        public ConnectOptions withCompression(DeflateConfig config) {
            return new ConnectOptions(subprotocols, headers, config, tls);
        }

        public ConnectOptions withTls(TlsConfig config) {
            return new ConnectOptions(subprotocols, headers, compression, config);
        }
    }

    /** Client settings. */
    public static final class Builder {
        private int eventLoops = 1;
        private ServerLimits limits = ServerLimits.defaults();
        private TlsConfig tls;

        /** Loops (threads) for the client's connections; default 1. */
        public Builder eventLoops(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("eventLoops must be >= 1: " + count);
            }
            this.eventLoops = count;
            return this;
        }

        /**
         * Session limits (message sizes, timeouts, keepalive, outbound buffer); the server-only
         * fields (connection counts, request bodies) are ignored.
         */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** TLS for wss URIs; default the JDK's trust store with hostname verification. */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        public WebSocketClient build() {
            return new WebSocketClient(this);
        }
    }
}
