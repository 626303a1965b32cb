package dev.parley.protocol.handshake;

import static dev.parley.protocol.handshake.Fixtures.RFC_REQUEST;
import static dev.parley.protocol.handshake.Fixtures.rfcRequestWith;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ServerHandshakeTest {

    private static UpgradeRequest validate(String head) throws HandshakeException {
        return ServerHandshake.validate(Fixtures.request(head));
    }

    private static HandshakeException refusal(String head) {
        try {
            UpgradeRequest accepted = validate(head);
            throw new AssertionError("expected a refusal, got " + accepted);
        } catch (HandshakeException e) {
            return e;
        }
    }

    @Test
    void rfc6455WorkedExampleAcceptKey() {
        // RFC 6455 §1.3 and §4.2.2.
        assertThat(ServerHandshake.acceptKey("dGhlIHNhbXBsZSBub25jZQ==")).isEqualTo("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=");
    }

    @Test
    void rfc6455WorkedExampleByteExact() throws Exception {
        UpgradeRequest request = validate(RFC_REQUEST);

        String response = Fixtures.text(ServerHandshake.accept(request, "chat", List.of(), new Headers()));

        assertThat(response)
                .isEqualTo("HTTP/1.1 101 Switching Protocols\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Connection: Upgrade\r\n"
                        + "Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                        + "Sec-WebSocket-Protocol: chat\r\n"
                        + "\r\n");
    }

    @Test
    void exposesWhatThePolicyNeeds() throws Exception {
        UpgradeRequest request = validate(rfcRequestWith("GET ", "GET /chat?room=1 HTTP/1.1"));

        assertThat(request.path()).isEqualTo("/chat");
        assertThat(request.query()).isEqualTo("room=1");
        assertThat(request.key()).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
        assertThat(request.origin()).isEqualTo("http://example.com");
        assertThat(request.subprotocols()).containsExactly("chat", "superchat");
        assertThat(request.extensions()).isEmpty();
        assertThat(request.headers().first("Host")).isEqualTo("server.example.com");
    }

    @Test
    void originIsNullWhenAbsent() throws Exception {
        assertThat(validate(rfcRequestWith("Origin:", null)).origin()).isNull();
    }

    @Test
    void refusesMethodOtherThanGetWith405AndAllow() {
        // RFC 6455 §4.1 item 2.
        HandshakeException e = refusal(rfcRequestWith("GET ", "POST /chat HTTP/1.1"));

        assertThat(e.status()).isEqualTo(405);
        assertThat(e.responseHeaders().first("Allow")).isEqualTo("GET");
        assertThat(e).hasMessage("The method \"POST\" cannot open a WebSocket; use GET.");
    }

    @Test
    void refusesHttp10() {
        HandshakeException e = refusal(rfcRequestWith("GET ", "GET /chat HTTP/1.0"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessage("A WebSocket needs HTTP/1.1 or later, and the request is HTTP/1.0.");
    }

    @Test
    void acceptsLaterHttp1MinorVersions() throws Exception {
        assertThat(validate(rfcRequestWith("GET ", "GET /chat HTTP/1.2")).key()).isNotNull();
    }

    @Test
    void refusesMissingOrDuplicateHost() {
        // RFC 9112 §3.2.
        assertThat(refusal(rfcRequestWith("Host:", null)))
                .hasMessage("The request has 0 Host headers; exactly one is required.");
        assertThat(refusal(rfcRequestWith("Host:", "Host: a\r\nHost: b")).status())
                .isEqualTo(400);
        assertThat(refusal(rfcRequestWith("Host:", "Host:")).getMessage()).contains("empty Host");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Upgrade: websocket", "Upgrade: WebSocket", "Upgrade: h2c, WEBSOCKET"})
    void upgradeTokenIsCaseInsensitive(String line) throws Exception {
        assertThat(validate(rfcRequestWith("Upgrade:", line)).key()).isNotNull();
    }

    @Test
    void missingUpgradeGets426WithUpgradeWebsocket() {
        // RFC 9110 §15.5.22: a 426 carries Upgrade.
        HandshakeException e = refusal(rfcRequestWith("Upgrade:", "Upgrade: h2c"));

        assertThat(e.status()).isEqualTo(426);
        assertThat(e.responseHeaders().first("Upgrade")).isEqualTo("websocket");
        assertThat(refusal(rfcRequestWith("Upgrade:", null)).status()).isEqualTo(426);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Connection: keep-alive, Upgrade",
                "Connection: UPGRADE",
                "Connection: keep-alive\r\nConnection: upgrade"
            })
    void connectionUpgradeIsFoundInTokenListsAcrossLines(String lines) throws Exception {
        assertThat(validate(rfcRequestWith("Connection:", lines)).key()).isNotNull();
    }

    @Test
    void refusesConnectionWithoutUpgrade() {
        HandshakeException e = refusal(rfcRequestWith("Connection:", "Connection: keep-alive, upgraded"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("Connection");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ", // no padding
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ=", // bad padding
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZR==", // non-canonical trailing bits
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZSE=", // 17 bytes
                "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25j", // 15 bytes
                "Sec-WebSocket-Key: !GhlIHNhbXBsZSBub25jZQ==",
                "Sec-WebSocket-Key:"
            })
    void refusesKeyThatIsNotBase64Of16Bytes(String line) {
        HandshakeException e = refusal(rfcRequestWith("Sec-WebSocket-Key:", line));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageEndingWith("is not the base64 of 16 bytes (RFC 6455 §4.1).");
    }

    @Test
    void refusesMissingOrDuplicateKey() {
        assertThat(refusal(rfcRequestWith("Sec-WebSocket-Key:", null)))
                .hasMessage("The request has 0 Sec-WebSocket-Key headers; exactly one is required.");
        assertThat(refusal(
                                rfcRequestWith(
                                        "Sec-WebSocket-Key:",
                                        "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Key: AAAAAAAAAAAAAAAAAAAAAA=="))
                        .status())
                .isEqualTo(400);
    }

    @ParameterizedTest
    @ValueSource(strings = {"Sec-WebSocket-Version: 8", "Sec-WebSocket-Version: 13, 8", "Sec-WebSocket-Version: 013"})
    void versionOtherThan13Gets426WithSupportedVersion(String line) {
        // RFC 6455 §4.4: the refusal lists the versions the server speaks.
        HandshakeException e = refusal(rfcRequestWith("Sec-WebSocket-Version:", line));

        assertThat(e.status()).isEqualTo(426);
        assertThat(e.responseHeaders().first("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(e.responseHeaders().first("Upgrade")).isEqualTo("websocket");
        assertThat(e).hasMessageEndingWith("is not supported; this server speaks version 13.");
    }

    @Test
    void missingOrDuplicateVersionGets426() {
        assertThat(refusal(rfcRequestWith("Sec-WebSocket-Version:", null)))
                .hasMessage("The request has no Sec-WebSocket-Version header; this server speaks version 13.");
        assertThat(refusal(rfcRequestWith(
                                "Sec-WebSocket-Version:", "Sec-WebSocket-Version: 13\r\nSec-WebSocket-Version: 13"))
                        .status())
                .isEqualTo(426);
    }

    @Test
    void subprotocolsComeFromSeveralLinesInOrder() throws Exception {
        UpgradeRequest request = validate(
                rfcRequestWith("Sec-WebSocket-Protocol:", "Sec-WebSocket-Protocol: a, b\r\nSec-WebSocket-Protocol: c"));

        assertThat(request.subprotocols()).containsExactly("a", "b", "c");
    }

    @Test
    void refusesSubprotocolThatIsNotAToken() {
        HandshakeException e = refusal(rfcRequestWith("Sec-WebSocket-Protocol:", "Sec-WebSocket-Protocol: chat, a/b"));

        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("Sec-WebSocket-Protocol");
    }

    @Test
    void selectsTheFirstOfTheClientsSubprotocolsThatTheServerSupports() throws Exception {
        UpgradeRequest request = validate(RFC_REQUEST); // chat, superchat

        assertThat(request.selectSubprotocol(Set.of("superchat", "chat"))).isEqualTo("chat");
        assertThat(request.selectSubprotocol(List.of("superchat"))).isEqualTo("superchat");
        assertThat(request.selectSubprotocol(List.of("Chat", "other"))).isNull();
    }

    @Test
    void parsesExtensionOffers() throws Exception {
        UpgradeRequest request = validate(rfcRequestWith(
                "Origin:",
                "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                        + "Sec-WebSocket-Extensions: x-foo"));

        assertThat(request.extensions())
                .extracting(ExtensionOffer::name)
                .containsExactly("permessage-deflate", "x-foo");
    }

    @Test
    void refusesMalformedExtensionsWith400() {
        HandshakeException e = refusal(rfcRequestWith("Origin:", "Sec-WebSocket-Extensions: permessage-deflate;"));

        assertThat(e.status()).isEqualTo(400);
    }

    @Test
    void refusesSeveralOrigins() {
        assertThat(refusal(rfcRequestWith("Origin:", "Origin: http://a\r\nOrigin: http://b"))
                        .status())
                .isEqualTo(400);
    }

    @Test
    void refusesTargetsThatAreNotAPathOrAbsoluteUri() {
        assertThat(refusal(rfcRequestWith("GET ", "GET * HTTP/1.1")).status()).isEqualTo(400);
        assertThat(refusal(rfcRequestWith("GET ", "GET /chat#frag HTTP/1.1"))).hasMessageContaining("fragment");
    }

    @Test
    void acceptsAbsoluteFormTarget() throws Exception {
        assertThat(validate(rfcRequestWith("GET ", "GET ws://server.example.com/chat?x HTTP/1.1"))
                        .path())
                .isEqualTo("/chat");
    }

    @Test
    void acceptResponseCarriesExtensionsAndExtraHeaders() throws Exception {
        UpgradeRequest request = validate(rfcRequestWith("Origin:", "Sec-WebSocket-Extensions: permessage-deflate"));
        ExtensionOffer accepted = new ExtensionOffer(
                "permessage-deflate", List.of(new ExtensionOffer.Parameter("server_no_context_takeover", null)));

        String response = Fixtures.text(
                ServerHandshake.accept(request, null, List.of(accepted), new Headers().add("Set-Cookie", "a=b")));

        assertThat(response)
                .endsWith("Sec-WebSocket-Accept: s3pPLMBiTxaQ9kYGzzhZRbK+xOo=\r\n"
                        + "Sec-WebSocket-Extensions: permessage-deflate; server_no_context_takeover\r\n"
                        + "Set-Cookie: a=b\r\n"
                        + "\r\n")
                .doesNotContain("Sec-WebSocket-Protocol");
    }

    @Test
    void acceptRefusesWhatTheClientDidNotOffer() throws Exception {
        UpgradeRequest request = validate(RFC_REQUEST);

        assertThatThrownBy(() -> ServerHandshake.accept(request, "other", List.of(), new Headers()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerHandshake.accept(request, null, List.of(new ExtensionOffer("x")), new Headers()))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ServerHandshake.accept(request, null, List.of(), new Headers().add("upgrade", "x")))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void rejectionIsAClosedTextResponseWithStatusSpecificHeaders() {
        HandshakeException e = refusal(rfcRequestWith("Sec-WebSocket-Version:", "Sec-WebSocket-Version: 8"));

        String response = Fixtures.text(ServerHandshake.reject(e));

        String body = "Sec-WebSocket-Version \"8\" is not supported; this server speaks version 13.\n";
        assertThat(response)
                .isEqualTo("HTTP/1.1 426 Upgrade Required\r\n"
                        + "Connection: Upgrade, close\r\n"
                        + "Content-Type: text/plain; charset=utf-8\r\n"
                        + "Content-Length: " + body.length() + "\r\n"
                        + "Upgrade: websocket\r\n"
                        + "Sec-WebSocket-Version: 13\r\n"
                        + "\r\n"
                        + body);
    }

    @Test
    void rejectionOf405CarriesAllow() {
        String response = Fixtures.text(ServerHandshake.reject(refusal(rfcRequestWith("GET ", "PUT /chat HTTP/1.1"))));

        assertThat(response)
                .startsWith("HTTP/1.1 405 Method Not Allowed\r\nConnection: close\r\n")
                .contains("\r\nAllow: GET\r\n");
    }

    @Test
    void rejectionContentLengthCountsUtf8Bytes() throws Exception {
        String response = Fixtures.text(ServerHandshake.reject(new HandshakeException(403, "Origin \u00e9 refused.")));
        HttpResponse head = HttpHeadParser.forResponses().parse(Fixtures.bytes(response));

        assertThat(head.status()).isEqualTo(403);
        assertThat(head.headers().first("Content-Length")).isEqualTo("19");
    }

    @Test
    void rejectRefusesClientSideFailures() {
        assertThatThrownBy(() -> ServerHandshake.reject(HandshakeException.clientSide("x")))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
