package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.WebSocketSession;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import okhttp3.OkHttpClient;
import okhttp3.Request;
import okhttp3.Response;
import okhttp3.WebSocket;
import okhttp3.WebSocketListener;
import okio.ByteString;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** OkHttp's WebSocket client (which offers permessage-deflate by default) against Parley's echo server. */
class OkHttpClientTest {
    private static final Duration BIG = Duration.ofSeconds(30);
    private static ParleyEchoServer server;
    private static OkHttpClient okhttp;

    @BeforeAll
    static void start() throws Exception {
        server = ParleyEchoServer.start(ParleyEchoServer.Scheme.WS);
        okhttp = new OkHttpClient.Builder().readTimeout(Duration.ofSeconds(30)).build();
    }

    @AfterAll
    static void stop() {
        if (okhttp != null) {
            okhttp.dispatcher().executorService().shutdown();
            okhttp.connectionPool().evictAll();
        }
        if (server != null) {
            server.close();
        }
    }

    @BeforeEach
    void clear() {
        server.clear();
    }

    /** What OkHttp's listener heard, in order. */
    static final class Recorder extends WebSocketListener {
        final LinkedBlockingQueue<Object> seen = new LinkedBlockingQueue<>();
        volatile Response response;

        @Override
        public void onOpen(WebSocket ws, Response r) {
            response = r;
        }

        @Override
        public void onMessage(WebSocket ws, String text) {
            seen.add(text);
        }

        @Override
        public void onMessage(WebSocket ws, ByteString bytes) {
            seen.add(bytes);
        }

        @Override
        public void onClosing(WebSocket ws, int code, String reason) {
            seen.add("closing " + code + " " + reason);
            ws.close(code, null); // the application answers the server's close, as OkHttp asks
        }

        @Override
        public void onClosed(WebSocket ws, int code, String reason) {
            seen.add("closed " + code);
        }

        @Override
        public void onFailure(WebSocket ws, Throwable t, Response r) {
            seen.add("failure " + t);
        }

        Object next(Duration timeout) throws InterruptedException {
            Object o = seen.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
            assertThat(o).as("an event within %s", timeout).isNotNull();
            return o;
        }

        Object next() throws InterruptedException {
            return next(Duration.ofSeconds(10));
        }
    }

    private record Client(WebSocket ws, Recorder recorder, WebSocketSession serverSide) {}

    private Client connect(OkHttpClient http) throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = http.newWebSocket(
                new Request.Builder().url(server.uri("/echo").toString()).build(), recorder);
        WebSocketSession serverSide = server.nextOpened();
        assertThat(serverSide.isCompressed())
                .as("OkHttp offers permessage-deflate")
                .isTrue();
        return new Client(ws, recorder, serverSide);
    }

    private void closeCleanly(Client c) throws Exception {
        closeCleanly(c, false);
    }

    /**
     * Closes from the client and checks both sides saw a clean 1000. {@code pinging}: OkHttp's
     * pinger races OkHttp's own closing of its streams once both close frames have passed; when it
     * loses it reports its closed writer as a failure ("IOException: closed", square/okhttp#3297)
     * and OkHttp reports nothing after it, so the client's events may stop there at any point of
     * its close sequence. The server's side of the close is checked in full either way.
     */
    private void closeCleanly(Client c, boolean pinging) throws Exception {
        assertThat(c.ws().close(1000, "bye")).isTrue();
        if (pinging) {
            List<Object> events = new ArrayList<>();
            for (Object e = c.recorder().next(); ; e = c.recorder().next()) {
                events.add(e);
                if (e.equals("closed 1000") || e.equals(OKHTTP_PINGER_RACE)) {
                    break;
                }
            }
            assertThat(events)
                    .isIn(
                            List.of("closing 1000 ", "closed 1000"),
                            List.of("closing 1000 ", OKHTTP_PINGER_RACE),
                            List.of(OKHTTP_PINGER_RACE));
        } else {
            assertThat(c.recorder().next()).isEqualTo("closing 1000 ");
            assertThat(c.recorder().next()).isEqualTo("closed 1000");
        }
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(1000);
        assertThat(closed.reason()).isEqualTo("bye");
        assertThat(closed.clean()).isTrue();
        if (pinging) {
            assertThat(c.recorder().seen).allMatch(OKHTTP_PINGER_RACE::equals);
        } else {
            assertThat(c.recorder().seen).isEmpty();
        }
    }

    private static final String OKHTTP_PINGER_RACE = "failure java.io.IOException: closed";

    static Stream<Arguments> sizes() {
        return Payloads.SIZES.stream().map(n -> Arguments.of(Payloads.label(n), n));
    }

    @ParameterizedTest(name = "text {0}")
    @MethodSource("sizes")
    void textIsEchoed(String label, int bytes) throws Exception {
        Client c = connect(okhttp);
        String text = Payloads.text(bytes);
        assertThat(c.ws().send(text)).isTrue();
        Object echo = c.recorder().next(BIG);
        assertThat(echo).isInstanceOf(String.class);
        assertThat(((String) echo).length()).isEqualTo(text.length());
        assertThat(echo.equals(text)).as("echo equals the text sent").isTrue();
        closeCleanly(c);
    }

    @ParameterizedTest(name = "binary {0}")
    @MethodSource("sizes")
    void binaryIsEchoed(String label, int bytes) throws Exception {
        Client c = connect(okhttp);
        byte[] data = Payloads.binary(bytes);
        assertThat(c.ws().send(ByteString.of(data))).isTrue();
        Object echo = c.recorder().next(BIG);
        assertThat(echo).isInstanceOf(ByteString.class);
        byte[] got = ((ByteString) echo).toByteArray();
        assertThat(got.length).isEqualTo(data.length);
        assertThat(Arrays.equals(got, data)).as("echo equals the bytes sent").isTrue();
        closeCleanly(c);
    }

    @Test
    void keepalivePingsAreAnsweredAndTheConnectionStaysOpen() throws Exception {
        OkHttpClient pinging =
                okhttp.newBuilder().pingInterval(Duration.ofMillis(100)).build();
        Client c = connect(pinging);
        int before = server.pings.get();
        Thread.sleep(800); // about eight pings; OkHttp fails the socket if a pong is late
        assertThat(c.ws().send("still open")).isTrue();
        assertThat(c.recorder().next()).isEqualTo("still open");
        assertThat(server.pings.get() - before).isGreaterThanOrEqualTo(3);
        closeCleanly(c, true);
    }

    @Test
    void serverClosesWithCodeAndReason() throws Exception {
        Client c = connect(okhttp);
        c.serverSide().close(4001, "server says bye");
        assertThat(c.recorder().next()).isEqualTo("closing 4001 server says bye");
        assertThat(c.recorder().next()).isEqualTo("closed 4001");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(4001);
        assertThat(closed.clean()).isTrue();
    }

    @Test
    void clientClosesWithAnApplicationCode() throws Exception {
        Client c = connect(okhttp);
        c.ws().send("before the close");
        assertThat(c.ws().close(4000, "client says bye")).isTrue();
        assertThat(c.recorder().next()).isEqualTo("before the close");
        assertThat(c.recorder().next()).isEqualTo("closing 4000 ");
        assertThat(c.recorder().next()).isEqualTo("closed 4000");
        ParleyEchoServer.Closed closed = server.nextClosed();
        assertThat(closed.code()).isEqualTo(4000);
        assertThat(closed.reason()).isEqualTo("client says bye");
        assertThat(closed.clean()).isTrue();
    }
}
