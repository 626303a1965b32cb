package dev.parley.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Bad input gets an error with a stable code (or, where the protocol says so, a disconnect with
 * its code), and disturbs nothing else: a bystander keeps its session and its subscription, and
 * what was acknowledged stays in history.
 */
class HubBadInputTest {
    private HubServer server;
    private WireClient bystander;

    @BeforeEach
    void start() throws Exception {
        server = HubServer.start(b -> b.maxMessageSize(2048)
                .maxSubscriptions(2)
                .namespace("quiet", ChannelOptions.defaults().withHistory(0, Duration.ofMinutes(1))));
        bystander = WireClient.connect(server.uri());
        bystander.request("{\"type\":\"subscribe\",\"channel\":\"open:b\"}", "subscribed");
        bystander.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"before\"}", "ack");
        assertThat(bystander.next("pub").path("data").asText()).isEqualTo("before");
    }

    @AfterEach
    void bystanderIsUndisturbed() throws Exception {
        try {
            bystander.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"after\"}", "ack");
            assertThat(bystander.next("pub").path("data").asText()).isEqualTo("after");
            assertThat(server.hub.history("open:b", 10).get())
                    .extracting(Publication::data)
                    .containsExactly("\"before\"", "\"after\"");
        } finally {
            bystander.close();
            server.close();
        }
    }

    private static void assertError(JsonNode reply, int code, String name) {
        assertThat(reply.path("type").asText()).as("reply %s", reply).isEqualTo("error");
        assertThat(reply.path("code").asInt()).as("reply %s", reply).isEqualTo(code);
        assertThat(reply.path("error").asText()).isEqualTo(name);
        assertThat(reply.path("message").asText()).isNotEmpty();
    }

    @Test
    void malformedJsonIsABadRequest() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            c.send("{\"type\":\"publish\",");
            assertError(c.next(), 101, "bad_request");
            c.send("[1,2]");
            assertError(c.next(), 101, "bad_request");
            c.send("{\"type\":\"ping\"} trailing");
            assertError(c.next(), 101, "bad_request");
            assertError(c.request("{\"type\":\"subscribe\"}", "error"), 101, "bad_request");
            assertError(c.request("{\"type\":\"subscribe\",\"channel\":7}", "error"), 101, "bad_request");
            assertError(
                    c.request("{\"type\":\"history\",\"channel\":\"chat:x\",\"limit\":-1}", "error"),
                    101,
                    "bad_request");
            // The session is still fine.
            c.request("{\"type\":\"ping\"}", "pong");
        }
    }

    @Test
    void unknownCommandsAreNamed() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            assertError(c.request("{\"type\":\"teleport\"}", "error"), 102, "unknown_command");
        }
    }

    @Test
    void anOversizedCommandIsRefusedWithItsId() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            String big = "x".repeat(3000);
            JsonNode reply =
                    c.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"" + big + "\"}", "error");
            assertError(reply, 103, "too_large");
        }
    }

    @Test
    void commandsBeforeConnectAndASecondConnectAreRefused() throws Exception {
        try (WireClient c = WireClient.open(server.uri())) {
            assertError(c.request("{\"type\":\"subscribe\",\"channel\":\"news\"}", "error"), 104, "not_connected");
            c.request("{\"type\":\"connect\"}", "connected");
            assertError(c.request("{\"type\":\"connect\"}", "error"), 105, "already_connected");
        }
    }

    @Test
    void channelRulesAndNamespaceOptionsAreEnforced() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            assertError(
                    c.request("{\"type\":\"subscribe\",\"channel\":\"bad channel\"}", "error"), 106, "invalid_channel");
            assertError(
                    c.request("{\"type\":\"subscribe\",\"channel\":\"" + "a".repeat(256) + "\"}", "error"),
                    106,
                    "invalid_channel");
            assertError(
                    c.request("{\"type\":\"publish\",\"channel\":\"news\",\"data\":1}", "error"),
                    107,
                    "permission_denied");
            assertError(c.request("{\"type\":\"presence\",\"channel\":\"news\"}", "error"), 108, "not_available");
            assertError(c.request("{\"type\":\"history\",\"channel\":\"quiet:x\"}", "error"), 108, "not_available");
            c.request("{\"type\":\"subscribe\",\"channel\":\"news\"}", "subscribed");
            assertError(c.request("{\"type\":\"subscribe\",\"channel\":\"news\"}", "error"), 109, "already_subscribed");
            assertError(c.request("{\"type\":\"unsubscribe\",\"channel\":\"other\"}", "error"), 110, "not_subscribed");
            c.request("{\"type\":\"subscribe\",\"channel\":\"more\"}", "subscribed");
            assertError(c.request("{\"type\":\"subscribe\",\"channel\":\"third\"}", "error"), 113, "limit_exceeded");
        }
    }

    @Test
    void hooksRefuseWithTheirReason() throws Exception {
        server.close();
        HubHooks hooks = new HubHooks() {
            @Override
            public Verdict onPublish(ClientInfo client, String channel, String data) {
                return data.contains("spam") ? Verdict.deny("no spam") : Verdict.ALLOW;
            }
        };
        server = HubServer.start(b -> b.hooks(hooks));
        bystander.close();
        bystander = WireClient.connect(server.uri());
        bystander.request("{\"type\":\"subscribe\",\"channel\":\"open:b\"}", "subscribed");
        bystander.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"before\"}", "ack");
        bystander.next("pub");
        try (WireClient c = WireClient.connect(server.uri())) {
            JsonNode reply = c.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"spam\"}", "error");
            assertError(reply, 107, "permission_denied");
            assertThat(reply.path("message").asText()).isEqualTo("no spam");
        }
    }

    @Test
    void aFloodIsRateLimitedThenDisconnected() throws Exception {
        server.close();
        server = HubServer.start(b -> b.commandRate(10, 5));
        bystander.close();
        bystander = WireClient.connect(server.uri());
        bystander.request("{\"type\":\"subscribe\",\"channel\":\"open:b\"}", "subscribed");
        bystander.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"before\"}", "ack");
        bystander.next("pub");
        try (WireClient c = WireClient.connect(server.uri())) {
            for (int i = 0; i < 300 && !c.closed.isDone(); i++) {
                try {
                    c.send("{\"type\":\"ping\",\"id\":" + (i + 1) + "}");
                } catch (java.util.concurrent.CompletionException e) {
                    break; // the server has disconnected the flood: the rest cannot be sent
                }
            }
            int limited = 0;
            JsonNode m;
            while (!(m = c.next()).path("type").asText().equals("disconnect")) {
                if (m.path("type").asText().equals("error")) {
                    assertError(m, 112, "rate_limited");
                    assertThat(m.path("id").asLong()).isPositive();
                    limited++;
                }
            }
            assertThat(limited).isEqualTo(99);
            assertThat(m.path("code").asInt()).isEqualTo(3003);
            assertThat(m.path("reconnect").asBoolean()).isTrue();
            assertThat(m.path("delay").asLong()).isPositive();
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(3003);
        }
    }

    @Test
    void aBinaryFrameClosesWith1003() throws Exception {
        try (WireClient c = WireClient.connect(server.uri())) {
            c.sendBinary(new byte[] {1, 2, 3});
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(1003);
        }
    }

    @Test
    void anUnsupportedVersionIsToldNotToReconnect() throws Exception {
        try (WireClient c = WireClient.open(server.uri())) {
            c.send("{\"type\":\"connect\",\"version\":2}");
            JsonNode d = c.next("disconnect");
            assertThat(d.path("code").asInt()).isEqualTo(3501);
            assertThat(d.path("reconnect").asBoolean()).isFalse();
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(3501);
        }
    }

    @Test
    void aRefusedConnectIsToldNotToReconnect() throws Exception {
        server.close();
        HubHooks hooks = new HubHooks() {
            @Override
            public ConnectDecision onConnect(ConnectRequest request) {
                return request.token().equals("secret")
                        ? ConnectDecision.accept("alice")
                        : ConnectDecision.unauthorized("bad token");
            }
        };
        server = HubServer.start(b -> b.hooks(hooks));
        bystander.close();
        bystander = WireClient.open(server.uri());
        assertThat(bystander
                        .request("{\"type\":\"connect\",\"token\":\"secret\"}", "connected")
                        .path("user")
                        .asText())
                .isEqualTo("alice");
        bystander.request("{\"type\":\"subscribe\",\"channel\":\"open:b\"}", "subscribed");
        bystander.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"before\"}", "ack");
        bystander.next("pub");
        try (WireClient c = WireClient.open(server.uri())) {
            c.send("{\"type\":\"connect\",\"token\":\"guess\"}");
            JsonNode d = c.next("disconnect");
            assertThat(d.path("code").asInt()).isEqualTo(3500);
            assertThat(d.path("reason").asText()).isEqualTo("bad token");
            assertThat(d.path("reconnect").asBoolean()).isFalse();
            assertThat(c.closed.get(5, TimeUnit.SECONDS)).isEqualTo(3500);
        }
    }

    @Test
    void aConnectionThatNeverConnectsIsClosed() throws Exception {
        server.close();
        server = HubServer.start(b -> b.connectTimeout(Duration.ofMillis(300)));
        bystander.close();
        bystander = WireClient.connect(server.uri());
        bystander.request("{\"type\":\"subscribe\",\"channel\":\"open:b\"}", "subscribed");
        bystander.request("{\"type\":\"publish\",\"channel\":\"open:b\",\"data\":\"before\"}", "ack");
        bystander.next("pub");
        try (WireClient idle = WireClient.open(server.uri())) {
            JsonNode d = idle.next("disconnect");
            assertThat(d.path("code").asInt()).isEqualTo(3502);
            assertThat(idle.closed.get(5, TimeUnit.SECONDS)).isEqualTo(3502);
        }
    }
}
