package dev.parley.protocol.handshake;

import static dev.parley.protocol.handshake.Fixtures.RFC_REQUEST;
import static dev.parley.protocol.handshake.Fixtures.bytes;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class HttpHeadParserTest {

    private static HandshakeException requestFailure(String head) {
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests();
        try {
            HttpRequest parsed = parser.parse(bytes(head));
            throw new AssertionError("expected a failure, got " + parsed);
        } catch (HandshakeException e) {
            return e;
        }
    }

    @Test
    void parsesRequestLineAndHeadersInOrder() throws Exception {
        HttpRequest request = Fixtures.request(RFC_REQUEST);

        assertThat(request.method()).isEqualTo("GET");
        assertThat(request.target()).isEqualTo("/chat");
        assertThat(request.version()).isEqualTo(HttpVersion.HTTP_1_1);
        assertThat(request.headers().size()).isEqualTo(7);
        assertThat(request.headers().name(0)).isEqualTo("Host");
        assertThat(request.headers().first("sec-websocket-key")).isEqualTo("dGhlIHNhbXBsZSBub25jZQ==");
    }

    @Test
    void acceptsAnyMethodAndTargetForReuseByTheHttpLayer() throws Exception {
        HttpRequest request = Fixtures.request("PROPFIND http://example.com/a/b?c=d HTTP/1.0\r\n\r\n");

        assertThat(request.method()).isEqualTo("PROPFIND");
        assertThat(request.version()).isEqualTo(HttpVersion.HTTP_1_0);
        assertThat(request.path()).isEqualTo("/a/b");
        assertThat(request.query()).isEqualTo("c=d");
        assertThat(request.headers().size()).isZero();
    }

    @Test
    void everySplitPointGivesTheSameRequest() throws Exception {
        byte[] all = RFC_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        HttpRequest whole = Fixtures.request(RFC_REQUEST);
        for (int split = 0; split < all.length; split++) {
            HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests();
            assertThat(parser.parse(ByteBuffer.wrap(all, 0, split)))
                    .as("split %d", split)
                    .isNull();
            HttpRequest parsed = parser.parse(ByteBuffer.wrap(all, split, all.length - split));
            assertThat(parsed).as("split %d", split).isEqualTo(whole);
        }
    }

    @Test
    void byteByByteGivesTheRequestOnTheLastByteOnly() throws Exception {
        byte[] all = RFC_REQUEST.getBytes(StandardCharsets.ISO_8859_1);
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests();
        for (int i = 0; i < all.length - 1; i++) {
            assertThat(parser.parse(ByteBuffer.wrap(all, i, 1))).isNull();
        }
        assertThat(parser.parse(ByteBuffer.wrap(all, all.length - 1, 1))).isEqualTo(Fixtures.request(RFC_REQUEST));
        assertThat(parser.isComplete()).isTrue();
    }

    @Test
    void leavesBytesAfterTheHeadInTheBuffer() throws Exception {
        // The first frame may arrive in the same read as the 101 (RFC 6455 §4.1).
        ByteBuffer in = bytes("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\n\r\n\u0081\u0002hi");

        HttpResponse response = HttpHeadParser.forResponses().parse(in);

        assertThat(response.status()).isEqualTo(101);
        assertThat(in.remaining()).isEqualTo(4);
        assertThat(in.get()).isEqualTo((byte) 0x81);
    }

    @Test
    void everySplitPointGivesTheSameResponseAndLeavesTheFrame() throws Exception {
        byte[] all = "HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n\u0089\u0000"
                .getBytes(StandardCharsets.ISO_8859_1);
        int headLength = all.length - 2;
        for (int split = 0; split < headLength; split++) {
            HttpHeadParser<HttpResponse> parser = HttpHeadParser.forResponses();
            assertThat(parser.parse(ByteBuffer.wrap(all, 0, split))).isNull();
            ByteBuffer rest = ByteBuffer.wrap(all, split, all.length - split);
            HttpResponse response = parser.parse(rest);
            assertThat(response.status()).as("split %d", split).isEqualTo(101);
            assertThat(response.headers().size()).isEqualTo(2);
            assertThat(rest.position()).isEqualTo(headLength);
        }
    }

    @Test
    void testsRunInsideTheProtocolModule() {
        // The build runs tests on the module path, patched into dev.parley.protocol.
        assertThat(HttpHeadParser.class.getModule().getName()).isEqualTo("dev.parley.protocol");
        assertThat(HttpHeadParserTest.class.getModule()).isEqualTo(HttpHeadParser.class.getModule());
    }

    @Test
    void parsesStatusLineWithAndWithoutReason() throws Exception {
        assertThat(Fixtures.response("HTTP/1.1 404 Not Found\r\n\r\n").reason()).isEqualTo("Not Found");
        assertThat(Fixtures.response("HTTP/1.1 101 \r\n\r\n").reason()).isEmpty();
        assertThat(Fixtures.response("HTTP/1.1 101\r\n\r\n").status()).isEqualTo(101);
    }

    @Test
    void responseErrorsAreClientSide() {
        assertThatThrownBy(() -> Fixtures.response("HTTP/1.1 1O1 OK\r\n\r\n"))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("three-digit")
                .extracting(e -> ((HandshakeException) e).status())
                .isEqualTo(0);
        assertThatThrownBy(() -> Fixtures.response("HTTP/2.0 101 OK\r\n\r\n")).hasMessageContaining("HTTP/2.0");
        assertThatThrownBy(() -> Fixtures.response("\r\nHTTP/1.1 101 OK\r\n\r\n"))
                .hasMessageContaining("empty line");
    }

    @Test
    void skipsEmptyLinesBeforeTheRequestLine() throws Exception {
        // RFC 9112 §2.2: a server SHOULD ignore at least one empty line before the request line.
        assertThat(Fixtures.request("\r\n\r\nGET / HTTP/1.1\r\n\r\n").target()).isEqualTo("/");
    }

    @Test
    void trimsOptionalWhitespaceAroundValuesAndKeepsObsText() throws Exception {
        HttpRequest request = Fixtures.request("GET / HTTP/1.1\r\nX-A: \t v a l \t\r\nX-B:\r\nX-C: caf\u00e9\r\n\r\n");

        assertThat(request.headers().first("x-a")).isEqualTo("v a l");
        assertThat(request.headers().first("X-B")).isEmpty();
        assertThat(request.headers().first("X-C")).isEqualTo("caf\u00e9");
    }

    @Test
    void refusesBareLf() {
        // RFC 9112 §2.2 allows accepting a bare LF; we do not, to leave no room for smuggling.
        HandshakeException e = requestFailure("GET / HTTP/1.1\nHost: a\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("bare LF");
    }

    @Test
    void refusesBareCr() {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nHost: a\rX: b\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("CR is not followed by LF");
    }

    @Test
    void refusesObsFold() {
        // RFC 9112 §5.2: a server MUST reject obs-fold or replace it; we reject.
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX-A: one\r\n two\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("obs-fold");
    }

    @Test
    void refusesWhitespaceBeforeColon() {
        // RFC 9112 §5.1: a server MUST reject whitespace between field name and colon with 400.
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nHost : a\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("whitespace before its colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"X(A): b", "X/A: b", "X\"A: b", "X@A: b", "X{A}: b", "[X]: b"})
    void refusesSeparatorsInHeaderNames(String line) {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\n" + line + "\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("not a token character");
    }

    @Test
    void refusesNonAsciiInHeaderNames() {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX-\u00e9: b\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("non-ASCII byte 0xE9");
    }

    @Test
    void refusesEmptyHeaderNameAndLineWithoutColon() {
        assertThat(requestFailure("GET / HTTP/1.1\r\n: b\r\n\r\n")).hasMessageContaining("empty name");
        assertThat(requestFailure("GET / HTTP/1.1\r\nHost\r\n\r\n")).hasMessageContaining("no colon");
    }

    @ParameterizedTest
    @ValueSource(strings = {"\u0000", "\u0001", "\u001f", "\u007f", "\u000b"})
    void refusesControlCharactersInValues(String control) {
        HandshakeException e = requestFailure("GET / HTTP/1.1\r\nX-A: a" + control + "b\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e).hasMessageContaining("control character");
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "GET /",
                "GET  / HTTP/1.1",
                "GET / HTTP/1.1 ",
                "GET / HTTP/1.1x",
                "GET / http/1.1",
                "GET / HTTP/1",
                "G(T / HTTP/1.1",
                " GET / HTTP/1.1",
                "GET /\u00e9 HTTP/1.1",
                "GET /\u0001 HTTP/1.1"
            })
    void refusesMalformedRequestLines(String line) {
        HandshakeException e = requestFailure(line + "\r\n\r\n");
        assertThat(e.status()).isEqualTo(400);
        assertThat(e.getMessage()).startsWith("The request").endsWith(".");
    }

    @Test
    void refusesHttpMajorVersionOtherThanOneWith505() {
        assertThat(requestFailure("GET / HTTP/2.0\r\n\r\n").status()).isEqualTo(505);
    }

    @Test
    void requestLineLongerThanLimitGets414AsSoonAsTheLimitIsPassed() throws Exception {
        HeadLimits limits = new HeadLimits(64, 1024, 10);
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests(limits);
        // No line end at all: the parser must still stop at the limit, not wait for CRLF.
        ByteBuffer in = bytes("GET /" + "a".repeat(100));

        assertThatThrownBy(() -> parser.parse(in))
                .isInstanceOf(HandshakeException.class)
                .hasMessage("The request line is longer than 64 bytes.")
                .extracting(e -> ((HandshakeException) e).status())
                .isEqualTo(414);
        assertThat(in.position()).isEqualTo(65);
        assertThat(HttpHeadParser.forRequests(limits).parse(bytes("GET /" + "a".repeat(48) + " HTTP/1.1\r\n")))
                .isNull();
    }

    @Test
    void headerSectionLongerThanLimitGets431() {
        HeadLimits limits = new HeadLimits(64, 100, 10);
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests(limits);
        ByteBuffer in = bytes("GET / HTTP/1.1\r\nX-A: " + "b".repeat(200));

        assertThatThrownBy(() -> parser.parse(in))
                .hasMessage("The header section is longer than 100 bytes.")
                .extracting(e -> ((HandshakeException) e).status())
                .isEqualTo(431);
        assertThat(parser.bufferedBytes()).isZero();
    }

    @Test
    void moreThanMaxHeaderFieldsGets431() throws Exception {
        HeadLimits limits = new HeadLimits(64, 1024, 3);
        String three = "GET / HTTP/1.1\r\nA: 1\r\nB: 2\r\nC: 3\r\n";
        assertThat(HttpHeadParser.forRequests(limits)
                        .parse(bytes(three + "\r\n"))
                        .headers()
                        .size())
                .isEqualTo(3);

        assertThatThrownBy(() -> HttpHeadParser.forRequests(limits).parse(bytes(three + "D: 4\r\n\r\n")))
                .hasMessage("The head has more than 3 header fields.")
                .extracting(e -> ((HandshakeException) e).status())
                .isEqualTo(431);
    }

    @Test
    void defaultLimitsAre8KiB16KiBAnd100Fields() {
        assertThat(HeadLimits.defaults()).isEqualTo(new HeadLimits(8192, 16384, 100));
    }

    @Test
    void lineBufferNeverGrowsPastTheLargerLimit() throws Exception {
        HeadLimits limits = new HeadLimits(100, 300, 100);
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests(limits);
        parser.parse(bytes("GET / HTTP/1.1\r\nX-A: " + "b".repeat(280)));

        assertThat(parser.bufferedBytes()).isLessThanOrEqualTo(300);
    }

    @Test
    void mustBeResetAfterAResultOrAnError() throws Exception {
        HttpHeadParser<HttpRequest> parser = HttpHeadParser.forRequests();
        parser.parse(bytes("GET / HTTP/1.1\r\n\r\n"));

        assertThatThrownBy(() -> parser.parse(bytes("GET / HTTP/1.1\r\n\r\n")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("parse in state DONE");

        parser.reset();
        assertThat(parser.parse(bytes("GET /two HTTP/1.1\r\n\r\n")).target()).isEqualTo("/two");
        assertThatThrownBy(() -> parser.parse(bytes("x"))).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void requestTargetAccessors() throws Exception {
        assertThat(Fixtures.request("GET /a/b?x=1&y HTTP/1.1\r\n\r\n").path()).isEqualTo("/a/b");
        assertThat(Fixtures.request("GET /a/b?x=1&y HTTP/1.1\r\n\r\n").query()).isEqualTo("x=1&y");
        assertThat(Fixtures.request("GET /a HTTP/1.1\r\n\r\n").query()).isNull();
        assertThat(Fixtures.request("GET /? HTTP/1.1\r\n\r\n").query()).isEmpty();
        assertThat(Fixtures.request("GET ws://h:1 HTTP/1.1\r\n\r\n").path()).isEqualTo("/");
        assertThat(Fixtures.request("OPTIONS * HTTP/1.1\r\n\r\n").path()).isEqualTo("*");
        assertThat(Fixtures.request("CONNECT h:443 HTTP/1.1\r\n\r\n").isAbsoluteForm())
                .isFalse();
    }
}
