package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** maxConnections and maxConnectionsPerAddress: 503 for the extra handshake, room again after a close. */
class ConnectionLimitsTest {
    private final Recorder handler = new Recorder();

    private void assertLimitOfTwo(ServerLimits limits, String rejection) throws Exception {
        WebSocketServer server =
                TestServers.start(TestServers.builder().limits(limits).route("/ws", handler));
        int port = server.port();
        try (RawClient first = RawClient.open(port, "/ws");
                RawClient second = RawClient.open(port, "/ws")) {
            assertThat(handler.next(2)).containsExactly("open", "open");
            try (RawClient third = RawClient.connect(port)) {
                third.send(RawClient.upgradeRequest("/ws", port));
                RawClient.Response r = third.readResponse();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.connectionClose()).isTrue();
                assertThat(third.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            }
            assertThat(server.rejections()).containsEntry(rejection, 1L);

            first.sendClose(1000, "");
            assertThat(first.readFrame().closeCode()).isEqualTo(1000);
            assertThat(first.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(handler.next()).isEqualTo("close 1000 true");

            // One loop: the slot was released before the next connection is adopted.
            try (RawClient again = RawClient.open(port, "/ws")) {
                assertThat(handler.next()).isEqualTo("open");
                again.sendClose(1000, "");
                assertThat(again.readFrame().closeCode()).isEqualTo(1000);
                assertThat(handler.next()).isEqualTo("close 1000 true");
            }
            second.sendClose(1000, "");
            assertThat(second.readFrame().closeCode()).isEqualTo(1000);
            assertThat(handler.next()).isEqualTo("close 1000 true");
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
        handler.assertExhausted();
    }

    @Test
    void maxConnectionsRefusesTheExtraHandshakeWith503() throws Exception {
        assertLimitOfTwo(TestServers.fastLimits().withMaxConnections(2), "503 over connection limit");
    }

    @Test
    void maxConnectionsPerAddressRefusesTheExtraHandshakeWith503() throws Exception {
        assertLimitOfTwo(TestServers.fastLimits().withMaxConnectionsPerAddress(2), "503 over connection limit");
    }
}
