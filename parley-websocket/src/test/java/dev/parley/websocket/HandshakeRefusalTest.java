package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Every way an upgrade request can be refused (RFC 6455 §4.2.1, RFC 9110/9112), over real sockets:
 * the exact status, {@code Connection: close}, the socket closed by the server, and the server
 * still serving a well-behaved client afterwards.
 */
class HandshakeRefusalTest {
    private final Recorder handler = new Recorder();
    private WebSocketServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.builder()
                .route("/ws", handler)
                .http("/health", ex -> ex.respond(200, "text/plain", "ok\n")));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    /** Sends {@code request}, expects a refusal with {@code status}, then checks the server still serves. */
    private RawClient.Response refused(String request, int status) throws Exception {
        RawClient.Response response;
        try (RawClient client = RawClient.connect(port)) {
            client.send(request);
            response = client.readResponse();
            assertThat(response.status()).isEqualTo(status);
            assertThat(response.connectionClose()).as("Connection: close").isTrue();
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2)))
                    .as("socket closed by the server")
                    .isTrue();
        }
        assertWellBehavedClientServed();
        return response;
    }

    private void assertWellBehavedClientServed() throws Exception {
        try (RawClient good = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            good.sendText("hello");
            assertThat(handler.next()).isEqualTo("text hello");
            good.sendClose(1000, "");
            assertThat(good.readFrame().closeCode()).isEqualTo(1000);
            assertThat(good.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(handler.next()).isEqualTo("close 1000 true");
        }
        handler.assertExhausted();
    }

    private String request(String requestLine, String... headers) {
        StringBuilder b = new StringBuilder(requestLine).append("\r\n");
        for (String h : headers) {
            b.append(h).append("\r\n");
        }
        return b.append("\r\n").toString();
    }

    private String host() {
        return "Host: 127.0.0.1:" + port;
    }

    @Test
    void postIsRefusedWith405AndAllowGet() throws Exception {
        RawClient.Response r = refused(
                request(
                        "POST /ws HTTP/1.1",
                        host(),
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + RawClient.KEY,
                        "Sec-WebSocket-Version: 13",
                        "Content-Length: 0"),
                405);
        assertThat(r.header("Allow")).isEqualTo("GET");
    }

    @Test
    void http10IsRefusedWith400() throws Exception {
        refused(
                request(
                        "GET /ws HTTP/1.0",
                        host(),
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + RawClient.KEY,
                        "Sec-WebSocket-Version: 13"),
                400);
    }

    @Test
    void missingHostIsRefusedWith400() throws Exception {
        refused(
                request(
                        "GET /ws HTTP/1.1",
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + RawClient.KEY,
                        "Sec-WebSocket-Version: 13"),
                400);
    }

    @Test
    void missingUpgradeIsRefusedWith426NamingWebsocket() throws Exception {
        RawClient.Response r = refused(
                request(
                        "GET /ws HTTP/1.1",
                        host(),
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + RawClient.KEY,
                        "Sec-WebSocket-Version: 13"),
                426);
        assertThat(r.header("Upgrade")).isEqualToIgnoringCase("websocket");
    }

    @Test
    void version8IsRefusedWith426AndVersion13() throws Exception {
        RawClient.Response r = refused(
                request(
                        "GET /ws HTTP/1.1",
                        host(),
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: " + RawClient.KEY,
                        "Sec-WebSocket-Version: 8"),
                426);
        assertThat(r.header("Sec-WebSocket-Version")).isEqualTo("13");
        assertThat(r.header("Upgrade")).isEqualToIgnoringCase("websocket");
    }

    @Test
    void badKeyIsRefusedWith400() throws Exception {
        refused(
                request(
                        "GET /ws HTTP/1.1",
                        host(),
                        "Upgrade: websocket",
                        "Connection: Upgrade",
                        "Sec-WebSocket-Key: not-base64-of-16-bytes",
                        "Sec-WebSocket-Version: 13"),
                400);
    }

    @Test
    void unknownPathIsRefusedWith404() throws Exception {
        refused(RawClient.upgradeRequest("/nowhere", port), 404);
        assertThat(server.rejections()).containsEntry("404 no route", 1L);
    }

    @Test
    void requestLineOver8KiBIsRefusedWith414() throws Exception {
        refused(RawClient.upgradeRequest("/ws?" + "a".repeat(9 * 1024), port), 414);
    }

    @Test
    void moreThan100HeaderFieldsAreRefusedWith431() throws Exception {
        String[] many = new String[101];
        for (int i = 0; i < many.length; i++) {
            many[i] = "X-Field-" + i + ": v";
        }
        refused(RawClient.upgradeRequest("/ws", port, many), 431);
    }

    @Test
    void headerSectionOver16KiBIsRefusedWith431() throws Exception {
        refused(RawClient.upgradeRequest("/ws", port, "X-Big: " + "b".repeat(17 * 1024)), 431);
    }

    @Test
    void foreignOriginIsRefusedWith403UnderSameOrigin() throws Exception {
        refused(RawClient.upgradeRequest("/ws", port, "Origin: http://evil.example"), 403);
        assertThat(server.rejections()).containsEntry("403 origin refused", 1L);
    }

    @Test
    void sameOriginAndNoOriginAreAllowed() throws Exception {
        try (RawClient same = RawClient.connect(port)) {
            same.send(RawClient.upgradeRequest("/ws", port, "Origin: http://127.0.0.1:" + port));
            assertThat(same.readHead().status()).isEqualTo(101);
            assertThat(handler.next()).isEqualTo("open");
        }
        assertThat(handler.next()).isEqualTo("close 1006 false");
        assertWellBehavedClientServed(); // sends no Origin at all
    }

    @Test
    void refusedUpgradeDoesNotServePipelinedRequests() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send(RawClient.upgradeRequest("/ws", port, "Origin: http://evil.example")
                    + RawClient.upgradeRequest("/ws", port)
                    + "GET /health HTTP/1.1\r\n" + host() + "\r\n\r\n");
            assertThat(client.readResponse().status()).isEqualTo(403);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(client.framesReceived()).isEmpty();
        }
        handler.assertQuietFor(100);
        assertWellBehavedClientServed();
    }
}
