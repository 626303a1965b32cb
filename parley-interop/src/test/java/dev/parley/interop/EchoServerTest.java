package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.*;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Parley's server against the JDK's own WebSocket client (java.net.http), over real sockets. */
class EchoServerTest {
    private WebSocketServer server;
    private final LinkedBlockingQueue<String> closes = new LinkedBlockingQueue<>();

    @BeforeEach
    void start() throws Exception {
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .eventLoops(2)
                .route("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession s, String text) {
                        s.send(text);
                    }

                    @Override
                    public void onBinary(WebSocketSession s, ByteBuffer data) {
                        s.send(data);
                    }

                    @Override
                    public void onClose(WebSocketSession s, int code, String reason, boolean clean) {
                        closes.add(code + " " + clean);
                    }
                })
                .http("/health", ex -> ex.respond(200, "text/plain", "ok\n"))
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(5));
    }

    /** Collects what the JDK client receives. */
    static final class Recorder implements WebSocket.Listener {
        final LinkedBlockingQueue<Object> received = new LinkedBlockingQueue<>();
        private final StringBuilder text = new StringBuilder();
        private ByteBuffer binary = ByteBuffer.allocate(0);

        @Override
        public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
            text.append(data);
            if (last) {
                received.add(text.toString());
                text.setLength(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onBinary(WebSocket ws, ByteBuffer data, boolean last) {
            ByteBuffer joined = ByteBuffer.allocate(binary.remaining() + data.remaining());
            joined.put(binary).put(data).flip();
            binary = joined;
            if (last) {
                received.add(binary);
                binary = ByteBuffer.allocate(0);
            }
            ws.request(1);
            return null;
        }

        @Override
        public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
            received.add("close " + code);
            return null;
        }

        Object next() throws InterruptedException {
            Object o = received.poll(10, TimeUnit.SECONDS);
            assertThat(o).as("a message within 10 s").isNotNull();
            return o;
        }
    }

    private WebSocket connect(Recorder recorder) {
        return HttpClient.newHttpClient()
                .newWebSocketBuilder()
                .buildAsync(URI.create("ws://127.0.0.1:" + server.port() + "/echo"), recorder)
                .join();
    }

    @Test
    void jdkClientGetsTextAndBinaryEchoedAndClosesCleanly() throws Exception {
        Recorder recorder = new Recorder();
        WebSocket ws = connect(recorder);
        ws.sendText("hello, κόσμε", true).join();
        assertThat(recorder.next()).isEqualTo("hello, κόσμε");

        byte[] big = new byte[512 * 1024];
        for (int i = 0; i < big.length; i++) {
            big[i] = (byte) (i * 31);
        }
        ws.sendBinary(ByteBuffer.wrap(big), true).join();
        assertThat(recorder.next()).isEqualTo(ByteBuffer.wrap(big));

        ws.sendText("frag", false).join();
        ws.sendText("mented", true).join();
        assertThat(recorder.next()).isEqualTo("fragmented");

        ws.sendClose(1000, "done").join();
        assertThat(recorder.next()).isEqualTo("close 1000");
        assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo("1000 true");
    }

    @Test
    void aMessageOverTheLimitIsClosedWith1009AndOthersKeepWorking() throws Exception {
        Recorder bad = new Recorder();
        WebSocket offender = connect(bad);
        Recorder good = new Recorder();
        WebSocket bystander = connect(good);

        offender.sendBinary(ByteBuffer.allocate((1 << 20) + 1), true);
        assertThat(bad.next()).isEqualTo("close 1009");
        assertThat(closes.poll(10, TimeUnit.SECONDS)).startsWith("1009");

        bystander.sendText("still here", true).join();
        assertThat(good.next()).isEqualTo("still here");
    }

    @Test
    void plainHttpRoutesAnswerAndUnknownPathsGet404() throws Exception {
        HttpClient http = HttpClient.newHttpClient();
        var ok = http.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(ok.statusCode()).isEqualTo(200);
        assertThat(ok.body()).isEqualTo("ok\n");
        var missing = http.send(
                java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/nope"))
                        .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
        assertThat(missing.statusCode()).isEqualTo(404);
        assertThat(server.rejections()).containsEntry("404 no route", 1L);
    }

    @Test
    void parleyClientTalksToParleyServer() throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (WebSocketClient client = WebSocketClient.builder().build()) {
            WebSocketSession ws = client.connect(
                            URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocketHandler() {
                                @Override
                                public void onText(WebSocketSession s, String text) {
                                    got.add(text);
                                }

                                @Override
                                public void onClose(WebSocketSession s, int code, String reason, boolean clean) {
                                    got.add("closed " + code + " " + clean);
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            assertThat(ws.send("ping-pong")).isEqualTo(SendResult.SENT);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("ping-pong");
            Duration rtt = ws.measureLatency().get(10, TimeUnit.SECONDS);
            assertThat(rtt).isPositive();
            ws.close(1000, "bye");
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo("closed 1000 true");
            assertThat(closes.poll(10, TimeUnit.SECONDS)).isEqualTo("1000 true");
        }
    }
}
