package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.TestCertificates;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.security.KeyStore;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** wss: Parley's server with a PEM certificate made at test time, against the JDK client and Parley's. */
class SecureEchoTest {
    private WebSocketServer server;
    private TestCertificates.Identity identity;

    @BeforeEach
    void start() throws Exception {
        identity = TestCertificates.ec();
        server = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .tls(TlsConfig.pem(identity.certificatePem(), identity.keyPem()))
                .compression(DeflateConfig.defaults())
                .route("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession s, String text) {
                        s.send(text);
                    }

                    @Override
                    public void onBinary(WebSocketSession s, ByteBuffer data) {
                        s.send(data);
                    }
                })
                .build()
                .start();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(5));
    }

    @Test
    void jdkClientOverWss() throws Exception {
        KeyStore trust = KeyStore.getInstance("PKCS12");
        trust.load(null, null);
        trust.setCertificateEntry("parley", identity.certificate());
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(trust);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        EchoServerTest.Recorder recorder = new EchoServerTest.Recorder();
        WebSocket ws = HttpClient.newBuilder()
                .sslContext(context)
                .build()
                .newWebSocketBuilder()
                .buildAsync(URI.create("wss://localhost:" + server.port() + "/echo"), recorder)
                .get(10, TimeUnit.SECONDS);
        ws.sendText("secret", true).join();
        assertThat(recorder.next()).isEqualTo("secret");
        byte[] big = new byte[700_000];
        new java.util.Random(7).nextBytes(big);
        ws.sendBinary(ByteBuffer.wrap(big), true).join();
        assertThat(recorder.next()).isEqualTo(ByteBuffer.wrap(big));
        ws.sendClose(1000, "").join();
        assertThat(recorder.next()).isEqualTo("close 1000");
    }

    @Test
    void parleyClientOverWssWithCompressionAndHostnameVerification() throws Exception {
        LinkedBlockingQueue<String> got = new LinkedBlockingQueue<>();
        try (WebSocketClient client = WebSocketClient.builder()
                .tls(TlsConfig.trusting(identity.certificate()))
                .build()) {
            WebSocketSession ws = client.connect(
                            URI.create("wss://localhost:" + server.port() + "/echo"),
                            WebSocketClient.ConnectOptions.defaults().withCompression(DeflateConfig.defaults()),
                            new WebSocketHandler() {
                                @Override
                                public void onText(WebSocketSession s, String text) {
                                    got.add(text);
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            assertThat(ws.isCompressed()).isTrue();
            String text = "over TLS ".repeat(10_000);
            ws.send(text);
            assertThat(got.poll(10, TimeUnit.SECONDS)).isEqualTo(text);
            ws.close();
        }
    }

    @Test
    void aClientThatDoesNotTrustTheCertificateFailsClearly() {
        try (WebSocketClient client = WebSocketClient.builder().build()) { // JDK trust store only
            var future =
                    client.connect(URI.create("wss://localhost:" + server.port() + "/echo"), new WebSocketHandler() {});
            org.assertj.core.api.Assertions.assertThatThrownBy(() -> future.get(10, TimeUnit.SECONDS))
                    .hasCauseInstanceOf(dev.parley.websocket.WebSocketException.class)
                    .hasMessageContaining("failed");
        }
    }
}
