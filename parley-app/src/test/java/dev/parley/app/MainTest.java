package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

class MainTest {
    private final StringWriter out = new StringWriter();
    private final StringWriter err = new StringWriter();

    private int run(String... args) {
        return Main.run(args, new PrintWriter(out, true), new PrintWriter(err, true));
    }

    @Test
    void helpListsServeAndSucceeds() {
        assertThat(run("--help")).isZero();
        assertThat(out.toString()).contains("serve");
    }

    @Test
    void serveHelpDocumentsEveryFlag() {
        assertThat(run("serve", "--help")).isZero();
        assertThat(out.toString())
                .contains("--port", "--host", "--tls-cert", "--tls-key", "/echo", "/hub", "/metrics", "/health");
    }

    @Test
    void unknownCommandIsOneClearSentenceAndStatus2() {
        assertThat(run("frobnicate")).isEqualTo(2);
        assertThat(err.toString()).contains("Unmatched argument").contains("frobnicate");
    }

    @Test
    void portInUseIsOneSentenceAndStatus1() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            assertThat(run("serve", "--host", "127.0.0.1", "--port", Integer.toString(taken.getLocalPort())))
                    .isEqualTo(1);
            assertThat(err.toString()).contains("cannot listen on 127.0.0.1:" + taken.getLocalPort());
            assertThat(err.toString()).doesNotContain("\tat ");
        }
    }

    @Test
    void missingCertificateIsOneSentenceAndStatus1() {
        assertThat(run(
                        "serve",
                        "--port",
                        "0",
                        "--tls-cert",
                        "/nonexistent/cert.pem",
                        "--tls-key",
                        "/nonexistent/key.pem"))
                .isEqualTo(1);
        assertThat(err.toString()).contains("cannot read /nonexistent/cert.pem");
    }

    @Test
    void serveAnswersHealthAndEchoesLargeMessages() throws Exception {
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve).parseArgs("--host", "127.0.0.1", "--port", "0");
        WebSocketServer server = serve.build().start();
        try {
            HttpResponse<String> health = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/health"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(health.statusCode()).isEqualTo(200);

            LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
            try (WebSocketClient client = WebSocketClient.builder()
                    .limits(dev.parley.websocket.ServerLimits.defaults()
                            .withProtocol(dev.parley.protocol.Limits.defaults()
                                    .withMaxMessageSize(8 << 20)
                                    .withMaxFramePayload(8 << 20)))
                    .build()) {
                WebSocketSession ws = client.connect(
                                URI.create("ws://127.0.0.1:" + server.port() + "/echo"), new WebSocketHandler() {
                                    @Override
                                    public void onText(WebSocketSession s, String text) {
                                        echoes.add(text);
                                    }
                                })
                        .get(10, TimeUnit.SECONDS);
                String big = "x".repeat(5 << 20); // over the default 1 MiB: /echo allows 64 MiB
                ws.send(big);
                assertThat(echoes.poll(10, TimeUnit.SECONDS)).isEqualTo(big);
                ws.close();
            }
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void serveRunsTheHubWithChatRooms() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Served served = Served.start()) {
            WebSocketSession ws = served.open("/hub", received);
            ws.send("{\"type\":\"connect\",\"id\":1}");
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("{\"type\":\"connected\",\"id\":1");
            ws.send("{\"type\":\"subscribe\",\"id\":2,\"channel\":\"chat:lobby\"}");
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("{\"type\":\"subscribed\",\"id\":2");
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("{\"type\":\"join\"");
            ws.send("{\"type\":\"publish\",\"id\":3,\"channel\":\"chat:lobby\",\"data\":{\"text\":\"hi\"}}");
            assertThat(received.poll(10, TimeUnit.SECONDS))
                    .startsWith("{\"type\":\"pub\",\"channel\":\"chat:lobby\",\"offset\":1");
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("{\"type\":\"ack\",\"id\":3");
            ws.close();
        }
    }

    @Test
    void metricsAreServedInPrometheusTextAndFollowTheTraffic() throws Exception {
        try (Served served = Served.start()) {
            WebSocketServer server = served.server;
            LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
            WebSocketSession ws = served.open("/echo", echoes);
            ws.send("one");
            ws.send("two");
            assertThat(echoes.poll(10, TimeUnit.SECONDS)).isEqualTo("one");
            assertThat(echoes.poll(10, TimeUnit.SECONDS)).isEqualTo("two");

            HttpResponse<String> metrics = HttpClient.newHttpClient()
                    .send(
                            HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() + "/metrics"))
                                    .build(),
                            HttpResponse.BodyHandlers.ofString());
            assertThat(metrics.statusCode()).isEqualTo(200);
            assertThat(metrics.headers().firstValue("content-type"))
                    .hasValueSatisfying(v -> assertThat(v).startsWith("text/plain"));
            assertThat(metrics.body())
                    .contains("parley_websocket_sessions 1.0")
                    .contains("parley_websocket_messages_received_total 2.0")
                    .contains("parley_websocket_messages_sent_total 2.0")
                    .contains("parley_hub_publications_total 0.0")
                    .contains("jvm_memory_used_bytes");
            ws.close();
        }
    }

    @Test
    void theStatsFeedPublishesTheServersFiguresOnTheHub() throws Exception {
        LinkedBlockingQueue<String> received = new LinkedBlockingQueue<>();
        try (Served served = Served.start();
                StatsFeed feed = new StatsFeed(served.server, served.serve.hub, served.serve.telemetry).start()) {
            WebSocketSession ws = served.open("/hub", received);
            ws.send("{\"type\":\"connect\",\"id\":1,\"subscriptions\":[{\"channel\":\"parley:stats\"}]}");
            assertThat(received.poll(10, TimeUnit.SECONDS)).startsWith("{\"type\":\"connected\",\"id\":1");
            String pub = received.poll(10, TimeUnit.SECONDS);
            assertThat(pub).startsWith("{\"type\":\"pub\",\"channel\":\"parley:stats\"");
            assertThat(pub)
                    .contains(
                            "\"connections\":1",
                            "\"hubSessions\":1",
                            "\"channels\":1",
                            "\"messagesIn\":",
                            "\"rejections\":{");
            ws.close();
        }
    }

    @Test
    void serveOverTlsWithPemFiles() throws Exception {
        dev.parley.websocket.TestCertificates.Identity identity = dev.parley.websocket.TestCertificates.ec();
        ServeCommand serve = new ServeCommand();
        new CommandLine(serve)
                .parseArgs(
                        "--host",
                        "127.0.0.1",
                        "--port",
                        "0",
                        "--tls-cert",
                        identity.certificatePem().toString(),
                        "--tls-key",
                        identity.keyPem().toString());
        WebSocketServer server = serve.build().start();
        try (WebSocketClient client = WebSocketClient.builder()
                .tls(dev.parley.websocket.TlsConfig.trusting(identity.certificate()))
                .build()) {
            LinkedBlockingQueue<String> echoes = new LinkedBlockingQueue<>();
            WebSocketSession ws = client.connect(
                            URI.create("wss://localhost:" + server.port() + "/echo"), new WebSocketHandler() {
                                @Override
                                public void onText(WebSocketSession s, String text) {
                                    echoes.add(text);
                                }
                            })
                    .get(10, TimeUnit.SECONDS);
            ws.send("over wss");
            assertThat(echoes.poll(10, TimeUnit.SECONDS)).isEqualTo("over wss");
            ws.close();
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }

    @Test
    void aKeyThatIsNotPkcs8IsOneClearSentence() throws Exception {
        dev.parley.websocket.TestCertificates.Identity identity = dev.parley.websocket.TestCertificates.ec();
        java.nio.file.Path bad = java.nio.file.Files.createTempFile("parley-key", ".pem");
        java.nio.file.Files.writeString(bad, "-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----\n");
        try {
            assertThat(run(
                            "serve",
                            "--port",
                            "0",
                            "--tls-cert",
                            identity.certificatePem().toString(),
                            "--tls-key",
                            bad.toString()))
                    .isEqualTo(1);
            assertThat(err.toString()).contains("PKCS#8").doesNotContain("\tat ");
        } finally {
            java.nio.file.Files.delete(bad);
        }
    }
}
