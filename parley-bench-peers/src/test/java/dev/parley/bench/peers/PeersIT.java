package dev.parley.bench.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import java.util.Locale;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Every peer started as the benchmark runner starts it (from {@code target/peers.jar}, or Node's
 * {@code node/echo.js}), then driven by the JDK's WebSocket client: {@code /echo} returns a text
 * and a 1 MiB binary message unchanged, a message on {@code /broadcast} reaches the other client,
 * permessage-deflate is negotiated only with {@code --deflate}, and TLS serves wss.
 *
 * <p>The Node peer needs {@code node} and installs its {@code node_modules} from the lockfile when
 * missing; {@code PARLEY_SKIP_NODE=1} skips it. The TLS test needs {@code openssl} to make a
 * certificate.
 */
class PeersIT {
    @TempDir
    static Path tmp;

    private static Path cert;
    private static Path key;

    @BeforeAll
    static void certificate() throws Exception {
        cert = tmp.resolve("cert.pem");
        key = tmp.resolve("key.pem");
        try {
            Process p = new ProcessBuilder(
                            "openssl",
                            "req",
                            "-x509",
                            "-newkey",
                            "ec",
                            "-pkeyopt",
                            "ec_paramgen_curve:prime256v1",
                            "-nodes",
                            "-days",
                            "2",
                            "-subj",
                            "/CN=localhost",
                            "-addext",
                            "subjectAltName=IP:127.0.0.1,DNS:localhost",
                            "-keyout",
                            key.toString(),
                            "-out",
                            cert.toString())
                    .redirectErrorStream(true)
                    .start();
            p.getInputStream().transferTo(OutputStream.nullOutputStream());
            if (!p.waitFor(30, TimeUnit.SECONDS) || p.exitValue() != 0) {
                cert = null;
            }
        } catch (IOException e) {
            cert = null; // no openssl
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"parley", "parley-nio", "netty", "jetty", "undertow", "vertx", "javawebsocket", "node"})
    void echoesAndBroadcastsOverPlainWebSocket(String name) throws Exception {
        requireNodeFor(name);
        HttpClient client = HttpClient.newHttpClient();
        try (PeerProcess peer = PeerProcess.start(name)) {
            URI base = URI.create("ws://127.0.0.1:" + peer.port);

            Messages echo = Messages.connect(client, base.resolve("/echo"));
            echo.socket.sendText("hello " + name, true).get(10, TimeUnit.SECONDS);
            assertThat(echo.next()).isEqualTo("hello " + name);
            byte[] mebibyte = new byte[1 << 20];
            new Random(42).nextBytes(mebibyte);
            echo.socket.sendBinary(ByteBuffer.wrap(mebibyte), true).get(10, TimeUnit.SECONDS);
            assertThat((byte[]) echo.next()).isEqualTo(mebibyte);
            echo.close();

            Messages a = Messages.connect(client, base.resolve("/broadcast"));
            Messages b = Messages.connect(client, base.resolve("/broadcast"));
            probeUntilReceived(a, b); // b is registered on the server side
            probeUntilReceived(b, a); // and a too
            a.socket.sendText("from a", true).get(10, TimeUnit.SECONDS);
            assertThat(b.next()).isEqualTo("from a");
            b.socket.sendBinary(ByteBuffer.wrap(new byte[] {1, 2, 3}), true).get(10, TimeUnit.SECONDS);
            assertThat((byte[]) a.next()).containsExactly(1, 2, 3);
            assertThat(a.poll(Duration.ofMillis(200)))
                    .as("the sender is left out")
                    .isNull();
            assertThat(b.poll(Duration.ofMillis(200)))
                    .as("the sender is left out")
                    .isNull();
            a.close();
            b.close();

            try (Socket socket = new Socket("127.0.0.1", peer.port)) {
                assertThat(handshakeOfferingDeflate(socket))
                        .startsWith("http/1.1 101")
                        .doesNotContain("permessage-deflate");
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"parley", "parley-nio", "netty", "jetty", "undertow", "vertx", "javawebsocket", "node"})
    void servesWssAndNegotiatesDeflateWhenAsked(String name) throws Exception {
        requireNodeFor(name);
        Assumptions.assumeTrue(cert != null, "openssl is needed to make a test certificate");
        SSLContext trusting = trusting(cert);
        HttpClient client = HttpClient.newBuilder().sslContext(trusting).build();
        try (PeerProcess peer =
                PeerProcess.start(name, "--deflate", "--tls-cert", cert.toString(), "--tls-key", key.toString())) {
            Messages echo = Messages.connect(client, URI.create("wss://127.0.0.1:" + peer.port + "/echo"));
            echo.socket.sendText("secure " + name, true).get(10, TimeUnit.SECONDS);
            assertThat(echo.next()).isEqualTo("secure " + name);
            echo.close();

            try (Socket socket = trusting.getSocketFactory().createSocket("127.0.0.1", peer.port)) {
                assertThat(handshakeOfferingDeflate(socket))
                        .startsWith("http/1.1 101")
                        .contains("permessage-deflate");
            }
        }
    }

    /**
     * Sends numbered probes from {@code from} to the broadcast until {@code to} receives one, which
     * proves {@code to} joined; then takes from {@code to} every probe still on its way, up to the
     * last one sent (all sent after the first that arrived, so all arrive).
     */
    private static void probeUntilReceived(Messages from, Messages to) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int sent = 0;
        Object got = null;
        while (got == null) {
            assertThat(System.nanoTime())
                    .as("a probe through the broadcast within 10 s")
                    .isLessThan(deadline);
            from.socket.sendText("probe " + sent++, true).get(10, TimeUnit.SECONDS);
            got = to.poll(Duration.ofMillis(50));
        }
        String last = "probe " + (sent - 1);
        while (!last.equals(got)) {
            assertThat(got).asString().startsWith("probe ");
            got = to.next();
        }
    }

