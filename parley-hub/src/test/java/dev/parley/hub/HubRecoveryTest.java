package dev.parley.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * Recovery: a client that comes back with its last offset and epoch gets every publication it
 * missed, in order, before anything newer, or is told plainly that it cannot.
 */
class HubRecoveryTest {

    @Test
    void tenThousandPublicationsThroughRepeatedCutsArriveOnceEachInOrder() throws Exception {
        int total = 10_000;
        try (HubServer server = HubServer.start(
                b -> b.namespace("stream", ChannelOptions.defaults().withHistory(total, Duration.ofMinutes(5))))) {
            // The publisher runs at most 500 ahead of what the client has seen, so that the cuts
            // land mid-stream and recovery always has something to replay.
            Semaphore window = new Semaphore(500);
            Runnable publishing = () -> {
                try {
                    for (int n = 1; n <= total; n++) {
                        if (!window.tryAcquire(30, TimeUnit.SECONDS)) {
                            throw new IllegalStateException("the client stopped reading at " + n);
                        }
                        server.hub.publish("stream:s", "{\"n\":" + n + "}");
                    }
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            };
            CompletableFuture<Void> publisher = null;
            ExecutorService publisherThread = Executors.newSingleThreadExecutor(r -> new Thread(r, "test-publisher"));
            List<Integer> seen = new ArrayList<>(total);
            Random random = new Random(42);
            long offset = -1;
            String epoch = null;
            int cuts = 0;
            int recovered = 0;
            try {
                while (seen.size() < total) {
                    try (WireClient c = WireClient.open(server.uri())) {
                        String subs = offset < 0
                                ? "[{\"channel\":\"stream:s\"}]"
                                : "[{\"channel\":\"stream:s\",\"offset\":" + offset + ",\"epoch\":\"" + epoch + "\"}]";
                        JsonNode connected =
                                c.request("{\"type\":\"connect\",\"subscriptions\":" + subs + "}", "connected");
                        JsonNode sub = connected.path("subscriptions").get(0);
                        if (epoch != null) {
                            assertThat(sub.path("epoch").asText()).isEqualTo(epoch);
                            assertThat(sub.path("recovered").asBoolean())
                                    .as("recovered %s", sub)
                                    .isTrue();
                            for (JsonNode p : sub.path("publications")) {
                                offset = take(p, offset, seen, window);
                                recovered++;
                            }
                        } else {
                            epoch = sub.path("epoch").asText();
                            offset = sub.path("offset").asLong();
                            assertThat(offset).isZero();
                            // From the first subscription on, on a thread of its own: the common pool may
                            // have a single worker (two cores), which the JDK's WebSocket client needs to
                            // finish an opening handshake, and the publisher blocks while the window is full.
                            publisher = CompletableFuture.runAsync(publishing, publisherThread);
                        }
                        int cutAfter = seen.size() + 200 + random.nextInt(900);
                        while (seen.size() < Math.min(cutAfter, total)) {
                            JsonNode m = c.next("pub");
                            offset = take(m, offset, seen, window);
                        }
                        c.abort();
                        cuts++;
                    }
                }
                publisher.get(30, TimeUnit.SECONDS);
            } finally {
                publisherThread.shutdownNow();
            }
            assertThat(seen).hasSize(total);
            for (int i = 0; i < total; i++) {
                assertThat(seen.get(i)).as("publication %d", i + 1).isEqualTo(i + 1);
            }
            assertThat(cuts).isGreaterThanOrEqualTo(10);
            assertThat(recovered).as("publications replayed by recovery").isPositive();
            assertThat(server.hub.stats().recoveries()).isEqualTo(cuts - 1);
        }
    }

    /** Checks that a publication follows the last one with no gap, and records it. */
    private static long take(JsonNode p, long offset, List<Integer> seen, Semaphore window) {
        long next = p.path("offset").asLong();
        assertThat(next).as("offset after %d", offset).isEqualTo(offset + 1);
        seen.add(p.path("data").path("n").asInt());
        window.release();
        return next;
    }

    @Test
    void recoveryIsRefusedWhenMoreWasMissedThanTheHistoryKeeps() throws Exception {
        try (HubServer server = HubServer.start(
                        b -> b.namespace("short", ChannelOptions.defaults().withHistory(3, Duration.ofMinutes(5))));
                WireClient c = WireClient.connect(server.uri())) {
            JsonNode sub = c.request("{\"type\":\"subscribe\",\"channel\":\"short:x\"}", "subscribed");
            String epoch = sub.path("epoch").asText();
            c.request("{\"type\":\"unsubscribe\",\"channel\":\"short:x\"}", "unsubscribed");
            for (int i = 1; i <= 5; i++) {
                server.hub.publish("short:x", Integer.toString(i)).get();
            }
            JsonNode lost = c.request(
                    "{\"type\":\"subscribe\",\"channel\":\"short:x\",\"recover\":{\"offset\":1,\"epoch\":\"" + epoch
                            + "\"}}",
                    "subscribed");
            assertThat(lost.path("recovered").asBoolean()).isFalse();
            assertThat(lost.path("reason").asText()).isEqualTo("history_too_short");
            assertThat(lost.path("offset").asLong()).isEqualTo(5);
            assertThat(lost.has("publications")).isFalse();

            c.request("{\"type\":\"unsubscribe\",\"channel\":\"short:x\"}", "unsubscribed");
            JsonNode fits = c.request(
                    "{\"type\":\"subscribe\",\"channel\":\"short:x\",\"recover\":{\"offset\":2,\"epoch\":\"" + epoch
                            + "\"}}",
                    "subscribed");
            assertThat(fits.path("recovered").asBoolean()).isTrue();
            assertThat(fits.path("publications").findValuesAsText("offset")).containsExactly("3", "4", "5");
            assertThat(server.hub.stats().recoveryFailures()).isEqualTo(1);
        }
    }

    @Test
    void recoveryIsRefusedWhenTheEpochChanged() throws Exception {
        try (HubServer server = HubServer.start();
                WireClient c = WireClient.connect(server.uri())) {
            server.hub.publish("news", "1").get();
            JsonNode sub = c.request(
                    "{\"type\":\"subscribe\",\"channel\":\"news\",\"recover\":{\"offset\":1,\"epoch\":\"gone\"}}",
                    "subscribed");
            assertThat(sub.path("recovered").asBoolean()).isFalse();
            assertThat(sub.path("reason").asText()).isEqualTo("epoch_changed");
            assertThat(sub.path("epoch").asText()).isNotEqualTo("gone");
            assertThat(sub.path("offset").asLong()).isEqualTo(1);
        }
    }

    @Test
    void aRetriedPublishIsAcknowledgedAgainAndDeliveredOnce() throws Exception {
        try (HubServer server = HubServer.start();
                WireClient reader = WireClient.connect(server.uri())) {
            reader.request("{\"type\":\"subscribe\",\"channel\":\"open:r\"}", "subscribed");
            String publish = "{\"type\":\"publish\",\"channel\":\"open:r\",\"mid\":\"retry-1\",\"data\":\"once\"}";
            long firstOffset;
            try (WireClient writer = WireClient.connect(server.uri())) {
                firstOffset = writer.request(publish, "ack").path("offset").asLong();
                writer.abort(); // as if the ack had been lost with the connection
            }
            try (WireClient again = WireClient.connect(server.uri())) {
                JsonNode ack = again.request(publish, "ack");
                assertThat(ack.path("offset").asLong()).isEqualTo(firstOffset);
                assertThat(ack.path("duplicate").asBoolean()).isTrue();
                JsonNode other = again.request(
                        "{\"type\":\"publish\",\"channel\":\"open:r\",\"mid\":\"retry-2\",\"data\":\"next\"}", "ack");
                assertThat(other.path("offset").asLong()).isEqualTo(firstOffset + 1);
            }
            assertThat(reader.next("pub").path("data").asText()).isEqualTo("once");
            assertThat(reader.next("pub").path("data").asText()).isEqualTo("next");
            reader.request("{\"type\":\"ping\"}", "pong");
            assertThat(reader.nothingReceived()).isTrue();
        }
    }

    @Test
    void theSameMidFromAnotherUserIsAnotherPublication() throws Exception {
        HubHooks users = new HubHooks() {
            @Override
            public ConnectDecision onConnect(ConnectRequest request) {
                return ConnectDecision.accept(request.token());
            }
        };
        try (HubServer server = HubServer.start(b -> b.hooks(users));
                WireClient alice = WireClient.open(server.uri());
                WireClient bob = WireClient.open(server.uri())) {
            alice.request("{\"type\":\"connect\",\"token\":\"alice\"}", "connected");
            bob.request("{\"type\":\"connect\",\"token\":\"bob\"}", "connected");
            String publish = "{\"type\":\"publish\",\"channel\":\"open:u\",\"mid\":\"1\",\"data\":0}";
            assertThat(alice.request(publish, "ack").path("offset").asLong()).isEqualTo(1);
            JsonNode second = bob.request(publish, "ack");
            assertThat(second.path("offset").asLong()).isEqualTo(2);
            assertThat(second.has("duplicate")).isFalse();
        }
    }
}
