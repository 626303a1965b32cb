package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The closing handshake (RFC 6455 §5.5.1, §7.1) from either side, timed out, or cut short. */
class CloseHandshakeTest {
    private final Recorder handler = new Recorder() {
        @Override
        public void onText(WebSocketSession s, String text) {
            super.onText(s, text);
            if (text.equals("close me")) {
                s.close(4000, "bye");
            }
        }
    };
    private WebSocketServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.builder().route("/ws", handler));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    @Test
    void clientInitiatedCloseIsEchoedAndTheServerClosesTcp() throws Exception {
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            client.sendClose(1000, "done");
            RawClient.Frame echo = client.readFrame();
            assertThat(echo.closeCode()).isEqualTo(1000);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(client.framesReceived()).isEmpty();
        }
        assertThat(handler.next()).isEqualTo("close 1000 true");
        handler.assertExhausted();
    }

    @Test
    void aPingTheClientSendsAfterTheClosingHandshakeDoesNotResetTheConnection() throws Exception {
        // OkHttp's keepalive timer may send a ping after its close frame. The server has closed its
        // side by then; had it closed the socket, the ping would meet an RST and the client's next
        // write or read would fail instead of seeing a clean close.
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            client.sendClose(1000, "done");
            assertThat(client.readFrame().closeCode()).isEqualTo(1000);
            client.sendFrame(Opcode.PING, true, "late".getBytes(StandardCharsets.US_ASCII));
            client.sendFrame(Opcode.PING, true, "later".getBytes(StandardCharsets.US_ASCII));
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(client.framesReceived()).as("no pong after the close").isEmpty();
        }
        assertThat(handler.next()).isEqualTo("close 1000 true");
        handler.assertExhausted();
    }

    @Test
    void serverInitiatedCloseAnsweredByTheClientIsClean() throws Exception {
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            client.sendText("close me");
            assertThat(handler.next()).isEqualTo("text close me");
            RawClient.Frame close = client.readFrame();
            assertThat(close.closeCode()).isEqualTo(4000);
            assertThat(close.closeReason()).isEqualTo("bye");
            client.sendClose(4000, "");
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(handler.next()).isEqualTo("close 4000 true");
        handler.assertExhausted();
    }

    @Test
    void clientThatNeverAnswersTheServersCloseIsDroppedAfterTheCloseTimeout() throws Exception {
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            client.sendText("close me");
            assertThat(handler.next()).isEqualTo("text close me");
            assertThat(client.readFrame().closeCode()).isEqualTo(4000);
            long started = System.nanoTime();
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat((System.nanoTime() - started) / 1_000_000).isBetween(200L, 1_500L);
        }
        assertThat(handler.next()).isEqualTo("close 1006 false");
        handler.assertExhausted();
    }

    @Test
    void abruptResetIsReportedAs1006NotClean() throws Exception {
        RawClient client = RawClient.open(port, "/ws");
        assertThat(handler.next()).isEqualTo("open");
        client.sendText("unread by nobody");
        assertThat(handler.next()).isEqualTo("text unread by nobody");
        client.socket.setSoLinger(true, 0);
        client.close(); // RST
        String first = handler.next();
        if (first.startsWith("error")) {
            assertThat(first).isEqualTo("error 1006");
            first = handler.next();
        }
        assertThat(first).isEqualTo("close 1006 false");
        handler.assertExhausted();
    }

    @Test
    void bothSidesClosingAtOnceCompleteTheHandshake() throws Exception {
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            // The server's close (4000) and the client's (1000) cross on the wire.
            ByteArrayOutputStream both = new ByteArrayOutputStream();
            both.writeBytes(RawClient.frame(Opcode.TEXT, true, "close me".getBytes(StandardCharsets.UTF_8)));
            both.writeBytes(RawClient.frame(Opcode.CLOSE, true, RawClient.closePayload(1000, "me too")));
            client.send(both.toByteArray());
            assertThat(client.readFrame().closeCode()).isEqualTo(4000);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
            assertThat(client.framesReceived()).isEmpty(); // one close frame, not two
        }
        assertThat(handler.next(2)).containsExactly("text close me", "close 1000 true");
        handler.assertExhausted();
    }
}
