package dev.parley.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Every command of docs/PROTOCOL.md against a real hub, answered as the document says. */
class HubProtocolTest {
    private HubServer server;

    @BeforeEach
    void start() throws Exception {
        server = HubServer.start();
    }

    @AfterEach
    void stop() {
        server.close();
    }

    @Test
    void connectReplyNamesTheClientAndTheHeartbeat() throws Exception {
        try (WireClient c = WireClient.open(server.uri())) {
            JsonNode reply = c.request(
                    "{\"type\":\"connect\",\"version\":1,\"client\":{\"name\":\"t\",\"version\":\"9\"}}", "connected");
            assertThat(reply.path("version").asInt()).isEqualTo(1);
            assertThat(reply.path("client").asText()).isNotEmpty();
            assertThat(reply.path("user").asText()).isEmpty();
            assertThat(reply.path("ping").asLong()).isEqualTo(25_000);
            assertThat(reply.path("pong").asLong()).isEqualTo(10_000);
        }
    }

    @Test
    void publishIsAcknowledgedWithItsOffsetAndDeliveredToSubscribers() throws Exception {
        try (WireClient alice = WireClient.connect(server.uri());
                WireClient bob = WireClient.connect(server.uri())) {
            JsonNode sub = bob.request("{\"type\":\"subscribe\",\"channel\":\"chat:lobby\"}", "subscribed");
            assertThat(sub.path("offset").asLong()).isZero();
            assertThat(sub.path("recoverable").asBoolean()).isTrue();
            assertThat(sub.has("publications")).isFalse();
            String epoch = sub.path("epoch").asText();

            JsonNode ack = alice.request(
                    "{\"type\":\"publish\",\"channel\":\"chat:lobby\",\"mid\":\"m1\",\"data\":{\"text\":\"hi\",\"n\":1.50}}",
                    "ack");
            assertThat(ack.path("offset").asLong()).isEqualTo(1);
            assertThat(ack.path("epoch").asText()).isEqualTo(epoch);
            assertThat(ack.path("mid").asText()).isEqualTo("m1");
            assertThat(ack.has("duplicate")).isFalse();

            assertThat(bob.next("join").path("info").path("client").asText()).isNotEmpty(); // bob's own
            JsonNode pub = bob.next("pub");
            assertThat(pub.path("channel").asText()).isEqualTo("chat:lobby");
            assertThat(pub.path("offset").asLong()).isEqualTo(1);
            assertThat(pub.path("data").toString()).isEqualTo("{\"text\":\"hi\",\"n\":1.50}");
            assertThat(pub.path("info").path("client").asText()).isNotEmpty();
            assertThat(pub.path("mid").asText()).isEqualTo("m1");
        }
    }

    @Test
    void serverCodePublishesWithoutPublisherInfo() throws Exception {
        try (WireClient bob = WireClient.connect(server.uri())) {
            bob.request("{\"type\":\"subscribe\",\"channel\":\"news\"}", "subscribed");
            StreamPosition p = server.hub.publish("news", "[1,2,3]").get();
            assertThat(p.offset()).isEqualTo(1);
            JsonNode pub = bob.next("pub");
            assertThat(pub.path("data").toString()).isEqualTo("[1,2,3]");
            assertThat(pub.has("info")).isFalse();
        }
    }

    @Test
    void unsubscribeStopsDelivery() throws Exception {
        try (WireClient bob = WireClient.connect(server.uri())) {
            bob.request("{\"type\":\"subscribe\",\"channel\":\"news\"}", "subscribed");
            JsonNode reply = bob.request("{\"type\":\"unsubscribe\",\"channel\":\"news\"}", "unsubscribed");
            assertThat(reply.path("channel").asText()).isEqualTo("news");
            server.hub.publish("news", "1").get();
            // A round trip after the publication: had it been delivered, it would come first.
            bob.request("{\"type\":\"ping\"}", "pong");
            assertThat(bob.nothingReceived()).isTrue();
        }
    }

