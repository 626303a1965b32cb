package dev.parley.bench.peers;

import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.Message;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.net.PemKeyCertOptions;
import java.io.IOException;
import java.net.ServerSocket;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Vert.x 5 core, as its documentation scales a server: the native epoll transport ({@code
 * preferNativeTransport}, Netty's epoll jar is on the class path), the default event-loop pool (2
 * × cores), and one instance of the server verticle per core sharing the port (Vert.x round-robins
 * connections between them).
 *
 * <p>Changed from the defaults: WebSocket frames and messages up to {@link PeerOptions#MAX_MESSAGE}
 * (the defaults are 64 KiB and 256 KiB); permessage-deflate, on by default in Vert.x, only with
 * {@code --deflate}. TLS uses Vert.x's own {@link PemKeyCertOptions}.
 *
 * <p>Broadcast: Vert.x's publish/subscribe, the event bus. Each verticle instance keeps its own
 * {@code /broadcast} sockets (touched only on its event loop) and one local consumer; a message is
 * published once, with the sender's id in a header, and each instance writes it to its sockets but
 * the sender.
 */
final class VertxPeer implements PeerServer {
    private static final String ADDRESS = "peers.broadcast";
    private static final String FROM = "from";
    private static final AtomicLong IDS = new AtomicLong();

    private Vertx vertx;

    @Override
    public int start(PeerOptions options) throws Exception {
        int cores = Runtime.getRuntime().availableProcessors();
        vertx = Vertx.vertx(new VertxOptions().setPreferNativeTransport(true));
        if (!vertx.isNativeTransportEnabled()) {
            throw new IllegalStateException(
                    "Vert.x could not use the native transport", vertx.unavailableNativeTransportCause());
        }
        // Every instance must listen on the same port; with port 0 each would get its own.
        int port = options.port() == 0 ? freePort() : options.port();
        HttpServerOptions http = new HttpServerOptions()
                .setHost(PeerOptions.HOST)
                .setPort(port)
                .setMaxWebSocketFrameSize(PeerOptions.MAX_MESSAGE)
                .setMaxWebSocketMessageSize(PeerOptions.MAX_MESSAGE)
                .setPerMessageWebSocketCompressionSupported(options.deflate())
                .setPerFrameWebSocketCompressionSupported(false);
        if (options.tls()) {
            http.setSsl(true)
                    .setKeyCertOptions(new PemKeyCertOptions()
                            .setCertPath(options.tlsCert().toString())
                            .setKeyPath(options.tlsKey().toString()));
        }
        vertx.deployVerticle(() -> new Server(http), new DeploymentOptions().setInstances(cores))
                .toCompletionStage()
                .toCompletableFuture()
                .get(30, TimeUnit.SECONDS);
        return port;
    }

    @Override
    public void stop() throws Exception {
        if (vertx != null) {
            vertx.close().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        }
    }

    private static int freePort() throws IOException {
        try (ServerSocket probe = new ServerSocket(0, 1, java.net.InetAddress.getByName(PeerOptions.HOST))) {
            return probe.getLocalPort();
        }
    }

    /** One instance per core; each serves the connections Vert.x hands to its event loop. */
    private static final class Server extends VerticleBase {
        private final HttpServerOptions options;
        private final Map<String, ServerWebSocket> broadcastSockets = new HashMap<>();

        Server(HttpServerOptions options) {
            this.options = options;
        }

        @Override
        public Future<?> start() {
            vertx.eventBus().localConsumer(ADDRESS, this::deliver);
            return vertx.createHttpServer(options)
                    .webSocketHandler(this::accept)
                    .listen();
        }

        private void accept(ServerWebSocket ws) {
            switch (ws.path()) {
                case "/echo" -> {
                    ws.textMessageHandler(ws::writeTextMessage);
                    ws.binaryMessageHandler(ws::writeBinaryMessage);
                }
                case "/broadcast" -> {
                    String id = Long.toString(IDS.incrementAndGet());
                    broadcastSockets.put(id, ws);
                    ws.closeHandler(v -> broadcastSockets.remove(id));
                    DeliveryOptions from =
                            new DeliveryOptions().addHeader(FROM, id).setLocalOnly(true);
                    ws.textMessageHandler(text -> vertx.eventBus().publish(ADDRESS, text, from));
                    ws.binaryMessageHandler(data -> vertx.eventBus().publish(ADDRESS, data, from));
                }
                default -> ws.close((short) 1008, "no such path");
            }
        }

        private void deliver(Message<Object> message) {
            String from = message.headers().get(FROM);
            Object body = message.body();
            for (Map.Entry<String, ServerWebSocket> e : broadcastSockets.entrySet()) {
                if (e.getKey().equals(from)) {
                    continue;
                }
                if (body instanceof String text) {
                    e.getValue().writeTextMessage(text);
                } else {
                    e.getValue().writeBinaryMessage((Buffer) body);
                }
            }
        }
    }
}
