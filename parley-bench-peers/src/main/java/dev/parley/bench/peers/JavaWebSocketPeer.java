package dev.parley.bench.peers;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.java_websocket.WebSocket;
import org.java_websocket.drafts.Draft;
import org.java_websocket.drafts.Draft_6455;
import org.java_websocket.extensions.permessage_deflate.PerMessageDeflateExtension;
import org.java_websocket.framing.CloseFrame;
import org.java_websocket.handshake.ClientHandshake;
import org.java_websocket.server.DefaultSSLWebSocketServerFactory;
import org.java_websocket.server.WebSocketServer;

/**
 * Java-WebSocket 1.6 with its defaults: one selector thread plus one decoder thread per core (the
 * constructor's default {@code decodercount}), {@code Draft_6455} with no frame size limit, its 60 s
 * connection-lost check (pings idle connections).
 *
 * <p>Changed from the defaults: {@code setReuseAddr(true)}, as the library's server examples do,
 * and {@code setTcpNoDelay(true)}, because every other peer has TCP_NODELAY on by default and Nagle's
 * delay would otherwise decide the latency scenario; permessage-deflate ({@link
 * PerMessageDeflateExtension}) only with {@code --deflate}; TLS through {@link
 * DefaultSSLWebSocketServerFactory}.
 *
 * <p>Broadcast: the library's own {@link WebSocketServer#broadcast(String, java.util.Collection)},
 * which frames a message once per draft, given the {@code /broadcast} connections but the sender.
 */
final class JavaWebSocketPeer implements PeerServer {
    private Server server;

    @Override
    public int start(PeerOptions options) throws Exception {
        Draft draft = options.deflate() ? new Draft_6455(new PerMessageDeflateExtension()) : new Draft_6455();
        server = new Server(new InetSocketAddress(PeerOptions.HOST, options.port()), List.of(draft));
        server.setReuseAddr(true);
        server.setTcpNoDelay(true);
        if (options.tls()) {
            server.setWebSocketFactory(
                    new DefaultSSLWebSocketServerFactory(PemTls.context(options.tlsCert(), options.tlsKey())));
        }
        server.start();
        if (!server.started.await(10, TimeUnit.SECONDS)) {
            throw new IllegalStateException("Java-WebSocket did not start within 10 s", server.failure);
        }
        if (server.failure != null) {
            throw new IllegalStateException("Java-WebSocket did not start", server.failure);
        }
        return server.getPort();
    }

    @Override
    public void stop() throws InterruptedException {
        if (server != null) {
            server.stop(3000);
        }
    }

    private static final class Server extends WebSocketServer {
        final CountDownLatch started = new CountDownLatch(1);
        volatile Exception failure;
        private final Set<WebSocket> broadcastClients = ConcurrentHashMap.newKeySet();

        Server(InetSocketAddress address, List<Draft> drafts) {
            super(address, Runtime.getRuntime().availableProcessors(), drafts);
        }

        @Override
        public void onStart() {
            started.countDown();
        }

        @Override
        public void onOpen(WebSocket conn, ClientHandshake handshake) {
            String path = conn.getResourceDescriptor();
            int query = path.indexOf('?');
            path = query < 0 ? path : path.substring(0, query);
            switch (path) {
                case "/echo" -> conn.setAttachment(Boolean.FALSE);
                case "/broadcast" -> {
                    conn.setAttachment(Boolean.TRUE);
                    broadcastClients.add(conn);
                }
                default -> conn.close(CloseFrame.POLICY_VALIDATION, "no such path");
            }
        }

        @Override
        public void onMessage(WebSocket conn, String message) {
            if (Boolean.TRUE.equals(conn.getAttachment())) {
                broadcast(message, others(conn));
            } else {
                conn.send(message);
            }
        }

        @Override
        public void onMessage(WebSocket conn, ByteBuffer message) {
            if (Boolean.TRUE.equals(conn.getAttachment())) {
                broadcast(message, others(conn));
            } else {
                conn.send(message);
            }
        }

        private List<WebSocket> others(WebSocket sender) {
            List<WebSocket> others = new ArrayList<>(broadcastClients.size());
            for (WebSocket c : broadcastClients) {
                if (c != sender) {
                    others.add(c);
                }
            }
            return others;
        }

        @Override
        public void onClose(WebSocket conn, int code, String reason, boolean remote) {
            broadcastClients.remove(conn);
        }

        @Override
        public void onError(WebSocket conn, Exception ex) {
            if (conn == null) { // the server itself failed, for instance to bind
                failure = ex;
                started.countDown();
            }
        }
    }
}
