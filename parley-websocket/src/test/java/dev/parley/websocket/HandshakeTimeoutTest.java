package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The handshake timeout (300 ms here) bounds the whole request, however it trickles in. */
class HandshakeTimeoutTest {
    private final Recorder handler = new Recorder();
    private WebSocketServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.builder().route("/ws", handler));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void slowDripHandshakeIsCutOffByTheHandshakeTimeout() throws Exception {
        byte[] request = RawClient.upgradeRequest("/ws", port).getBytes(StandardCharsets.ISO_8859_1);
        long started = System.nanoTime();
        int sent = 0;
        try (RawClient client = RawClient.connect(port)) {
            boolean closed = false;
            // One byte every 100 ms: each wait for the server's close is the drip's pause.
            for (; sent < request.length && !closed; sent++) {
                try {
                    client.send(new byte[] {request[sent]});
                } catch (java.io.IOException e) {
                    closed = true; // the server closed while we were writing
                    break;
                }
                closed = client.awaitClosedByServer(Duration.ofMillis(100));
            }
            assertThat(closed).as("closed before the request was complete").isTrue();
        }
        long elapsedMillis = (System.nanoTime() - started) / 1_000_000;
        assertThat(sent).isLessThan(request.length);
        assertThat(elapsedMillis).isBetween(250L, 2_000L);
        handler.assertExhausted();
        assertStillServing();
    }

    @Test
    void incompleteRequestThatStallsIsClosed() throws Exception {
        long started = System.nanoTime();
        try (RawClient client = RawClient.connect(port)) {
            client.send("GET /ws HTTP/1.1\r\nHost: 127.0.0.1\r\n");
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat((System.nanoTime() - started) / 1_000_000).isBetween(250L, 2_000L);
        handler.assertExhausted();
        assertStillServing();
    }

    @Test
    void silentConnectionIsClosed() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertStillServing();
    }

    private void assertStillServing() throws Exception {
        try (RawClient good = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            // A session is not subject to the handshake timeout.
            assertThat(good.silentFor(Duration.ofMillis(500))).isTrue();
            good.sendClose(1000, "");
            assertThat(good.readFrame().closeCode()).isEqualTo(1000);
            assertThat(handler.next()).isEqualTo("close 1000 true");
        }
        handler.assertExhausted();
    }
}
