package dev.parley.hub;

import dev.parley.websocket.WebSocketServer;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.function.UnaryOperator;

/** A hub on a real WebSocket server at ws://127.0.0.1:PORT/hub, two event loops, for tests. */
final class HubServer implements AutoCloseable {
    final Hub hub;
    final WebSocketServer server;

    private HubServer(Hub hub, WebSocketServer server) {
        this.hub = hub;
        this.server = server;
    }

    static HubServer start() throws IOException {
        return start(b -> b);
    }

    /** Channels in namespace {@code chat} keep history, track presence and take client publishes. */
    static Hub.Builder defaults() {
        return Hub.builder()
                .namespace("chat", ChannelOptions.defaults().withPresence(true).withClientPublish(true))
                .namespace("open", ChannelOptions.defaults().withClientPublish(true))
                .commandRate(100_000, 100_000);
    }

    static HubServer start(UnaryOperator<Hub.Builder> configure) throws IOException {
        Hub hub = configure.apply(defaults()).build();
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .eventLoops(2)
                .route("/hub", hub.webSocketHandler())
                .build()
                .start();
        return new HubServer(hub, server);
    }

    URI uri() {
        return URI.create("ws://127.0.0.1:" + server.port() + "/hub");
    }

    @Override
    public void close() {
        hub.close();
        server.shutdown(Duration.ofSeconds(2));
    }
}
