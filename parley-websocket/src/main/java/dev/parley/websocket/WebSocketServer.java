package dev.parley.websocket;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.frame.TextEncoding;
import dev.parley.websocket.internal.Broadcast;
import dev.parley.websocket.internal.Buffers;
import dev.parley.websocket.internal.ServerCore;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * A WebSocket and HTTP/1.1 server on {@code java.nio} event loops.
 *
 * <pre>{@code
 * WebSocketServer server = WebSocketServer.builder()
 *         .port(8080)
 *         .route("/echo", new WebSocketHandler() {
 *             public void onText(WebSocketSession s, String text) { s.send(text); }
 *         })
 *         .http("/health", exchange -> exchange.respond(200, "text/plain", "ok\n"))
 *         .build()
 *         .start();
 * }</pre>
 *
 * <p>Lifecycle: {@link #start()} binds and starts the loops; {@link #shutdown(Duration)} stops
 * accepting, closes every session with 1001 and waits for them, up to the given time. Each
 * connection belongs to one loop for life. Methods may be called from any thread.
 */
public final class WebSocketServer implements AutoCloseable {
    private final ServerCore core;

    private WebSocketServer(ServerCore core) {
        this.core = core;
    }

    /** A builder with the defaults: port 8080 on all interfaces, one loop per core. */
    public static Builder builder() {
        return new Builder();
    }

    /** Binds the port and starts serving. */
    public WebSocketServer start() throws IOException {
        core.start();
        return this;
    }

    /** The bound port (useful with port 0). */
    public int port() {
        return core.port();
    }

    /** The bound address. */
    public InetSocketAddress address() {
        return core.address();
    }

    /**
     * Refused handshakes and requests so far, by "status reason" (for example {@code "403 origin
     * refused"}), for metrics.
     */
    public java.util.Map<String, Long> rejections() {
        return core.rejections().snapshot();
    }

    /**
     * The socket layer the started server runs on: {@code "epoll"} when the optional
     * {@code parley-epoll} module is on the class or module path and works on this machine (Linux),
     * otherwise {@code "nio"} ({@code java.nio}). The system property {@code parley.io=nio} keeps
     * the server on {@code java.nio}. Both behave the same; the native one keeps less memory per
     * connection (docs/websocket.md).
     */
    public String io() {
        return core.io();
    }

    /** The number of open WebSocket sessions. */
    public int sessionCount() {
        return core.sessionCount();
    }

    /**
     * Sends a text message to every open session of a route: the frame is built once and its bytes
     * shared by every recipient, and compressed once for every session that negotiated
     * permessage-deflate, unless its compressor keeps its context for good ({@code
     * DeflateConfig.Sharing.DEDICATED}). Sessions whose buffer is full are skipped.
     *
     * @return the number of sessions the message was queued for, counted as it is handed to the
     *     loops (a session may close meanwhile)
     */
    public int broadcast(String route, String text) {
        return core.broadcast(route, new Broadcast(Opcode.TEXT, ByteBuffer.wrap(TextEncoding.encode(text))));
    }

    /**
     * Sends a text message to every open session of a route except one (typically the sender, for
     * a relay); see {@link #broadcast(String, String)}.
     */
    public int broadcast(String route, String text, WebSocketSession except) {
        return core.broadcast(route, new Broadcast(Opcode.TEXT, ByteBuffer.wrap(TextEncoding.encode(text))), except);
    }

    /** Sends a binary message to every open session of a route except one; see {@link #broadcast(String, String)}. */
    public int broadcast(String route, ByteBuffer data, WebSocketSession except) {
        return core.broadcast(route, new Broadcast(Opcode.BINARY, Buffers.copyOf(data)), except);
    }

    /** Sends a binary message to every open session of a route; see {@link #broadcast(String, String)}. */
    public int broadcast(String route, ByteBuffer data) {
        return core.broadcast(route, new Broadcast(Opcode.BINARY, Buffers.copyOf(data)));
    }

    /**
     * Stops accepting, closes every session with 1001 (going away), lets their output drain and
     * stops the loops, within {@code timeout}; connections still open then are dropped.
     */
    public void shutdown(Duration timeout) {
        core.shutdown(timeout);
    }

    /** {@link #shutdown(Duration)} with 5 seconds. */
    @Override
    public void close() {
        shutdown(Duration.ofSeconds(5));
    }

    /** Settings of a server; every one has a default. Not thread-safe. */
    public static final class Builder {
        private ServerObserver observer = ServerObserver.NONE;
        private final Map<String, dev.parley.protocol.Limits> routeLimits = new java.util.HashMap<>();
        private String host = "0.0.0.0";
        private int port = 8080;
        private int eventLoops = Runtime.getRuntime().availableProcessors();
        private final Map<String, WebSocketHandler> routes = new LinkedHashMap<>();
        private final Map<String, HttpHandler> httpRoutes = new LinkedHashMap<>();
        private ServerLimits limits = ServerLimits.defaults();
        private OriginPolicy originPolicy = OriginPolicy.sameOrigin();
        private final List<String> subprotocols = new ArrayList<>();
        private DeflateConfig compression;
        private TlsConfig tls;
        private boolean virtualThreadHandlers;

        private Builder() {}

        /** The address to bind; default {@code 0.0.0.0}. */
        public Builder host(String host) {
            this.host = Objects.requireNonNull(host, "host");
            return this;
        }

        /** The port; 0 picks a free one. Default 8080. */
        public Builder port(int port) {
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException("port out of range: " + port);
            }
            this.port = port;
            return this;
        }

        /** How many event loops (threads) serve connections; default one per core. */
        public Builder eventLoops(int count) {
            if (count < 1) {
                throw new IllegalArgumentException("eventLoops must be >= 1: " + count);
            }
            this.eventLoops = count;
            return this;
        }

        /** Serves WebSockets on an exact path. */
        public Builder route(String path, WebSocketHandler handler) {
            checkPath(path);
            routes.put(path, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        /**
         * Serves WebSockets on an exact path with message limits of its own, in place of {@link
         * ServerLimits#protocol()}: an echo endpoint may take 64 MiB messages while a chat route next
         * to it takes 64 KiB.
         */
        public Builder route(String path, WebSocketHandler handler, dev.parley.protocol.Limits messageLimits) {
            route(path, handler);
            routeLimits.put(path, Objects.requireNonNull(messageLimits, "messageLimits"));
            return this;
        }

        /** Serves plain HTTP on an exact path. */
        public Builder http(String path, HttpHandler handler) {
            checkPath(path);
            httpRoutes.put(path, Objects.requireNonNull(handler, "handler"));
            return this;
        }

        private void checkPath(String path) {
            if (!path.startsWith("/")) {
                throw new IllegalArgumentException("a path starts with '/': " + path);
            }
            if (routes.containsKey(path) || httpRoutes.containsKey(path)) {
                throw new IllegalArgumentException("path already routed: " + path);
            }
        }

        /** Limits; see {@link ServerLimits} for the defaults. */
        public Builder limits(ServerLimits limits) {
            this.limits = Objects.requireNonNull(limits, "limits");
            return this;
        }

        /** Which browser origins may connect; default {@link OriginPolicy#sameOrigin()}. */
        public Builder originPolicy(OriginPolicy policy) {
            this.originPolicy = Objects.requireNonNull(policy, "policy");
            return this;
        }

        /** Subprotocols the server speaks, in its order; the client's first supported one wins. */
        public Builder subprotocols(String... names) {
            subprotocols.addAll(List.of(names));
            return this;
        }

        /**
         * Negotiates permessage-deflate (RFC 7692) with clients that offer it, with these settings;
         * {@code null}, the default, turns it off.
         */
        public Builder compression(DeflateConfig config) {
            this.compression = config;
            return this;
        }

        /** Serves https and wss instead of http and ws. */
        public Builder tls(TlsConfig tls) {
            this.tls = Objects.requireNonNull(tls, "tls");
            return this;
        }

        /**
         * Runs WebSocket handler calls on virtual threads (Java 21+), one session's calls in order,
         * for handlers that block. Off by default: handlers run on the event loop.
         *
         * <p>On Java versions without virtual threads, {@link #build()} throws {@link
         * UnsupportedOperationException}.
         */
        public Builder virtualThreadHandlers(boolean enabled) {
            this.virtualThreadHandlers = enabled;
            return this;
        }

        /**
         * Who hears of refused requests, sessions, messages and bytes, for metrics and audit logs
         * (default: nobody). See {@link ServerObserver} for its threading rules.
         */
        public Builder observer(ServerObserver observer) {
            this.observer = java.util.Objects.requireNonNull(observer, "observer");
            return this;
        }

        /** The server, not yet started. */
        public WebSocketServer build() {
            return new WebSocketServer(new ServerCore(new ServerCore.Settings(
                    host,
                    port,
                    eventLoops,
                    Map.copyOf(routes),
                    Map.copyOf(httpRoutes),
                    limits,
                    originPolicy,
                    List.copyOf(subprotocols),
                    compression,
                    tls,
                    virtualThreadHandlers,
                    observer,
                    Map.copyOf(routeLimits))));
        }
    }
}
