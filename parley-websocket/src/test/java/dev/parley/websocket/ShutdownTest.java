package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;

/** Graceful shutdown: 1001 to every open session, within the timeout even if a peer never answers. */
class ShutdownTest {
    @Test
    void shutdownSends1001ToOpenSessionsAndReturnsWithinTheTimeout() throws Exception {
        Recorder handler = new Recorder();
        WebSocketServer server = TestServers.start(TestServers.builder()
                .eventLoops(2)
                .limits(TestServers.fastLimits().withCloseTimeout(Duration.ofSeconds(10)))
                .route("/ws", handler));
        int port = server.port();
        try (RawClient polite = RawClient.open(port, "/ws");
                RawClient deaf = RawClient.open(port, "/ws")) {
            assertThat(handler.next(2)).containsExactly("open", "open");
            AtomicBoolean politeSawEof = new AtomicBoolean();
            Thread answerer = new Thread(() -> {
                try {
                    // As a browser does: answer the close, wait for the server's end of the TCP
                    // connection (RFC 6455 §7.1.1, the server closes first), then close ours.
                    RawClient.Frame close = polite.readFrame();
                    polite.sendClose(close.closeCode(), "");
                    politeSawEof.set(polite.awaitClosedByServer(Duration.ofSeconds(2)));
                    polite.close();
                } catch (Exception e) {
                    // the assertions below will fail
                }
            });
            answerer.start();
            long started = System.nanoTime();
            server.shutdown(Duration.ofSeconds(1));
            long elapsed = (System.nanoTime() - started) / 1_000_000;
            answerer.join(5_000);
            assertThat(elapsed).isBetween(900L, 2_000L); // the deaf peer holds it to the timeout
            assertThat(deaf.readFrame().closeCode()).isEqualTo(1001);
            assertThat(deaf.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(politeSawEof).isTrue();
        }
        assertThat(handler.next()).isEqualTo("close 1001 true"); // at the polite peer's end, before the timeout
        assertThat(handler.next()).isEqualTo("close 1006 false"); // dropped when the loops stopped
        handler.assertExhausted();
        // No longer accepting.
        assertThat(server.sessionCount()).isZero();
    }

    @Test
    void shutdownReturnsEarlyWhenEverySessionAnswers() throws Exception {
        Recorder handler = new Recorder();
        WebSocketServer server = TestServers.start(TestServers.builder().route("/ws", handler));
        try (RawClient client = RawClient.open(server.port(), "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            Thread answerer = new Thread(() -> {
                try {
                    client.sendClose(client.readFrame().closeCode(), "");
                } catch (Exception e) {
                    // asserted below
                }
            });
            answerer.start();
            long started = System.nanoTime();
            server.shutdown(Duration.ofSeconds(5));
            assertThat((System.nanoTime() - started) / 1_000_000).isLessThan(2_000L);
            answerer.join(5_000);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(handler.next()).isEqualTo("close 1001 true");
        handler.assertExhausted();
    }
}
