package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.handshake.Headers;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * What a server session keeps of its handshake request: every field but those spent on the
 * upgrade, and the route's own path string.
 */
class SessionHeadersTest {

    @Test
    void aSessionKeepsTheRequestFieldsButNotThoseSpentOnTheUpgrade() throws Exception {
        String route = new String("/chat"); // a string of its own, to tell it from the request's
        CompletableFuture<WebSocketSession> opened = new CompletableFuture<>();
        WebSocketServer server = TestServers.start(TestServers.builder()
                .subprotocols("chat")
                .compression(DeflateConfig.defaults())
                .route(route, new WebSocketHandler() {
                    @Override
                    public void onOpen(WebSocketSession session) {
                        opened.complete(session);
                    }
                }));
        try (RawClient client = RawClient.connect(server.port())) {
            client.send(RawClient.upgradeRequest(
                    "/chat?room=1",
                    server.port(),
                    "Cookie: id=42",
                    "Sec-WebSocket-Protocol: chat, token.abc",
                    "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits",
                    "X-Trace: t1"));
            assertThat(client.readHead().status()).isEqualTo(101);
            WebSocketSession session = opened.get(5, TimeUnit.SECONDS);
            Headers headers = session.headers();

            assertThat(session.isCompressed()).isTrue();
            assertThat(session.subprotocol()).isEqualTo("chat");
            assertThat(headers.names()).containsExactly("Host", "Cookie", "Sec-WebSocket-Protocol", "X-Trace");
            assertThat(headers.first("cookie")).isEqualTo("id=42");
            assertThat(headers.first("Sec-WebSocket-Protocol")).isEqualTo("chat, token.abc");
            assertThat(headers.first("x-trace")).isEqualTo("t1");
            assertThat(session.path()).isEqualTo("/chat").isSameAs(route);
            assertThat(session.query()).isEqualTo("room=1");
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }
}
