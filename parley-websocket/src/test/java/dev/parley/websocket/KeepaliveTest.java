package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Opcode;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Idle timeout (1001), keepalive pings, and the pong timeout (1006), against raw clients. */
class KeepaliveTest {
    private final Recorder handler = new Recorder();
    private WebSocketServer server;

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void idleClientIsClosedWith1001() throws Exception {
        server = TestServers.start(TestServers.builder()
                .limits(TestServers.fastLimits()
                        .withIdleTimeout(Duration.ofMillis(500))
                        .withPingInterval(Duration.ZERO))
                .route("/ws", handler));
        long started = System.nanoTime();
        try (RawClient client = RawClient.open(server.port(), "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            RawClient.Frame close = client.readFrame();
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            assertThat(close.closeCode()).isEqualTo(1001);
            assertThat(elapsed).isBetween(450L, 2_000L);
            client.sendClose(1001, "");
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(handler.next()).isEqualTo("close 1001 true");
        handler.assertExhausted();
    }

    @Test
    void clientThatAnswersPingsStaysConnectedPastSeveralIntervals() throws Exception {
        Recorder quiet = new Recorder("pong");
        server = TestServers.start(TestServers.builder()
                .limits(TestServers.fastLimits()
                        .withIdleTimeout(Duration.ofSeconds(5))
                        .withPingInterval(Duration.ofMillis(200))
                        .withPongTimeout(Duration.ofMillis(200)))
                .route("/ws", quiet));
        try (RawClient client = RawClient.open(server.port(), "/ws")) {
            assertThat(quiet.next()).isEqualTo("open");
            long started = System.nanoTime();
            for (int i = 0; i < 5; i++) {
                RawClient.Frame ping = client.readFrame();
                assertThat(ping.opcode()).isEqualTo(Opcode.PING);
                client.sendFrame(Opcode.PONG, true, ping.payload());
            }
            // Five intervals, each longer than the pong timeout: the session survived them all.
            assertThat((System.nanoTime() - started) / 1_000_000).isGreaterThanOrEqualTo(700L);
            client.sendText("still here");
            assertThat(quiet.next()).isEqualTo("text still here");
            client.sendClose(1000, "");
            assertThat(client.readFrameSkippingPings().closeCode()).isEqualTo(1000);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(quiet.next()).isEqualTo("close 1000 true");
        quiet.assertExhausted();
    }

    @Test
    void clientThatNeverAnswersPingsIsDroppedAfterThePongTimeout() throws Exception {
        server = TestServers.start(TestServers.builder()
                .limits(TestServers.fastLimits()
                        .withIdleTimeout(Duration.ofSeconds(5))
                        .withPingInterval(Duration.ofMillis(200))
                        .withPongTimeout(Duration.ofMillis(200)))
                .route("/ws", handler));
        try (RawClient client = RawClient.open(server.port(), "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            assertThat(client.readFrame().opcode()).isEqualTo(Opcode.PING);
            long pinged = System.nanoTime();
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat((System.nanoTime() - pinged) / 1_000_000).isBetween(150L, 1_500L);
            assertThat(client.framesReceived()).isEmpty(); // dropped, no close frame
        }
        assertThat(handler.next(2)).containsExactly("error 1006", "close 1006 false");
        handler.assertExhausted();
    }
}