    /** The experiment's Parley variants answer a bare deflate offer with their own parameters. */
    @ParameterizedTest
    @org.junit.jupiter.params.provider.CsvSource({
        "parley,           permessage-deflate",
        "parley-shared,    permessage-deflate; server_no_context_takeover",
        "parley-stateless, permessage-deflate; server_no_context_takeover; client_no_context_takeover",
        "parley-takeover,  permessage-deflate"
    })
    void parleysDeflateSettingsAreTheOnesNamed(String name, String extension) throws Exception {
        try (PeerProcess peer = PeerProcess.start(name, "--deflate");
                Socket socket = new Socket("127.0.0.1", peer.port)) {
            assertThat(handshakeOfferingDeflate(socket))
                    .startsWith("http/1.1 101")
                    .contains("sec-websocket-extensions: " + extension + "\r\n");
        }
    }

    /** Sends an opening handshake offering permessage-deflate; the response head, lower case. */
    private static String handshakeOfferingDeflate(Socket socket) throws IOException {
        socket.setSoTimeout(10_000);
        String request = "GET /echo HTTP/1.1\r\n"
                + "Host: 127.0.0.1\r\n"
                + "Upgrade: websocket\r\n"
                + "Connection: Upgrade\r\n"
                + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n" // RFC 6455 §1.3's sample key
                + "Sec-WebSocket-Version: 13\r\n"
                + "Sec-WebSocket-Extensions: permessage-deflate; client_max_window_bits\r\n"
                + "\r\n";
        socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
        socket.getOutputStream().flush();
        InputStream in = socket.getInputStream();
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        while (!head.toString(StandardCharsets.US_ASCII).endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                break;
            }
            head.write(b);
        }
        return head.toString(StandardCharsets.US_ASCII).toLowerCase(Locale.ROOT);
    }

    private static SSLContext trusting(Path certificate) throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificate)) {
            store.setCertificateEntry(
                    "peer", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }

    private static void requireNodeFor(String name) throws Exception {
        if (name.equals("node")) {
            NodeModules.require();
        }
    }
}
