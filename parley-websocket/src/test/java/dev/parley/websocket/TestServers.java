package dev.parley.websocket;

import dev.parley.protocol.Limits;
import java.io.IOException;
import java.time.Duration;

/** Small limits so that every timeout in these tests fires within a second. */
final class TestServers {
    private TestServers() {}

    static ServerLimits fastLimits() {
        return ServerLimits.defaults()
                .withProtocol(new Limits(1024, 4096, 64))
                .withHandshakeTimeout(Duration.ofMillis(300))
                .withIdleTimeout(Duration.ofSeconds(5))
                .withPingInterval(Duration.ZERO)
                .withPongTimeout(Duration.ofMillis(200))
                .withCloseTimeout(Duration.ofMillis(300))
                .withMaxRequestBody(1024);
    }

    /** A builder on 127.0.0.1, a free port, one loop (so event order is deterministic). */
    static WebSocketServer.Builder builder() {
        return WebSocketServer.builder().host("127.0.0.1").port(0).eventLoops(1).limits(fastLimits());
    }

    static WebSocketServer start(WebSocketServer.Builder builder) throws IOException {
        return builder.build().start();
    }
}