    @Test
    void historyReturnsTheLatestOldestFirstAndSinceAPosition() throws Exception {
        for (int i = 1; i <= 5; i++) {
            server.hub.publish("chat:h", "{\"n\":" + i + "}").get();
        }
        try (WireClient c = WireClient.connect(server.uri())) {
            JsonNode latest = c.request("{\"type\":\"history\",\"channel\":\"chat:h\",\"limit\":2}", "history");
            assertThat(latest.path("offset").asLong()).isEqualTo(5);
            assertThat(latest.path("publications").findValuesAsText("offset")).containsExactly("4", "5");
            String epoch = latest.path("epoch").asText();

            JsonNode since = c.request(
                    "{\"type\":\"history\",\"channel\":\"chat:h\",\"since\":{\"offset\":2,\"epoch\":\"" + epoch
                            + "\"}}",
                    "history");
            assertThat(since.path("publications").findValuesAsText("offset")).containsExactly("3", "4", "5");

            JsonNode stale = c.request(
                    "{\"type\":\"history\",\"channel\":\"chat:h\",\"since\":{\"offset\":2,\"epoch\":\"other\"}}",
                    "error");
            assertThat(stale.path("code").asInt()).isEqualTo(111);
            assertThat(stale.path("error").asText()).isEqualTo("stale_position");
        }
    }

    @Test
    void presenceListsSubscribersAndPushesJoinAndLeave() throws Exception {
        try (WireClient alice = WireClient.connect(server.uri())) {
            alice.request("{\"type\":\"subscribe\",\"channel\":\"chat:room\"}", "subscribed");
            JsonNode selfJoin = alice.next("join");
            String aliceId = selfJoin.path("info").path("client").asText();

            WireClient bob = WireClient.connect(server.uri());
            bob.request("{\"type\":\"subscribe\",\"channel\":\"chat:room\"}", "subscribed");
            JsonNode join = alice.next("join");
            String bobId = join.path("info").path("client").asText();
            assertThat(join.path("info").path("name").asText()).isEqualTo("wire");
            assertThat(bobId).isNotEqualTo(aliceId);

            JsonNode presence = alice.request("{\"type\":\"presence\",\"channel\":\"chat:room\"}", "presence");
            assertThat(presence.path("clients").findValuesAsText("client")).containsExactlyInAnyOrder(aliceId, bobId);

            bob.abort();
            JsonNode leave = alice.next("leave");
            assertThat(leave.path("info").path("client").asText()).isEqualTo(bobId);
            JsonNode after = alice.request("{\"type\":\"presence\",\"channel\":\"chat:room\"}", "presence");
            assertThat(after.path("clients").findValuesAsText("client")).containsExactly(aliceId);
        }
    }

    @Test
    void aPresenceQuerySentRightBehindASubscribeListsTheSubscriber() throws Exception {
        try (WireClient c = WireClient.open(server.uri())) {
            String me = c.request("{\"type\":\"connect\"}", "connected")
                    .path("client")
                    .asText();
            // Twenty channels, each subscribed and queried in one breath, without waiting for the
            // subscribe's reply: the query must see the effect of the command before it.
            for (int i = 0; i < 20; i++) {
                String channel = "chat:pipelined-" + i;
                long subscribe = c.nextId();
                long presence = c.nextId();
                c.send("{\"id\":" + subscribe + ",\"type\":\"subscribe\",\"channel\":\"" + channel + "\"}");
                c.send("{\"id\":" + presence + ",\"type\":\"presence\",\"channel\":\"" + channel + "\"}");
                assertThat(c.awaitReply(subscribe).path("type").asText()).isEqualTo("subscribed");
                JsonNode listed = c.awaitReply(presence);
                assertThat(listed.path("clients").findValuesAsText("client"))
                        .as("presence of %s", channel)
                        .containsExactly(me);
            }
        }
    }

    @Test
    void clientPingIsAnsweredWithItsId() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            JsonNode pong = c.request("{\"type\":\"ping\"}", "pong");
            assertThat(pong.path("id").asLong()).isPositive();
        }
    }

    @Test
    void shutdownDisconnectsWithReconnectAndASpreadDelay() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            server.hub.shutdown();
            JsonNode d = c.next("disconnect");
            assertThat(d.path("code").asInt()).isEqualTo(3000);
            assertThat(d.path("reconnect").asBoolean()).isTrue();
            assertThat(d.path("delay").asLong()).isBetween(0L, 5_000L);
            assertThat(c.closed.get(5, java.util.concurrent.TimeUnit.SECONDS)).isEqualTo(3000);
        }
    }

    @Test
    void statsCountWhatHappened() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            c.request("{\"type\":\"subscribe\",\"channel\":\"open:s\"}", "subscribed");
            c.request("{\"type\":\"publish\",\"channel\":\"open:s\",\"data\":1}", "ack");
            c.next("pub");
            HubStats stats = server.hub.stats();
            assertThat(stats.sessions()).isEqualTo(1);
            assertThat(stats.channels()).isEqualTo(1);
            assertThat(stats.publications()).isEqualTo(1);
            assertThat(stats.deliveries()).isEqualTo(1);
            assertThat(stats.commands()).isEqualTo(3);
        }
    }
}
