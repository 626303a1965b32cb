package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledForJreRange;
import org.junit.jupiter.api.condition.JRE;

/** Handlers on virtual threads may block, and each session's calls stay in order. */
class VirtualThreadHandlerTest {
    @Test
    @EnabledForJreRange(max = JRE.JAVA_20)
    void beforeJava21TheServerRefusesToBuild() {
        assertThatThrownBy(() -> WebSocketServer.builder()
                        .port(0)
                        .route("/x", new WebSocketHandler() {})
                        .virtualThreadHandlers(true)
                        .build())
                .isInstanceOf(UnsupportedOperationException.class)
                .hasMessageContaining("Java 21");
    }

    @Test
    @EnabledForJreRange(min = JRE.JAVA_21)
    void aBlockingHandlerKeepsOrderAndDoesNotStallOtherSessions() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .eventLoops(1)
                .virtualThreadHandlers(true)
                .route("/block", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession s, String text) {
                        if (text.equals("block")) {
                            try {
                                release.await(10, TimeUnit.SECONDS); // blocking is allowed here
                            } catch (InterruptedException e) {
                                Thread.currentThread().interrupt();
                            }
                        }
                        s.send(text);
                    }
                })
                .build()
                .start();
        try (WebSocketClient client = WebSocketClient.builder().build()) {
            LinkedBlockingQueue<String> first = new LinkedBlockingQueue<>();
            LinkedBlockingQueue<String> second = new LinkedBlockingQueue<>();
            WebSocketSession a = connect(client, server, first);
            WebSocketSession b = connect(client, server, second);
            a.send("block");
            a.send("after");
            b.send("independent");
            // The second session is served while the first one's handler blocks the only loop's work.
            assertThat(second.poll(10, TimeUnit.SECONDS)).isEqualTo("independent");
            assertThat(first.poll(100, TimeUnit.MILLISECONDS))
                    .as("still blocked")
                    .isNull();
            release.countDown();
            assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo("block");
            assertThat(first.poll(10, TimeUnit.SECONDS)).isEqualTo("after");
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    private static WebSocketSession connect(
            WebSocketClient client, WebSocketServer server, LinkedBlockingQueue<String> inbox) throws Exception {
        return client.connect(URI.create("ws://127.0.0.1:" + server.port() + "/block"), new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession s, String text) {
                        inbox.add(text);
                    }
                })
                .get(10, TimeUnit.SECONDS);
    }
}
