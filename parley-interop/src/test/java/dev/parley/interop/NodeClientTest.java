package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.interop.ParleyEchoServer.Scheme;
import dev.parley.protocol.deflate.MessageDeflater;
import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.WebSocketSession;
import java.time.Duration;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.AfterParameterizedClassInvocation;
import org.junit.jupiter.params.BeforeParameterizedClassInvocation;
import org.junit.jupiter.params.Parameter;
import org.junit.jupiter.params.ParameterizedClass;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Node's {@code ws} client against Parley's echo server, with and without permessage-deflate, over
 * ws and over wss (every test runs once per {@link Scheme}). Over wss the server has the
 * self-signed {@link ParleyEchoServer#identity()} and Node trusts exactly its certificate, verifying
 * it against the host name localhost. The Node side generates the payloads and compares the echoes
 * byte for byte; it reports one line per command ({@code src/test/node/peer.js}).
 */
@ParameterizedClass(name = "{0}")
@EnumSource(Scheme.class)
class NodeClientTest {
    private static final Duration BIG = Duration.ofSeconds(30);
    private static ParleyEchoServer server;
    private static NodePeer node;
    private static int ids;

    @Parameter
    Scheme scheme;

    private String id;

    @BeforeAll
    static void startNode() throws Exception {
        node = NodePeer.start("client");
        assertThat(node.next(Duration.ofSeconds(20))).isEqualTo("ready");
    }

    @AfterAll
    static void stopNode() throws Exception {
        if (node != null) {
            node.close();
        }
    }

    @BeforeParameterizedClassInvocation
    static void startServer(Scheme scheme) throws Exception {
        server = ParleyEchoServer.start(scheme);
    }

    @AfterParameterizedClassInvocation
    static void stopServer() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    /** The connect command's last argument: over wss, the certificate Node is to trust. */
    private String trust() {
        return scheme.secure() ? " " + ParleyEchoServer.identity().certificatePem() : "";
    }

    @BeforeEach
    void clear() {
        server.clear();
        id = "c" + ++ids;
    }

    @AfterEach
    void nothingLeft() {
        if (node != null) {
            assertThat(node.pending())
                    .as("lines from the Node client nobody asserted")
                    .isEmpty();
        }
    }

    private WebSocketSession connect(boolean deflate) throws Exception {
        return connect(deflate ? "true" : "false");
    }

    /** Connects the Node client; {@code deflate} is "false", "true" or "all" (every message compressed). */
    private WebSocketSession connect(String deflate) throws Exception {
        boolean compressed = !deflate.equals("false");
        node.send("connect " + id + " " + server.uri("/echo") + " " + deflate + trust());
        assertThat(node.next()).isEqualTo("open " + id + " " + (compressed ? "permessage-deflate" : "-"));
        WebSocketSession session = server.nextOpened();
        assertThat(session.isCompressed()).isEqualTo(compressed);
        return session;
    }

    private void closeCleanly() throws Exception {
        node.send("close " + id + " 1000 bye");
        assertThat(node.next()).isEqualTo("closed " + id + " 1000 ");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(1000);
        assertThat(closed.reason()).isEqualTo("bye");
        assertThat(closed.clean()).isTrue();
    }

    /**
     * Node's defaults ("true": messages under 1 KiB uncompressed), no compression ("false"), and
     * every message compressed, the empty one included ("all", sizes up to 64 KiB).
     */
    static Stream<Arguments> matrix() {
        return Stream.of("true", "false", "all")
                .flatMap(deflate -> Stream.of("text", "binary")
                        .flatMap(kind -> Payloads.SIZES.stream()
                                .filter(n -> !deflate.equals("all") || n <= 65536)
                                .map(n -> Arguments.of(deflate, kind, n))));
    }

    @ParameterizedTest(name = "deflate={0} {1} {2} bytes")
    @MethodSource("matrix")
    void messagesAreEchoedByteForByte(String deflate, String kind, int bytes) throws Exception {
        connect(deflate);
        node.send("echo " + id + " " + kind + " " + bytes);
        assertThat(node.next(BIG)).isEqualTo("echoed " + id + " " + kind + " " + bytes);
        closeCleanly();
    }

    @ParameterizedTest(name = "deflate={0}")
    @ValueSource(booleans = {true, false})
    void fragmentedMessagesAreEchoedWhole(boolean deflate) throws Exception {
        connect(deflate);
        for (String f : new String[] {"text 3 10", "text 9 100000", "binary 4 1", "binary 16 4194304"}) {
            node.send("fragments " + id + " " + f);
            assertThat(node.next(BIG)).isEqualTo("echoed " + id + " fragments " + f);
        }
        closeCleanly();
    }

    /**
     * Parley's adaptive compressor against ws's decompressor, which keeps its window: the first
     * messages compressed on their own, then a kept context, with frames compressed once for many
     * (the broadcast path) in between, each of which restarts that context.
     */
    @Test
    void aStreamOfSimilarMessagesIsEchoedThroughAKeptContext() throws Exception {
        int before = MessageDeflater.keptContexts();
        connect("all");
        node.send("stream " + id + " 60 2000");
        assertThat(node.next(BIG)).isEqualTo("streamed " + id + " 60");
        assertThat(MessageDeflater.keptContexts())
                .as("this session keeps a compressor")
                .isEqualTo(before + 1);
        closeCleanly();
        assertThat(MessageDeflater.keptContexts()).as("given back at close").isEqualTo(before);
    }

    @Test
    void aClientThatStopsReadingGetsEveryEchoOnceItReadsAgain() throws Exception {
        // 40 MiB sent while the client reads nothing: Parley's output passes its high-water mark,
        // it stops reading, TCP pushes back, and everything must flow again when the client reads.
        connect(false);
        node.send("flood " + id + " 40 1048576 1500");
        assertThat(node.next(BIG)).isEqualTo("flooded " + id + " 40");
        closeCleanly();
    }

    @Test
    void pingGetsItsPongAndTheServerSeesIt() throws Exception {
        connect(true);
        int before = server.pings.get();
        node.send("ping " + id + " hello parley");
        assertThat(node.next()).isEqualTo("pong " + id + " hello parley");
        assertThat(server.pings.get()).isEqualTo(before + 1);
        closeCleanly();
    }

    @Test
    void clientClosesWithAnApplicationCode() throws Exception {
        connect(false);
        node.send("close " + id + " 4000 client says bye");
        assertThat(node.next()).isEqualTo("closed " + id + " 4000 ");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(4000);
        assertThat(closed.reason()).isEqualTo("client says bye");
        assertThat(closed.clean()).isTrue();
    }

    @Test
    void serverClosesWithCodeAndReason() throws Exception {
        WebSocketSession session = connect(true);
        session.close(4001, "server says bye");
        assertThat(node.next()).isEqualTo("closed " + id + " 4001 server says bye");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(4001);
        assertThat(closed.clean()).isTrue();
    }

    @Test
    void bothSidesClosingAtOnceEndsCleanlyOnBoth() throws Exception {
        WebSocketSession session = connect(false);
        node.send("close " + id + " 4003 client");
        session.close(4002, "server");
        assertThat(node.next(Duration.ofSeconds(3))).matches("closed " + id + " 400[23] .*");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isIn(4002, 4003);
        assertThat(closed.clean()).isTrue();
    }

    @Test
    void serverKeepalivePingsAreAnsweredByTheIdleClient() throws Exception {
        assumeFalse(scheme.secure(), ParleyEchoServer.KEEPALIVE_OVER_WS_ONLY);
        ServerLimits keepalive = ParleyEchoServer.LIMITS
                .withPingInterval(Duration.ofMillis(100))
                .withPongTimeout(Duration.ofMillis(400));
        try (ParleyEchoServer other = ParleyEchoServer.start(scheme, keepalive)) {
            node.send("connect " + id + " " + other.uri("/echo") + " false" + trust());
            assertThat(node.next()).startsWith("open " + id);
            WebSocketSession session = other.nextOpened();
            Thread.sleep(1_500); // an idle client: only its pongs keep the session past the pong timeout
            assertThat(session.isOpen()).isTrue();
            node.send("echo " + id + " text 100");
            assertThat(node.next()).isEqualTo("echoed " + id + " text 100");
            node.send("close " + id + " 1000 bye");
            assertThat(node.next()).isEqualTo("closed " + id + " 1000 ");
            assertThat(other.nextClosed().clean()).isTrue();
        }
    }

    @Test
    void serverGoingAwayAtShutdownIs1001() throws Exception {
        // A server of its own: shutting down the shared one would end the other tests.
        try (ParleyEchoServer other = ParleyEchoServer.start(scheme)) {
            node.send("connect " + id + " " + other.uri("/echo") + " false" + trust());
            assertThat(node.next()).startsWith("open " + id);
            other.nextOpened();
            other.server().shutdown(Duration.ofSeconds(5));
            assertThat(node.next()).startsWith("closed " + id + " 1001");
        }
    }

    @Test
    void clientDropsTheConnectionAndTheServerSees1006() throws Exception {
        connect(false);
        node.send("terminate " + id);
        assertThat(node.next()).isEqualTo("closed " + id + " 1006 ");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(1006);
        assertThat(closed.clean()).isFalse();
    }

    @Test
    void twoHundredConcurrentClientsGetTheirEchoesInOrder() throws Exception {
        node.send("load " + id + " " + server.uri("/echo") + " 200 20 true" + trust());
        assertThat(node.next(Duration.ofSeconds(30))).startsWith("load ok 200 ");
        for (int i = 0; i < 200; i++) {
            ParleyEchoServer.Closed closed = server.nextClosed();
            assertThat(closed.code()).isEqualTo(1000);
        }
        server.opened.clear();
    }
}
