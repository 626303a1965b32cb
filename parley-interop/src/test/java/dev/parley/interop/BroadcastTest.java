package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** A broadcast reaches every session of its route, compressed or not, and no other route. */
class BroadcastTest {
    @Test
    void broadcastReachesPlainAndCompressedSubscribersOfItsRouteOnly() throws Exception {
        CountDownLatch opened = new CountDownLatch(4);
        java.util.Map<String, WebSocketSession> serverSide = new java.util.concurrent.ConcurrentHashMap<>();
        WebSocketHandler counting = new WebSocketHandler() {
            @Override
            public void onOpen(WebSocketSession session) {
                serverSide.put(session.query(), session);
                opened.countDown();
            }
        };
        WebSocketServer server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .eventLoops(2)
                .compression(DeflateConfig.defaults())
                .route("/feed", counting)
                .route("/other", counting)
                .build()
                .start();
        try (WebSocketClient client = WebSocketClient.builder().eventLoops(2).build()) {
            List<LinkedBlockingQueue<String>> inboxes = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                LinkedBlockingQueue<String> inbox = new LinkedBlockingQueue<>();
                inboxes.add(inbox);
                WebSocketClient.ConnectOptions options = i % 2 == 0
                        ? WebSocketClient.ConnectOptions.defaults().withCompression(DeflateConfig.defaults())
                        : WebSocketClient.ConnectOptions.defaults();
                String path = i < 3 ? "/feed" : "/other";
                WebSocketSession s = client.connect(
                                URI.create("ws://127.0.0.1:" + server.port() + path + "?id=" + i),
                                options,
                                new WebSocketHandler() {
                                    @Override
                                    public void onText(WebSocketSession session, String text) {
                                        inbox.add(text);
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
                assertThat(s.isCompressed()).isEqualTo(i % 2 == 0);
            }
            assertThat(opened.await(10, TimeUnit.SECONDS)).isTrue();
            String big = "tick ".repeat(1000); // compressible and over the 256-byte threshold
            server.broadcast("/feed", big);
            server.broadcast("/feed", "small");
            for (int i = 0; i < 3; i++) {
                assertThat(inboxes.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo(big);
                assertThat(inboxes.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("small");
            }
            server.broadcast("/other", "marker");
            // A relay leaves out the sender: here the last /feed subscriber plays the sender.
            server.broadcast("/feed", "relayed", serverSide.get("id=2"));
            server.broadcast("/feed", "end");
            for (int i = 0; i < 2; i++) {
                assertThat(inboxes.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("relayed");
                assertThat(inboxes.get(i).poll(10, TimeUnit.SECONDS)).isEqualTo("end");
            }
            assertThat(inboxes.get(2).poll(10, TimeUnit.SECONDS))
                    .as("the sender is left out")
                    .isEqualTo("end");
            assertThat(inboxes.get(3).poll(10, TimeUnit.SECONDS))
                    .as("only its own route's messages")
                    .isEqualTo("marker");
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }
}
