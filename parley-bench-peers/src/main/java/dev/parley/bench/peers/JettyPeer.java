package dev.parley.bench.peers;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;
import org.eclipse.jetty.server.handler.ContextHandler;
import org.eclipse.jetty.util.ssl.SslContextFactory;
import org.eclipse.jetty.websocket.api.Callback;
import org.eclipse.jetty.websocket.api.Session;
import org.eclipse.jetty.websocket.server.WebSocketUpgradeHandler;

/**
 * Jetty 12.1 with its own WebSocket API ({@code jetty-websocket-jetty-server}) on the core server,
 * with Jetty's defaults: the default {@code QueuedThreadPool}, one {@link ServerConnector} whose
 * acceptor and selector counts Jetty derives from the cores, auto-demanding listeners.
 *
 * <p>Changed from the defaults, as for every peer: messages and frames up to {@link
 * PeerOptions#MAX_MESSAGE} (Jetty's default is 64 KiB), and the WebSocket and connector idle
 * timeouts raised from 30 s to 10 min so that the idle-connection scenario measures connections
 * rather than Jetty closing them. Jetty negotiates permessage-deflate by default; without {@code
 * --deflate} the creator answers with no extensions.
 *
 * <p>Broadcast: Jetty has no broadcast facility; its documentation keeps the open sessions in a
 * set and sends to each. Here the set holds the {@code /broadcast} sessions and the sender is
 * skipped.
 *
 * <p>Public, with public endpoint classes: Jetty finds the listener methods by reflection.
 */
public final class JettyPeer implements PeerServer {
    private static final Duration IDLE_TIMEOUT = Duration.ofMinutes(10);
    private Server server;

    @Override
    public int start(PeerOptions options) throws Exception {
        server = new Server();
        ServerConnector connector;
        if (options.tls()) {
            SslContextFactory.Server ssl = new SslContextFactory.Server();
            ssl.setSslContext(PemTls.context(options.tlsCert(), options.tlsKey()));
            connector = new ServerConnector(server, ssl);
        } else {
            connector = new ServerConnector(server);
        }
        connector.setHost(PeerOptions.HOST);
        connector.setPort(options.port());
        connector.setIdleTimeout(IDLE_TIMEOUT.toMillis());
        server.addConnector(connector);
        Set<Session> broadcastSessions = ConcurrentHashMap.newKeySet();
        boolean deflate = options.deflate();
        ContextHandler context = new ContextHandler("/");
        WebSocketUpgradeHandler ws = WebSocketUpgradeHandler.from(server, context, container -> {
            container.setMaxTextMessageSize(PeerOptions.MAX_MESSAGE);
            container.setMaxBinaryMessageSize(PeerOptions.MAX_MESSAGE);
            container.setMaxFrameSize(PeerOptions.MAX_MESSAGE);
            container.setIdleTimeout(IDLE_TIMEOUT);
            container.addMapping("/echo", (request, response, callback) -> {
                if (!deflate) {
                    response.setExtensions(List.of());
                }
                return new Echo();
            });
            container.addMapping("/broadcast", (request, response, callback) -> {
                if (!deflate) {
                    response.setExtensions(List.of());
                }
                return new Broadcaster(broadcastSessions);
            });
        });
        context.setHandler(ws);
        server.setHandler(context);
        server.setStopTimeout(3000);
        server.start();
        return connector.getLocalPort();
    }

    @Override
    public void stop() throws Exception {
        if (server != null) {
            server.stop();
        }
    }

    /** Echoes each message; a binary one is released to Jetty once its echo is written. */
    public static final class Echo implements Session.Listener.AutoDemanding {
        private Session session;

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
        }

        @Override
        public void onWebSocketText(String text) {
            session.sendText(text, Callback.NOOP);
        }

        @Override
        public void onWebSocketBinary(ByteBuffer data, Callback callback) {
            session.sendBinary(data, callback);
        }
    }

    /** Sends each message to every other open session of {@code /broadcast}. */
    public static final class Broadcaster implements Session.Listener.AutoDemanding {
        private final Set<Session> sessions;
        private Session session;

        Broadcaster(Set<Session> sessions) {
            this.sessions = sessions;
        }

        @Override
        public void onWebSocketOpen(Session s) {
            session = s;
            sessions.add(s);
        }

        @Override
        public void onWebSocketText(String text) {
            for (Session other : sessions) {
                if (other != session && other.isOpen()) {
                    other.sendText(text, Callback.NOOP);
                }
            }
        }

        @Override
        public void onWebSocketBinary(ByteBuffer data, Callback callback) {
            // Jetty reuses the buffer once the callback completes: copy once, share read-only views.
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()).put(data).flip();
            callback.succeed();
            for (Session other : sessions) {
                if (other != session && other.isOpen()) {
                    other.sendBinary(copy.asReadOnlyBuffer(), Callback.NOOP);
                }
            }
        }

        @Override
        public void onWebSocketClose(int statusCode, String reason) {
            sessions.remove(session);
        }

        @Override
        public void onWebSocketError(Throwable cause) {
            sessions.remove(session);
        }
    }
}
