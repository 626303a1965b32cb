package dev.parley.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.TestCertificates;
import dev.parley.websocket.TestCertificates.Identity;
import dev.parley.websocket.TlsConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.ExtendedSSLSession;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLHandshakeException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** TlsTransport over real loopback sockets, against the JDK's SSLSocket and against itself. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsTransportTest {
    private static final int MIB = 1024 * 1024;

    private final List<AutoCloseable> resources = new ArrayList<>();

    @AfterEach
    void closeAll() throws Exception {
        for (AutoCloseable resource : resources) {
            resource.close();
        }
    }

    @ParameterizedTest(name = "{0} {1} {2} bytes")
    @CsvSource({
        "TLSv1.3, ec, 11",
        "TLSv1.3, ec, 1048576",
        "TLSv1.2, ec, 11",
        "TLSv1.2, ec, 1048576",
        "TLSv1.3, rsa, 1048576",
        "TLSv1.2, rsa, 1048576"
    })
    void serverEchoesToTheJdkSslSocket(String protocol, String key, int size) throws Exception {
        Identity identity = identity(key);
        ServerSocketChannel listener = listen();
        SSLContext clientContext = TlsConfig.trusting(identity.certificate()).context();
        byte[] payload = random(size, 1);

        Future<byte[]> client = background().submit(() -> {
            Socket plain = new Socket();
            plain.connect(listener.getLocalAddress(), 10_000);
            try (SSLSocket socket = (SSLSocket)
                    clientContext.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true)) {
                socket.setSoTimeout(20_000);
                socket.setEnabledProtocols(new String[] {protocol});
                SSLParameters parameters = socket.getSSLParameters();
                parameters.setEndpointIdentificationAlgorithm("HTTPS");
                socket.setSSLParameters(parameters);
                socket.startHandshake();
                OutputStream out = socket.getOutputStream();
                out.write(payload);
                out.flush();
                return socket.getInputStream().readNBytes(payload.length);
            }
        });
        SocketChannel accepted = accept(listener);
        TlsPeer server = new TlsPeer(accepted, serverConfig(identity).newServerEngine(), 64 * 1024, true);
        resources.add(server);

        TlsPeer.pump(() -> client.isDone() && (server.endOfStream || server.failure != null), 30, server);

        assertThat(client.get()).isEqualTo(payload);
        assertThat(server.failure).isNull();
        assertThat(server.received.toByteArray()).isEqualTo(payload);
        assertThat(server.transport.session().getProtocol()).isEqualTo(protocol);
        assertThat(server.endOfStream).as("close_notify read as end of stream").isTrue();
    }

    @ParameterizedTest(name = "{0} {1} {2} bytes")
    @CsvSource({
        "TLSv1.3, ec, 11",
        "TLSv1.3, ec, 1048576",
        "TLSv1.2, ec, 11",
        "TLSv1.2, ec, 1048576",
        "TLSv1.3, rsa, 1048576",
        "TLSv1.2, rsa, 1048576"
    })
    void twoTransportsExchangeBothWaysAtOnce(String protocol, String key, int size) throws Exception {
        Identity identity = identity(key);
        TlsPeer[] peers = connect(
                serverConfig(identity),
                TlsConfig.trusting(identity.certificate()).withProtocols(protocol),
                "localhost");
        TlsPeer client = peers[0];
        TlsPeer server = peers[1];
        byte[] up = random(size, 2);
        byte[] down = random(size, 3);
        client.send(up);
        server.send(down);

        TlsPeer.pump(
                () -> failed(peers) || (server.received.size() == size && client.received.size() == size), 30, peers);

        assertThat(client.failure).isNull();
        assertThat(server.failure).isNull();
        assertThat(server.received.toByteArray()).isEqualTo(up);
        assertThat(client.received.toByteArray()).isEqualTo(down);
        assertThat(server.transport.session().getProtocol()).isEqualTo(protocol);
        assertThat(client.transport.session().getProtocol()).isEqualTo(protocol);

        TlsPeer.pump(() -> client.idle() && server.idle(), 10, peers);
        assertThat(client.transport.heldBytes())
                .as("an idle client holds no buffer")
                .isZero();
        assertThat(server.transport.heldBytes())
                .as("an idle server holds no buffer")
                .isZero();
    }

    /**
     * Readers whose buffer is smaller than a record (16 KiB of plaintext), or divides it, so that
     * reads end with decrypted bytes or whole records left inside the transport.
     */
    @ParameterizedTest(name = "read buffer {0}")
    @ValueSource(ints = {7, 4096, 16384})
    void deliversRecordsLargerThanTheReadersBuffer(int readBufferSize) throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(
                serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost", readBufferSize);
        TlsPeer client = peers[0];
        TlsPeer server = peers[1];
        byte[] up = random(300_000, 4);
        byte[] down = random(300_000, 5);
        client.send(up);
        server.send(down);

        TlsPeer.pump(
                () -> failed(peers) || (server.received.size() == up.length && client.received.size() == down.length),
                30,
                peers);

        assertThat(server.received.toByteArray()).isEqualTo(up);
        assertThat(client.received.toByteArray()).isEqualTo(down);
        assertThat(client.transport.hasBufferedInput()).isFalse();
        assertThat(client.transport.heldBytes()).isZero();
    }

    @ParameterizedTest(name = "seed {0}")
    @ValueSource(longs = {1, 2, 3})
    void randomReadAndWriteSizesLoseNothing(long seed) throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers =
                connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost", 40_000);
        TlsPeer client = peers[0];
        TlsPeer server = peers[1];
        Random random = new Random(seed);
        client.chunks = new Random(seed + 100);
        server.chunks = new Random(seed + 200);
        byte[] up = random(MIB, seed + 300);
        byte[] down = random(MIB, seed + 400);
        client.sendInChunks(up, random);
        server.sendInChunks(down, random);

        TlsPeer.pump(
                () -> failed(peers) || (server.received.size() == MIB && client.received.size() == MIB), 30, peers);

        assertThat(server.received.toByteArray()).isEqualTo(up);
        assertThat(client.received.toByteArray()).isEqualTo(down);
    }

    @Test
    void wholeRecordsLeftInsideAreReportedAsBufferedInput() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost", 100);
        TlsPeer client = peers[0];
        TlsPeer server = peers[1];
        client.send(new byte[] {0});
        TlsPeer.pump(() -> failed(peers) || server.received.size() == 1, 10, peers);

        // Four records of 100 bytes, which one socket read of the server takes at once; each read
        // of 100 bytes then returns one record and leaves whole records inside the transport.
        byte[] payload = random(400, 7);
        for (int i = 0; i < 4; i++) {
            client.send(Arrays.copyOfRange(payload, i * 100, i * 100 + 100));
            TlsPeer.pump(client::idle, 10, client);
        }
        Thread.sleep(50); // loopback: let the bytes reach the server's socket
        TlsPeer.pump(() -> server.failure != null || server.received.size() == 1 + payload.length, 10, server);

        byte[] received = server.received.toByteArray();
        assertThat(Arrays.copyOfRange(received, 1, received.length)).isEqualTo(payload);
    }

    @Test
    void aPeerThatDoesNotReadBoundsWhatTheWriterHoldsAndNothingIsLost() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost");
        TlsPeer client = peers[0];
        TlsPeer server = peers[1];
        client.socket.setOption(StandardSocketOptions.SO_SNDBUF, 64 * 1024);
        client.send(new byte[] {0});
        TlsPeer.pump(() -> failed(peers) || server.received.size() == 1, 10, peers);

        byte[] payload = random(16 * MIB, 6);
        client.send(payload);
        int held = 0;
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        int backlogged = 0;
        while (backlogged < 100 && System.nanoTime() < deadline) {
            client.step(); // the server does not read
            held = Math.max(held, client.transport.heldBytes());
            backlogged = client.transport.hasPendingOutput() ? backlogged + 1 : 0;
        }
        assertThat(backlogged).as("the socket stopped taking records").isEqualTo(100);
        assertThat(client.transport.write(new ByteBuffer[] {ByteBuffer.allocate(100)}, 0, 1))
                .as("write refuses more while records wait")
                .isZero();
        assertThat(client.sent).as("backpressure before the whole payload").isLessThan(payload.length);
        assertThat(held).as("bytes held while the peer does not read").isLessThanOrEqualTo(64 * 1024 + 17 * 1024);

        TlsPeer.pump(() -> failed(peers) || server.received.size() == 1 + payload.length, 30, peers);
        byte[] received = server.received.toByteArray();
        assertThat(Arrays.copyOfRange(received, 1, received.length)).isEqualTo(payload);
        assertThat(client.transport.heldBytes()).isZero();
    }

    @Test
    void onlyTls13And12AreEnabledAndClientsIdentifyTheServer() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost");

        for (TlsPeer peer : peers) {
            assertThat(peer.transport.engine().getEnabledProtocols()).containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        }
        assertThat(peers[0].transport.engine().getSSLParameters().getEndpointIdentificationAlgorithm())
                .isEqualTo("HTTPS");
    }

    @Test
    void tcpEndOfStreamWithoutCloseNotifyIsEndOfStream() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost");
        peers[0].send(new byte[] {7});
        TlsPeer.pump(() -> failed(peers) || peers[1].received.size() == 1, 10, peers);

        peers[0].socket.close(); // no close_notify
        TlsPeer.pump(() -> peers[1].failure != null || peers[1].endOfStream, 10, peers[1]);

        assertThat(peers[1].failure).isNull();
        assertThat(peers[1].endOfStream).isTrue();
    }

    @Test
    void clientSendsTheHostNameAsSni() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost");
        TlsPeer.pump(() -> failed(peers) || peers[1].transport.isHandshakeComplete(), 10, peers);

        ExtendedSSLSession session = (ExtendedSSLSession) peers[1].transport.session();
        assertThat(session.getRequestedServerNames()).containsExactly(new SNIHostName("localhost"));
    }

    @Test
    void clientSendsNoSniForAnIpLiteralAndVerifiesTheIpAddress() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "127.0.0.1");
        peers[0].send(new byte[] {42});
        TlsPeer.pump(() -> failed(peers) || peers[1].received.size() == 1, 10, peers);

        assertThat(peers[0].failure).isNull();
        ExtendedSSLSession session = (ExtendedSSLSession) peers[1].transport.session();
        assertThat(session.getRequestedServerNames()).isEmpty();
    }

    @Test
    void clientRejectsACertificateForAnotherHost() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers =
                connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "example.invalid");
        peers[0].send(new byte[] {1});
        TlsPeer.pump(() -> peers[0].failure != null || peers[0].endOfStream, 10, peers);

        assertThat(peers[0].failure)
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("TLS handshake with")
                .hasMessageContaining("example.invalid");
        assertThat(peers[1].received.size()).isZero();
    }

    @Test
    void hostnameVerificationCanBeTurnedOffForTests() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsConfig client = TlsConfig.trusting(identity.certificate()).withoutHostnameVerification();
        TlsPeer[] peers = connect(serverConfig(identity), client, "example.invalid");
        peers[0].send(new byte[] {1, 2, 3});
        TlsPeer.pump(() -> failed(peers) || peers[1].received.size() == 3, 10, peers);

        assertThat(peers[0].failure).isNull();
        assertThat(peers[1].failure).isNull();
    }

    @Test
    void clientRejectsAnUntrustedCertificate() throws Exception {
        TlsConfig client = TlsConfig.trusting(TestCertificates.otherEc().certificate());
        TlsPeer[] peers = connect(serverConfig(TestCertificates.ec()), client, "localhost");
        TlsPeer.pump(() -> peers[0].failure != null && (peers[1].failure != null || peers[1].endOfStream), 10, peers);

        assertThat(peers[0].failure).isInstanceOf(SSLHandshakeException.class).hasMessageContaining("TLS handshake");
        assertThat(peers[1].failure)
                .as("the client's alert reaches the server")
                .isInstanceOf(IOException.class)
                .hasMessageContaining("TLS handshake with");
    }

    @Test
    void serverReportsAJdkClientThatDoesNotTrustIt() throws Exception {
        ServerSocketChannel listener = listen();
        SSLContext untrusting =
                TlsConfig.trusting(TestCertificates.otherEc().certificate()).context();
        Future<Exception> client = background().submit(() -> {
            Socket plain = new Socket();
            plain.connect(listener.getLocalAddress(), 10_000);
            try (SSLSocket socket =
                    (SSLSocket) untrusting.getSocketFactory().createSocket(plain, "localhost", plain.getPort(), true)) {
                socket.setSoTimeout(20_000);
                socket.startHandshake();
                return null;
            } catch (IOException e) {
                return e;
            }
        });
        TlsPeer server = new TlsPeer(
                accept(listener), serverConfig(TestCertificates.ec()).newServerEngine(), 64 * 1024, false);
        resources.add(server);

        TlsPeer.pump(() -> server.failure != null || server.endOfStream, 10, server);

        assertThat(client.get(10, TimeUnit.SECONDS)).isInstanceOf(SSLHandshakeException.class);
        assertThat(server.failure)
                .isInstanceOf(SSLHandshakeException.class)
                .hasMessageContaining("TLS handshake with /127.0.0.1:");
    }

    @Test
    void shutdownOutputSendsCloseNotify() throws Exception {
        Identity identity = TestCertificates.ec();
        TlsPeer[] peers = connect(serverConfig(identity), TlsConfig.trusting(identity.certificate()), "localhost");
        peers[0].send(new byte[] {7});
        TlsPeer.pump(() -> failed(peers) || peers[1].received.size() == 1, 10, peers);

        peers[0].transport.shutdownOutput();
        TlsPeer.pump(() -> failed(peers) || peers[1].endOfStream, 10, peers);

        assertThat(peers[1].failure).isNull();
        assertThat(peers[1].endOfStream).isTrue();
    }

    // ---------------------------------------------------------------------------------------------

    private static TlsConfig serverConfig(Identity identity) {
        return TlsConfig.pem(identity.certificatePem(), identity.keyPem());
    }

    private static Identity identity(String key) {
        return key.equals("rsa") ? TestCertificates.rsa() : TestCertificates.ec();
    }

    private static boolean failed(TlsPeer... peers) {
        for (TlsPeer peer : peers) {
            if (peer.failure != null) {
                return true;
            }
        }
        return false;
    }

    /** A client and a server peer over a fresh loopback connection: {client, server}. */
    private TlsPeer[] connect(TlsConfig server, TlsConfig client, String host) throws IOException {
        return connect(server, client, host, 64 * 1024);
    }

    private TlsPeer[] connect(TlsConfig server, TlsConfig client, String host, int readBufferSize) throws IOException {
        ServerSocketChannel listener = listen();
        SocketChannel clientSocket = SocketChannel.open(listener.getLocalAddress());
        resources.add(clientSocket);
        SocketChannel serverSocket = accept(listener);
        clientSocket.configureBlocking(false);
        int port = ((InetSocketAddress) listener.getLocalAddress()).getPort();
        TlsPeer[] peers = {
            new TlsPeer(clientSocket, client.newClientEngine(host, port), readBufferSize, false),
            new TlsPeer(serverSocket, server.newServerEngine(), readBufferSize, false)
        };
        resources.add(peers[0]);
        resources.add(peers[1]);
        return peers;
    }

    private ServerSocketChannel listen() throws IOException {
        ServerSocketChannel listener =
                ServerSocketChannel.open().bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0));
        resources.add(listener);
        return listener;
    }

    private SocketChannel accept(ServerSocketChannel listener) throws IOException {
        SocketChannel socket = listener.accept(); // blocking: the client is connecting
        resources.add(socket);
        socket.configureBlocking(false);
        return socket;
    }

    private ExecutorService background() {
        ExecutorService pool = Executors.newSingleThreadExecutor();
        resources.add(pool::shutdownNow);
        return pool;
    }

    private static byte[] random(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }
}
