package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.interop.ParleyEchoServer.Scheme;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketClient.ConnectOptions;
import dev.parley.websocket.WebSocketSession;
import java.net.URI;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.eclipse.jetty.server.Server;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * Parley's client over wss against Jetty with TLS ({@code SslContextFactory.Server} with {@link
 * ParleyEchoServer#identity()}'s PKCS#12 key store): one case, the full contract runs over plain ws
 * in {@link JettyServerTest}.
 */
class JettySecureServerTest {
    private final Map<String, LinkedBlockingQueue<String>> closes = new ConcurrentHashMap<>();
    private Server jetty;

    @BeforeEach
    void start() throws Exception {
        jetty = JettyServerTest.startJetty(Scheme.WSS, closes);
    }

    @AfterEach
    void stop() throws Exception {
        if (jetty != null) {
            jetty.stop();
        }
    }

    @Test
    void parleyClientOverWssWithCompressionEchoesFragmentsAndClosesCleanly() throws Exception {
        try (WebSocketClient client = WebSocketClient.builder()
                .limits(ParleyEchoServer.LIMITS)
                .tls(TlsConfig.trusting(ParleyEchoServer.identity().certificate()))
                .build()) {
            ParleyRecorder recorder = new ParleyRecorder();
            URI uri = URI.create("wss://localhost:" + JettyServerTest.port(jetty) + "/cmd?tag=tls");
            WebSocketSession session = client.connect(
                            uri, ConnectOptions.defaults().withCompression(DeflateConfig.defaults()), recorder)
                    .get(10, TimeUnit.SECONDS);
            assertThat(session.isCompressed()).isTrue();

            session.send("fragments binary 5 " + (1 << 20));
            assertThat(recorder.next(ParleyRecorder.Binary.class, Duration.ofSeconds(30))
                            .data())
                    .isEqualTo(Payloads.binary(1 << 20));
            session.send("fragments text 7 100000");
            assertThat(recorder.next(ParleyRecorder.Text.class).text()).isEqualTo(Payloads.text(100_000));

            session.close(1000, "done");
            assertThat(recorder.closed().clean()).isTrue();
            assertThat(JettyServerTest.queue(closes, "tls").poll(10, TimeUnit.SECONDS))
                    .isEqualTo("1000 done");
            recorder.assertQuiet();
        }
    }
}
