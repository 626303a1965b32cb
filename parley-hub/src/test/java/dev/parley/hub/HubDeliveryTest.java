package dev.parley.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/** Ordering under concurrent publishers, slow consumers, and the server's heartbeat. */
class HubDeliveryTest {

    @Test
    void concurrentPublishersGetOneTotalOrderThatEverySubscriberSees() throws Exception {
        int publishers = 4;
        int each = 500;
        try (HubServer server = HubServer.start()) {
            List<WireClient> readers = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                WireClient r = WireClient.connect(server.uri());
                r.request("{\"type\":\"subscribe\",\"channel\":\"open:order\"}", "subscribed");
                readers.add(r);
            }
            List<Thread> threads = new ArrayList<>();
            List<WireClient> writers = new ArrayList<>();
            for (int p = 0; p < publishers; p++) {
                WireClient w = WireClient.connect(server.uri());
                writers.add(w);
                int id = p;
                Thread t = new Thread(() -> {
                    for (int n = 0; n < each; n++) {
                        w.send("{\"type\":\"publish\",\"channel\":\"open:order\",\"data\":{\"p\":" + id + ",\"n\":" + n
                                + "}}");
                    }
                });
                threads.add(t);
            }
            threads.forEach(Thread::start);
            for (Thread t : threads) {
                t.join();
            }
            List<String> first = null;
            for (WireClient r : readers) {
                List<String> order = new ArrayList<>();
                Map<Integer, Integer> lastPerPublisher = new HashMap<>();
                for (int i = 1; i <= publishers * each; i++) {
                    JsonNode pub = r.next("pub");
                    assertThat(pub.path("offset").asLong()).isEqualTo(i);
                    int p = pub.path("data").path("p").asInt();
                    int n = pub.path("data").path("n").asInt();
                    // Each publisher's messages keep the order it sent them in.
                    assertThat(n).isEqualTo(lastPerPublisher.getOrDefault(p, -1) + 1);
                    lastPerPublisher.put(p, n);
                    order.add(p + "/" + n);
                }
                if (first == null) {
                    first = order;
                } else {
                    assertThat(order).isEqualTo(first);
                }
            }
            for (WireClient w : writers) {
                int acks = 0;
                while (acks < each) {
                    if (w.next().path("type").asText().equals("ack")) {
                        acks++;
                    }
                }
                w.close();
            }
            readers.forEach(WireClient::close);
        }
    }

    @Test
    void aSlowConsumerIsDisconnectedAndRecoversEverything() throws Exception {
        int total = 300;
        String payload = "\"" + "p".repeat(60_000) + "\"";
        try (HubServer server = HubServer.start(b -> b.maxQueuedBytes(256 * 1024)
                        .namespace("feed", ChannelOptions.defaults().withHistory(1000, Duration.ofMinutes(5))));
                WireClient slow = WireClient.connect(server.uri())) {
            JsonNode sub = slow.request("{\"type\":\"subscribe\",\"channel\":\"feed:x\"}", "subscribed");
            String epoch = sub.path("epoch").asText();
            slow.pause();
            for (int i = 0; i < total; i++) {
                server.hub.publish("feed:x", payload).get();
            }
            // 18 MB for a reader that reads nothing: more than the socket buffers and the bound.
            slow.resume();
            long offset = 0;
            JsonNode m;
            while ((m = slow.next()).path("type").asText().equals("pub")) {
                assertThat(m.path("offset").asLong()).isEqualTo(offset + 1);
                offset++;
            }
            assertThat(m.path("type").asText()).isEqualTo("disconnect");
            assertThat(m.path("code").asInt()).isEqualTo(3001);
            assertThat(m.path("reconnect").asBoolean()).isTrue();
            assertThat(offset).isLessThan(total);
            assertThat(server.hub.stats().slowConsumers()).isEqualTo(1);

            try (WireClient back = WireClient.open(server.uri())) {
                JsonNode connected = back.request(
                        "{\"type\":\"connect\",\"subscriptions\":[{\"channel\":\"feed:x\",\"offset\":" + offset
                                + ",\"epoch\":\"" + epoch + "\"}]}",
                        "connected");
                JsonNode recovered = connected.path("subscriptions").get(0);
                assertThat(recovered.path("recovered").asBoolean()).isTrue();
                for (JsonNode p : recovered.path("publications")) {
                    assertThat(p.path("offset").asLong()).isEqualTo(offset + 1);
                    offset++;
                }
                assertThat(offset).isEqualTo(total);
            }
        }
    }

    @Test
    void aClientThatStopsAnsweringPingsIsDisconnected() throws Exception {
        try (HubServer server = HubServer.start(b -> b.heartbeat(Duration.ofMillis(200), Duration.ofMillis(200)));
                WireClient c = WireClient.connect(server.uri())) {
            assertThat(c.next().path("type").asText()).isEqualTo("ping");
            c.send("{\"type\":\"pong\"}");
            assertThat(c.next().path("type").asText()).isEqualTo("ping");
            // No pong this time.
            JsonNode d = c.next();
            assertThat(d.path("type").asText()).isEqualTo("disconnect");
            assertThat(d.path("code").asInt()).isEqualTo(3002);
            assertThat(d.path("reconnect").asBoolean()).isTrue();
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(3002);
        }
    }
}
