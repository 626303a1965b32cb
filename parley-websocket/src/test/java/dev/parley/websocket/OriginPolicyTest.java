package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

/** {@link OriginPolicy#allowList} over a real socket: listed origins in, others out with 403. */
class OriginPolicyTest {
    @Test
    void allowListAdmitsListedOriginsAndRefusesOthers() throws Exception {
        Recorder handler = new Recorder();
        WebSocketServer server = TestServers.start(TestServers.builder()
                .route("/ws", handler)
                .originPolicy(OriginPolicy.allowList("https://app.example.com")));
        try {
            int port = server.port();
            try (RawClient listed = RawClient.connect(port)) {
                listed.send(RawClient.upgradeRequest("/ws", port, "Origin: https://APP.example.com"));
                assertThat(listed.readHead().status()).isEqualTo(101);
                assertThat(handler.next()).isEqualTo("open");
                listed.sendClose(1000, "");
                assertThat(listed.readFrame().closeCode()).isEqualTo(1000);
                assertThat(handler.next()).isEqualTo("close 1000 true");
            }
            try (RawClient other = RawClient.connect(port)) {
                other.send(RawClient.upgradeRequest("/ws", port, "Origin: https://evil.example.com"));
                RawClient.Response r = other.readResponse();
                assertThat(r.status()).isEqualTo(403);
                assertThat(r.connectionClose()).isTrue();
                assertThat(other.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            }
            try (RawClient same = RawClient.connect(port)) {
                same.send(RawClient.upgradeRequest("/ws", port, "Origin: http://127.0.0.1:" + port));
                assertThat(same.readHead().status()).isEqualTo(101);
                assertThat(handler.next()).isEqualTo("open");
            }
            assertThat(handler.next()).isEqualTo("close 1006 false");
            handler.assertExhausted();
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }
}
