package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import dev.parley.protocol.frame.FrameEncoder;
import java.nio.ByteBuffer;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Frame and message limits and bad input (RFC 6455 §5, §7.4.1): each time the raw client receives
 * the close frame with the right code, the server closes TCP, the handler hears onError then
 * onClose, and a second client is served. Limits here: frames 1 KiB, messages 4 KiB.
 */
class FrameLimitsTest {
    private final Recorder handler = new Recorder();
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

    private void assertClosedWith(byte[] offending, int code) throws Exception {
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            client.send(offending);
            RawClient.Frame close = client.readFrame();
            assertThat(close.closeCode()).isEqualTo(code);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(handler.next(2)).containsExactly("error " + code, "close " + code + " false");
        try (RawClient good = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            good.sendText("fine");
            assertThat(handler.next()).isEqualTo("text fine");
            good.sendClose(1000, "");
            assertThat(good.readFrame().closeCode()).isEqualTo(1000);
            assertThat(handler.next()).isEqualTo("close 1000 true");
        }
        handler.assertExhausted();
    }

    @Test
    void frameOverMaxFramePayloadIsClosedWith1009() throws Exception {
        assertClosedWith(RawClient.frame(Opcode.BINARY, true, new byte[1025]), 1009);
    }

    @Test
    void frameAtMaxFramePayloadIsAccepted() throws Exception {
        try (RawClient client = RawClient.open(port, "/ws")) {
            assertThat(handler.next()).isEqualTo("open");
            client.send(RawClient.frame(Opcode.BINARY, true, new byte[1024]));
            assertThat(handler.next()).isEqualTo("binary 1024");
            client.sendClose(1000, "");
            assertThat(client.readFrame().closeCode()).isEqualTo(1000);
        }
        assertThat(handler.next()).isEqualTo("close 1000 true");
        handler.assertExhausted();
    }

    @Test
    void messageOverTheLimitAcrossFragmentsIsClosedWith1009() throws Exception {
        ByteBuffer fragments = ByteBuffer.allocate(5 * 1100);
        fragments.put(RawClient.frame(Opcode.BINARY, false, new byte[1000]));
        for (int i = 0; i < 3; i++) {
            fragments.put(RawClient.frame(Opcode.CONTINUATION, false, new byte[1000]));
        }
        fragments.put(RawClient.frame(Opcode.CONTINUATION, true, new byte[97])); // 4097 in all
        byte[] bytes = new byte[fragments.flip().remaining()];
        fragments.get(bytes);
        assertClosedWith(bytes, 1009);
    }

    @Test
    void unmaskedClientFrameIsClosedWith1002() throws Exception {
        ByteBuffer unmasked =
                new FrameEncoder(Role.SERVER).encode(Opcode.TEXT, true, 0, ByteBuffer.wrap(new byte[] {'h'}));
        assertThat(unmasked.get(1) & 0x80).as("mask bit").isZero();
        byte[] bytes = new byte[unmasked.remaining()];
        unmasked.get(bytes);
        assertClosedWith(bytes, 1002);
    }

    @Test
    void invalidUtf8TextIsClosedWith1007() throws Exception {
        assertClosedWith(RawClient.frame(Opcode.TEXT, true, new byte[] {'o', 'k', (byte) 0xC0, (byte) 0xAF}), 1007);
    }

    @Test
    void reservedOpcodeIsClosedWith1002() throws Exception {
        assertClosedWith(new byte[] {(byte) 0x83, (byte) 0x80, 1, 2, 3, 4}, 1002); // FIN, opcode 0x3, masked, empty
    }

    /**
     * The close frame reaches a client that reads late and is still sending: the server must not
     * close its socket with the client's bytes unread, for that sends RST, and RST discards what the
     * server's send buffer still holds (here echoes the client has not read yet, then the close
     * frame). It half-closes instead, drops what the client still sends, and closes at its EOF.
     */
    @Test
    void theCloseFrameReachesAClientThatReadsLateAndIsStillSending() throws Exception {
        WebSocketServer echo = TestServers.start(TestServers.builder().route("/echo", new WebSocketHandler() {
            @Override
            public void onText(WebSocketSession s, String text) {
                s.send(text);
            }
        }));
        try (RawClient client = RawClient.open(echo.port(), "/echo", 4096)) {
            String text = "x".repeat(1000);
            for (int i = 0; i < 100; i++) {
                client.sendText(text); // 100 KB of echoes: more than the client's window takes
            }
            byte[] oversized = RawClient.frame(Opcode.BINARY, true, new byte[1 << 20]);
            Thread sender = new Thread(() -> {
                try {
                    client.send(oversized); // refused at its header; the rest keeps coming
                } catch (java.io.IOException e) {
                    // the server may end the connection before all of it is sent
                }
            });
            sender.start();
            for (int i = 0; i < 100; i++) {
                assertThat(client.readFrame().text()).isEqualTo(text);
            }
            assertThat(client.readFrame().closeCode()).isEqualTo(1009);
            sender.join(5_000);
            assertThat(sender.isAlive()).isFalse();
            client.socket.shutdownOutput();
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        } finally {
            echo.shutdown(Duration.ofSeconds(2));
        }
    }
}
