package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.SendResult;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketClient.ConnectOptions;
import dev.parley.websocket.WebSocketSession;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * What Parley's client must do against any real server: the same tests run against each peer by
 * subclassing. A peer serves {@code /echo} (every message back unchanged) and {@code /cmd}, where
 * a text message is a command for the server side:
 *
 * <ul>
 *   <li>{@code fragments <text|binary> <count> <bytes>}: sends {@link Payloads} of that many bytes
 *       as a fragmented message;
 *   <li>{@code interleave <count>}: sends {@code text(count * 2000)} in fragments with a ping
 *       {@code between <i>} between each two (a control frame inside a fragmented message);
 *   <li>{@code close-empty}: sends a close frame without a status code;
 *   <li>{@code ping <data>}: pings; the pong is answered with a text {@code pong <data>};
 *   <li>{@code close <code> <reason>}: starts the closing handshake;
 *   <li>{@code terminate}: drops the TCP connection without a close frame.
 * </ul>
 *
 * {@code /greet} sends {@code hello <tag>} as soon as the session opens, then echoes. Each connection carries a {@code tag} query parameter so the peer can report its side of the
 * close ({@link #serverSawClose}).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ParleyClientContract {
    private static final Duration BIG = Duration.ofSeconds(30);
    private static final AtomicInteger TAGS = new AtomicInteger();

    private WebSocketClient client;

    /** Starts the peer. */
    protected abstract void startPeer() throws Exception;

    /** Stops the peer. */
    protected abstract void stopPeer() throws Exception;

    /** A URI on the peer for the path, with {@code ?tag=}: {@code ws://}, or {@code wss://} if {@link #scheme} is. */
    protected abstract URI uri(String path, String tag);

    /**
     * How the client reaches the peer. Over wss the peer serves {@link ParleyEchoServer#identity()}
     * and the client trusts exactly that certificate, with hostname verification on.
     */
    protected ParleyEchoServer.Scheme scheme() {
        return ParleyEchoServer.Scheme.WS;
    }

    /** Whether permessage-deflate should be negotiated with this peer. */
    protected abstract boolean expectCompressed();

    /** What the client offers for permessage-deflate; null offers nothing. */
    protected DeflateConfig compression() {
        return DeflateConfig.defaults();
    }

    /** "code reason" of the close the peer saw on the connection with this tag. */
    protected abstract String serverSawClose(String tag) throws Exception;

    @BeforeAll
    void start() throws Exception {
        startPeer();
        client = clientBuilder().eventLoops(1).limits(ParleyEchoServer.LIMITS).build();
    }

    /** A client builder that trusts the peer's certificate when the {@link #scheme} is wss. */
    private WebSocketClient.Builder clientBuilder() {
        WebSocketClient.Builder builder = WebSocketClient.builder();
        if (scheme().secure()) {
            builder.tls(TlsConfig.trusting(ParleyEchoServer.identity().certificate()));
        }
        return builder;
    }

    @AfterAll
    void stop() throws Exception {
        if (client != null) {
            client.close();
        }
        stopPeer();
    }

    /** A connection to the peer; its recorder sees everything. */
    record Peer(WebSocketSession session, ParleyRecorder recorder, String tag) {}

    Peer connect(String path) throws Exception {
        String tag = "t" + TAGS.incrementAndGet();
        ParleyRecorder recorder = new ParleyRecorder();
        ConnectOptions options = compression() == null
                ? ConnectOptions.defaults()
                : ConnectOptions.defaults().withCompression(compression());
        // The contract (WebSocketClient.connect): the handler's onOpen runs before the future completes.
        boolean[] openedFirst = new boolean[1];
        WebSocketSession session = client.connect(uri(path, tag), options, recorder)
                .thenApply(s -> {
                    openedFirst[0] = recorder.opened;
                    return s;
                })
                .get(10, TimeUnit.SECONDS);
        assertThat(openedFirst[0])
                .as("onOpen ran before the connect future completed")
                .isTrue();
        assertThat(session.isCompressed()).as("permessage-deflate negotiated").isEqualTo(expectCompressed());
        return new Peer(session, recorder, tag);
    }

    /** Ends a test's connection with a clean close and checks both sides agree on it. */
    void closeCleanly(Peer p) throws Exception {
        p.session().close(1000, "done");
        ParleyRecorder.Closed closed = p.recorder().closed();
        assertThat(closed.code()).isEqualTo(1000); // the reply's reason is the peer's choice
        assertThat(closed.clean()).isTrue();
        assertThat(serverSawClose(p.tag())).isEqualTo("1000 done");
        p.recorder().assertQuiet();
    }

    static Stream<Arguments> sizes() {
        return Payloads.SIZES.stream().map(n -> Arguments.of(Payloads.label(n), n));
    }

    @ParameterizedTest(name = "text {0}")
    @MethodSource("sizes")
    void textIsEchoed(String label, int bytes) throws Exception {
        Peer p = connect("/echo");
        String text = Payloads.text(bytes);
        assertThat(p.session().send(text)).isNotEqualTo(SendResult.DROPPED);
        String echo = p.recorder().next(ParleyRecorder.Text.class, BIG).text();
        assertThat(echo.length()).isEqualTo(text.length());
        assertThat(echo.equals(text)).as("echo equals the text sent").isTrue();
        closeCleanly(p);
    }

    @ParameterizedTest(name = "binary {0}")
    @MethodSource("sizes")
    void binaryIsEchoed(String label, int bytes) throws Exception {
        Peer p = connect("/echo");
        byte[] data = Payloads.binary(bytes);
        assertThat(p.session().send(data)).isNotEqualTo(SendResult.DROPPED);
        byte[] echo = p.recorder().next(ParleyRecorder.Binary.class, BIG).data();
        assertThat(echo.length).isEqualTo(data.length);
        assertThat(java.util.Arrays.equals(echo, data))
                .as("echo equals the bytes sent")
                .isTrue();
        closeCleanly(p);
    }

    @Test
    void manyMessagesInARowArriveInOrder() throws Exception {
        Peer p = connect("/echo");
        for (int i = 0; i < 200; i++) {
            SendResult r = i % 2 == 0
                    ? p.session().send("message " + i + " " + Payloads.text(i * 10))
                    : p.session().send(Payloads.binary(i * 10));
            assertThat(r).isNotEqualTo(SendResult.DROPPED);
        }
        for (int i = 0; i < 200; i++) {
            if (i % 2 == 0) {
                assertThat(p.recorder().next(ParleyRecorder.Text.class).text())
                        .isEqualTo("message " + i + " " + Payloads.text(i * 10));
            } else {
                assertThat(p.recorder().next(ParleyRecorder.Binary.class).data())
                        .isEqualTo(Payloads.binary(i * 10));
            }
        }
        closeCleanly(p);
    }

    @ParameterizedTest(name = "{0} in {1} fragments of {2} bytes in all")
    @MethodSource("fragmentations")
    void fragmentedMessagesFromTheServerArriveWhole(String kind, int count, int bytes) throws Exception {
        Peer p = connect("/cmd");
        p.session().send("fragments " + kind + " " + count + " " + bytes);
        if (kind.equals("text")) {
            assertThat(p.recorder().next(ParleyRecorder.Text.class, BIG).text()).isEqualTo(Payloads.text(bytes));
        } else {
            assertThat(p.recorder().next(ParleyRecorder.Binary.class, BIG).data())
                    .isEqualTo(Payloads.binary(bytes));
        }
        closeCleanly(p);
    }

    static Stream<Arguments> fragmentations() {
        return Stream.of(
                Arguments.of("text", 3, 10),
                Arguments.of("text", 7, 100_000),
                Arguments.of("text", 64, 1 << 20),
                Arguments.of("binary", 2, 1),
                Arguments.of("binary", 5, 5 << 20));
    }

    @Test
    void aMessageRightBehindTheHandshakeResponseIsDelivered() throws Exception {
        Peer p = connect("/greet");
        assertThat(p.recorder().next(ParleyRecorder.Text.class).text()).isEqualTo("hello " + p.tag());
        p.session().send("and back");
        assertThat(p.recorder().next(ParleyRecorder.Text.class).text()).isEqualTo("and back");
        closeCleanly(p);
    }

    @Test
    void pingsBetweenTheFragmentsOfAMessageArriveBeforeIt() throws Exception {
        Peer p = connect("/cmd");
        p.session().send("interleave 8");
        int pings = 0;
        for (ParleyRecorder.Seen s = p.recorder().next(); ; s = p.recorder().next()) {
            if (s instanceof ParleyRecorder.Ping ping) {
                assertThat(ping.data()).isEqualTo("between " + ++pings);
            } else {
                assertThat(s).isEqualTo(new ParleyRecorder.Text(Payloads.text(8 * 2000)));
                break;
            }
        }
        assertThat(pings).isGreaterThan(1);
        p.session().send("ping still in step");
        assertThat(p.recorder().next(ParleyRecorder.Ping.class).data()).isEqualTo("still in step");
        assertThat(p.recorder().next(ParleyRecorder.Text.class).text()).isEqualTo("pong still in step");
        closeCleanly(p);
    }

    @Test
    void aCloseWithoutAStatusCodeIsReportedAs1005() throws Exception {
        Peer p = connect("/cmd");
        p.session().send("close-empty");
        assertThat(p.recorder().closed()).isEqualTo(new ParleyRecorder.Closed(1005, "", true));
        p.recorder().assertQuiet();
    }

    @Test
    void clientPingGetsAPong() throws Exception {
        Peer p = connect("/echo");
        assertThat(p.session().measureLatency().get(10, TimeUnit.SECONDS)).isPositive();
        assertThat(p.session().ping(ByteBuffer.wrap("are you there".getBytes(StandardCharsets.UTF_8))))
                .isEqualTo(SendResult.SENT);
        p.session().send("after the ping");
        assertThat(p.recorder().next(ParleyRecorder.Text.class).text()).isEqualTo("after the ping");
        closeCleanly(p);
    }

    @Test
    void serverPingIsAnsweredWithItsData() throws Exception {
        Peer p = connect("/cmd");
        p.session().send("ping hello parley");
        assertThat(p.recorder().next(ParleyRecorder.Ping.class).data()).isEqualTo("hello parley");
        assertThat(p.recorder().next(ParleyRecorder.Text.class).text()).isEqualTo("pong hello parley");
        closeCleanly(p);
    }

    @Test
    void clientClosesWithAnApplicationCode() throws Exception {
        Peer p = connect("/echo");
        p.session().close(4000, "client says bye");
        assertThat(p.recorder().closed().code()).isEqualTo(4000);
        assertThat(serverSawClose(p.tag())).isEqualTo("4000 client says bye");
    }

    @Test
    void serverClosesAndTheClientHearsCodeAndReason() throws Exception {
        Peer p = connect("/cmd");
        p.session().send("close 4001 server says bye");
        assertThat(p.recorder().closed()).isEqualTo(new ParleyRecorder.Closed(4001, "server says bye", true));
        assertThat(serverSawClose(p.tag())).startsWith("4001 "); // the reason is the reply's
        assertThat(p.session().isOpen()).isFalse();
        p.recorder().assertQuiet();
    }

    @Test
    void clientAbortIsSeenAs1006ByTheServer() throws Exception {
        Peer p = connect("/echo");
        p.session().abort();
        ParleyRecorder.Closed closed = p.recorder().closed();
        assertThat(closed.code()).isEqualTo(1006);
        assertThat(closed.clean()).isFalse();
        assertThat(serverSawClose(p.tag())).startsWith("1006");
    }

    @Test
    void clientKeepalivePingsAreAnsweredAndTheSessionStaysOpen() throws Exception {
        assumeFalse(scheme().secure(), ParleyEchoServer.KEEPALIVE_OVER_WS_ONLY);
        try (WebSocketClient pinging = clientBuilder()
                .limits(ParleyEchoServer.LIMITS
                        .withPingInterval(Duration.ofMillis(100))
                        .withPongTimeout(Duration.ofMillis(500)))
                .build()) {
            ParleyRecorder recorder = new ParleyRecorder();
            WebSocketSession session =
                    pinging.connect(uri("/echo", "keepalive"), recorder).get(10, TimeUnit.SECONDS);
            Thread.sleep(1_200); // several keepalive pings, each answered within the pong timeout
            assertThat(session.isOpen()).isTrue();
            session.send("still here");
            assertThat(recorder.next(ParleyRecorder.Text.class).text()).isEqualTo("still here");
            session.close(1000, "done");
            assertThat(recorder.closed().clean()).isTrue();
            recorder.assertQuiet();
        }
    }

    @Test
    void serverDropsTheConnectionAndTheClientSees1006() throws Exception {
        Peer p = connect("/cmd");
        p.session().send("terminate");
        ParleyRecorder.Closed closed = p.recorder().closed();
        assertThat(closed.code()).isEqualTo(1006);
        assertThat(closed.clean()).isFalse();
        assertThat(p.session().send("too late")).isEqualTo(SendResult.DROPPED);
    }
}
