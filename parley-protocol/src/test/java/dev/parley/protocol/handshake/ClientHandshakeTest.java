package dev.parley.protocol.handshake;

import static dev.parley.protocol.handshake.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.handshake.ExtensionOffer.Parameter;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ClientHandshakeTest {
    private static final ExtensionOffer DEFLATE =
            new ExtensionOffer("permessage-deflate", List.of(new Parameter("client_max_window_bits", null)));

    private static ClientHandshake client(String uri) {
        return new ClientHandshake(URI.create(uri), List.of(), List.of(), new Headers(), new Random(1));
    }

    private static ClientHandshake chatClient() {
        return new ClientHandshake(
                URI.create("ws://server.example.com/chat"),
                List.of("chat", "superchat"),
                List.of(DEFLATE),
                new Headers().add("Origin", "http://example.com"),
                new Random(42));
    }

    /** A 101 for {@code client} with the given extra lines. */
    private static HttpResponse answer(ClientHandshake client, String extraLines) throws HandshakeException {
        return Fixtures.response("HTTP/1.1 101 Switching Protocols\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(client.key()) + "\r\n"
                + extraLines
                + "\r\n");
    }

    private static HandshakeException failure(ClientHandshake client, HttpResponse response) {
        try {
            throw new AssertionError("expected a failure, got " + client.validate(response));
        } catch (HandshakeException e) {
            assertThat(e.status()).isZero();
            return e;
        }
    }

    @Test
    void buildsTheRequestOfRfc6455Section12() {
        ClientHandshake client = chatClient();

        assertThat(Fixtures.text(client.request()))
                .isEqualTo("GET /chat HTTP/1.1\r\n"
                        + "Host: server.example.com\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: " + client.key() + "\r\n"
                        + "Sec-WebSocket-Version: 13\r\n"
                        + "Sec-WebSocket-Protocol: chat, superchat\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                        + "Origin: http://example.com\r\n"
                        + "\r\n");
    }

    @Test
    void keyIsBase64OfSixteenFreshRandomBytes() {
        // RFC 6455 §4.1 item 7: a new nonce for each connection.
        ClientHandshake one = new ClientHandshake(URI.create("ws://h/"), List.of(), List.of(), new Headers());
        ClientHandshake two = new ClientHandshake(URI.create("ws://h/"), List.of(), List.of(), new Headers());

        assertThat(WebSocketKeys.isValidKey(one.key())).isTrue();
        assertThat(one.key()).isNotEqualTo(two.key());
        assertThat(client("ws://h/").key()).isEqualTo(client("ws://h/").key());
    }

    @ParameterizedTest
    @CsvSource({
        "ws://example.com,                 /,         example.com,       80",
        "ws://example.com:80/a,            /a,        example.com,       80",
        "ws://example.com:8080/a?b=c%20d,  /a?b=c%20d, example.com:8080, 8080",
        "wss://example.com:443/,           /,         example.com,       443",
        "wss://example.com:80/,            /,         example.com:80,    80",
        "WS://Example.com/x,               /x,        Example.com,       80",
        "ws://[::1]:9000/ws,               /ws,       [::1]:9000,        9000",
        "wss://[2001:db8::1]/,             /,         [2001:db8::1],     443",
        "ws://user@h/p,                    /p,        h,                 80"
    })
    void targetAndHostComeFromTheUri(String uri, String target, String host, int port) {
        ClientHandshake client = client(uri);
        String request = Fixtures.text(client.request());

        assertThat(request).startsWith("GET " + target + " HTTP/1.1\r\nHost: " + host + "\r\n");
        assertThat(client.port()).isEqualTo(port);
    }

    @Test
    void ipv6HostToConnectToHasNoBrackets() {
        assertThat(client("ws://[::1]/").host()).isEqualTo("::1");
        assertThat(client("wss://h/").isSecure()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(strings = {"http://h/", "wss:opaque", "ws:///path", "ws://h/#frag", "/relative"})
    void refusesUrisThatAreNotWebSocketUris(String uri) {
        assertThatThrownBy(() -> client(uri)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesBadSubprotocolsAndManagedExtraHeaders() {
        URI uri = URI.create("ws://h/");
        assertThatThrownBy(() -> new ClientHandshake(uri, List.of("a b"), List.of(), new Headers()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ClientHandshake(uri, List.of(), List.of(), new Headers().add("host", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void acceptsAMatching101() throws Exception {
        ClientHandshake client = chatClient();

        ClientHandshake.Accepted accepted = client.validate(answer(
                client, "Sec-WebSocket-Protocol: superchat\r\nSec-WebSocket-Extensions: permessage-deflate\r\n"));

        assertThat(accepted.subprotocol()).isEqualTo("superchat");
        assertThat(accepted.extensions()).containsExactly(new ExtensionOffer("permessage-deflate"));
        assertThat(accepted.response().status()).isEqualTo(101);
    }

    @Test
    void noSubprotocolAndNoExtensionsWhenTheServerChoseNone() throws Exception {
        ClientHandshake.Accepted accepted = chatClient().validate(answer(chatClient(), ""));

        assertThat(accepted.subprotocol()).isNull();
        assertThat(accepted.extensions()).isEmpty();
    }

    @Test
    void statusOtherThan101FailsNamingTheStatus() throws Exception {
        HttpResponse response = Fixtures.response("HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\n\r\n");

        assertThat(failure(chatClient(), response))
                .hasMessage("The server answered 403 \"Forbidden\" instead of 101 Switching Protocols.");
    }

    @Test
    void missingUpgradeOrConnectionFails() throws Exception {
        ClientHandshake client = chatClient();
        String accept = "Sec-WebSocket-Accept: " + ServerHandshake.acceptKey(client.key()) + "\r\n";

        assertThat(failure(client, Fixtures.response("HTTP/1.1 101 OK\r\nConnection: upgrade\r\n" + accept + "\r\n")))
                .hasMessageContaining("Upgrade");
        assertThat(failure(client, Fixtures.response("HTTP/1.1 101 OK\r\nUpgrade: WebSocket\r\n" + accept + "\r\n")))
                .hasMessageContaining("Connection");
    }

    @Test
    void wrongOrMissingAcceptFails() throws Exception {
        ClientHandshake client = chatClient();
        String head = "HTTP/1.1 101 OK\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n";

        assertThat(failure(
                        client, Fixtures.response(head + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n\r\n")))
                .hasMessage("Sec-WebSocket-Accept does not match the key sent (RFC 6455 §4.2.2).");
        assertThat(failure(client, Fixtures.response(head + "\r\n")))
                .hasMessage("The response has no Sec-WebSocket-Accept header.");
    }

    @Test
    void subprotocolNotOfferedFails() throws Exception {
        assertThat(failure(chatClient(), answer(chatClient(), "Sec-WebSocket-Protocol: other\r\n")))
                .hasMessage("The server chose subprotocol \"other\", which was not requested.");
        assertThat(failure(chatClient(), answer(chatClient(), "Sec-WebSocket-Protocol: chat, superchat\r\n")))
                .hasMessageContaining("not requested");
        ClientHandshake none = client("ws://h/");
        assertThat(failure(none, answer(none, "Sec-WebSocket-Protocol: chat\r\n")))
                .hasMessageContaining("not requested");
    }

    @Test
    void extensionNotOfferedFailsAndMalformedExtensionsFailClientSide() throws Exception {
        assertThat(failure(chatClient(), answer(chatClient(), "Sec-WebSocket-Extensions: x-webkit-deflate-frame\r\n")))
                .hasMessage("The server accepted extension \"x-webkit-deflate-frame\", which was not offered.");
        assertThat(failure(chatClient(), answer(chatClient(), "Sec-WebSocket-Extensions: permessage-deflate;\r\n")))
                .hasMessageStartingWith("Sec-WebSocket-Extensions");
    }

    @Test
    void roundTripAgainstServerHandshake() throws Exception {
        ClientHandshake client = chatClient();

        // Client request -> server parser and validator.
        HttpRequest request = HttpHeadParser.forRequests().parse(client.request());
        UpgradeRequest upgrade = ServerHandshake.validate(request);
        assertThat(upgrade.path()).isEqualTo("/chat");
        assertThat(upgrade.origin()).isEqualTo("http://example.com");
        assertThat(upgrade.extensions()).containsExactly(DEFLATE);
        String subprotocol = upgrade.selectSubprotocol(List.of("superchat"));
        List<ExtensionOffer> agreed = List.of(
                new ExtensionOffer("permessage-deflate", List.of(new Parameter("client_max_window_bits", "10"))));

        // 101 bytes, with a first frame in the same read -> client parser and validator.
        ByteBuffer response = ServerHandshake.accept(upgrade, subprotocol, agreed, new Headers());
        ByteBuffer wire =
                ByteBuffer.allocate(response.remaining() + 2).put(response).put(new byte[] {(byte) 0x89, 0});
        wire.flip();
        HttpResponse head = HttpHeadParser.forResponses().parse(wire);
        ClientHandshake.Accepted accepted = client.validate(head);

        assertThat(accepted.subprotocol()).isEqualTo("superchat");
        assertThat(accepted.extensions()).isEqualTo(agreed);
        assertThat(wire.remaining()).isEqualTo(2);
    }

    @Test
    void clientRefusalRoundTrip() throws Exception {
        // A server refusal parsed by the client gives a failure naming the status.
        ByteBuffer refusal = ServerHandshake.reject(new HandshakeException(403, "Origin refused."));
        HttpResponse head = HttpHeadParser.forResponses().parse(refusal);

        assertThat(failure(chatClient(), head)).hasMessageContaining("403");
        assertThat(refusal.remaining()).isEqualTo(16); // the body, left for the caller
        assertThat(Fixtures.text(refusal)).isEqualTo("Origin refused.\n");
        assertThat(bytes("x").remaining()).isEqualTo(1);
    }
}
