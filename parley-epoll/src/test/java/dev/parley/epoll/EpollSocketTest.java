package dev.parley.epoll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Limits;
import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.BindException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the native sockets do on their own: the parts parley-websocket's suite (run again here, on
 * epoll) does not reach. Every peer is a real one: the JDK's WebSocket client or a plain socket.
 */
class EpollSocketTest {
    private static final int BIG = 8 * 1024 * 1024; // far more than loopback's socket buffers

    /** Echoes, and keeps each session's peer address. */
    static final class Echo implements WebSocketHandler {
        final BlockingQueue<InetSocketAddress> peers = new LinkedBlockingQueue<>();

        @Override
        public void onOpen(WebSocketSession session) {
            peers.add(session.remoteAddress());
        }

        @Override
        public void onBinary(WebSocketSession session, ByteBuffer data) {
            session.send(data);
        }
    }

    private static WebSocketServer start(String host, Echo echo) throws IOException {
        ServerLimits limits =
                ServerLimits.defaults().withProtocol(new Limits(BIG, BIG, 64)).withMaxOutboundBuffer(2L * BIG);
        WebSocketServer server = WebSocketServer.builder()
                .host(host)
                .port(0)
                .limits(limits)
                .route("/echo", echo)
                .build()
                .start();
        assertThat(server.io()).isEqualTo("epoll");
        return server;
    }

    @Test
    void aMessageLargerThanTheSocketTakesAtOnceIsEchoedWhole() throws Exception {
        byte[] payload = new byte[BIG];
        new Random(7).nextBytes(payload);
        try (WebSocketServer server = start("127.0.0.1", new Echo())) {
            CompletableFuture<byte[]> echoed = new CompletableFuture<>();
            ByteArrayOutputStream received = new ByteArrayOutputStream();
            WebSocket.Listener listener = new WebSocket.Listener() {
                @Override
                public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
                    byte[] part = new byte[data.remaining()];
                    data.get(part);
                    received.writeBytes(part);
                    if (last) {
                        echoed.complete(received.toByteArray());
                    }
                    ws.request(1);
                    return null;
                }
            };
            WebSocket ws = HttpClient.newHttpClient()
                    .newWebSocketBuilder()
                    .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), listener)
                    .get(10, TimeUnit.SECONDS);
            ws.sendBinary(ByteBuffer.wrap(payload), true).get(30, TimeUnit.SECONDS);
            assertThat(echoed.get(30, TimeUnit.SECONDS)).isEqualTo(payload);
            ws.sendClose(1000, "").get(10, TimeUnit.SECONDS);
        }
    }

    @Test
    void aSessionsPeerAddressIsTheClientSocketsOwnAddress() throws Exception {
        for (String host : List.of("127.0.0.1", "::1")) {
            Echo echo = new Echo();
            try (WebSocketServer server = start(host, echo);
                    Socket client = upgrade(server)) {
                InetSocketAddress peer = echo.peers.poll(10, TimeUnit.SECONDS);
                assertThat(peer).isEqualTo(client.getLocalSocketAddress());
                assertThat(server.address().getAddress()).isEqualTo(client.getInetAddress());
            }
        }
    }

    @Test
    void everySocketIsClosedWhenItsConnectionEnds() throws Exception {
        Echo echo = new Echo();
        try (WebSocketServer server = start("127.0.0.1", echo)) {
            long before = openDescriptors();
            List<Socket> clients = new ArrayList<>();
            for (int i = 0; i < 200; i++) {
                clients.add(upgrade(server));
            }
            for (int i = 0; i < 200; i++) {
                assertThat(echo.peers.poll(10, TimeUnit.SECONDS)).isNotNull();
            }
            assertThat(openDescriptors()).isGreaterThanOrEqualTo(before + 400); // both ends of each
            for (Socket client : clients) {
                client.close(); // no closing handshake: the server reads end of stream
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while ((server.sessionCount() > 0 || openDescriptors() > before) && System.nanoTime() < deadline) {
                Thread.onSpinWait(); // no event tells of a descriptor closed: the count is polled
            }
            assertThat(server.sessionCount()).isZero();
            assertThat(openDescriptors()).isLessThanOrEqualTo(before);
        }
    }

    @Test
    void aPortAlreadyTakenIsABindException() throws Exception {
        try (WebSocketServer first = start("127.0.0.1", new Echo())) {
            WebSocketServer second = WebSocketServer.builder()
                    .host("127.0.0.1")
                    .port(first.port())
                    .build();
            assertThatThrownBy(second::start)
                    .isInstanceOf(BindException.class)
                    .hasMessageContaining("Address already in use");
        }
    }

    @Test
    void theSystemPropertyKeepsTheServerOnJavaNio() throws Exception {
        System.setProperty("parley.io", "nio");
        try (WebSocketServer server =
                WebSocketServer.builder().host("127.0.0.1").port(0).build().start()) {
            assertThat(server.io()).isEqualTo("nio");
        } finally {
            System.clearProperty("parley.io");
        }
    }

    /** A plain socket that has completed the upgrade on /echo. */
    private static Socket upgrade(WebSocketServer server) throws IOException {
        Socket socket = new Socket(server.address().getAddress(), server.port());
        OutputStream out = socket.getOutputStream();
        out.write(("GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n"
                        + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\nSec-WebSocket-Version: 13\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
        out.flush();
        InputStream in = socket.getInputStream();
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed during the handshake: " + head);
            }
            head.append((char) b);
        }
        assertThat(head.toString()).startsWith("HTTP/1.1 101 ");
        return socket;
    }

    private static long openDescriptors() throws IOException {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        }
    }
}
