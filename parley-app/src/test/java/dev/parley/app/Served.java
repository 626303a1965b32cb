package dev.parley.app;

import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.io.IOException;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;

/** {@code parley serve} on 127.0.0.1 and a free port, with a client to talk to it, for tests. */
final class Served implements AutoCloseable {
    final ServeCommand serve = new ServeCommand();
    final WebSocketServer server;
    final WebSocketClient client = WebSocketClient.builder().build();

    private Served() throws IOException {
        new CommandLine(serve).parseArgs("--host", "127.0.0.1", "--port", "0");
        server = serve.build().start();
    }

    static Served start() throws IOException {
        return new Served();
    }

    URI uri(String scheme, String path) {
        return URI.create(scheme + "://127.0.0.1:" + server.port() + path);
    }

    /** Opens a WebSocket to {@code path}; every text message it receives goes to {@code received}. */
    WebSocketSession open(String path, BlockingQueue<String> received) throws Exception {
        return client.connect(uri("ws", path), new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession s, String text) {
                        received.add(text);
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }

    @Override
    public void close() {
        client.close();
        server.shutdown(Duration.ofSeconds(2));
        serve.hub.close();
    }
}
