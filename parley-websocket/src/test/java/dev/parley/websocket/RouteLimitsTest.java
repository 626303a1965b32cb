package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Limits;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** A route with message limits of its own: they apply there, and the server's everywhere else. */
class RouteLimitsTest {
    @Test
    void eachRouteHasItsOwnMessageLimit() throws Exception {
        WebSocketHandler echo = new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession s, String text) {
                s.send(text);
            }
        };
        // The server's limit is 1,024 bytes (TestServers); /big takes 8,192, /small takes 100.
        WebSocketServer server = TestServers.start(TestServers.builder()
                .route("/default", echo)
                .route("/big", echo, new Limits(8192, 8192, 64))
                .route("/small", echo, new Limits(100, 100, 4)));
        try {
            String text2000 = "x".repeat(2000);
            try (RawClient big = RawClient.open(server.port(), "/big")) {
                big.sendText(text2000);
                assertThat(big.readFrame().text()).isEqualTo(text2000);
            }
            try (RawClient normal = RawClient.open(server.port(), "/default")) {
                normal.sendText("y".repeat(500));
                assertThat(normal.readFrame().text()).hasSize(500);
                normal.sendText(text2000);
                assertThat(normal.readFrame().closeCode()).isEqualTo(1009);
            }
            try (RawClient small = RawClient.open(server.port(), "/small")) {
                small.sendText("y".repeat(500));
                assertThat(small.readFrame().closeCode()).isEqualTo(1009);
            }
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }
}
