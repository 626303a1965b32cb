package dev.parley.interop;

import dev.parley.protocol.Limits;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.websocket.PreparedMessage;
import dev.parley.websocket.ServerLimits;
import dev.parley.websocket.TestCertificates;
import dev.parley.websocket.TlsConfig;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketServer;
import dev.parley.websocket.WebSocketSession;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Parley's server as the peers see it: {@code /echo} echoes every text and binary message
 * unchanged, with permessage-deflate for clients that offer it and limits raised to {@link
 * #MAX_MESSAGE} so that 16 MiB messages pass. Started on a free loopback port, over ws or wss
 * ({@link Scheme}); {@link #close()} shuts it down.
 *
 * <p>The test reaches the server side through {@link #opened} (every session, as it opens) and
 * {@link #closes} (every end, as reported to the handler).
 */
final class ParleyEchoServer implements AutoCloseable {
    /** Message and frame limit on both Parley ends of the interop tests: 32 MiB. */
    static final int MAX_MESSAGE = 32 << 20;

    /**
     * Limits for Parley's server and client in these tests: 32 MiB messages and frames, an outbound
     * buffer that holds a whole 32 MiB echo, and room for the load test's connections from one
     * address.
     */
    static final ServerLimits LIMITS = ServerLimits.defaults()
            .withProtocol(Limits.defaults().withMaxMessageSize(MAX_MESSAGE).withMaxFramePayload(MAX_MESSAGE))
            .withMaxOutboundBuffer(2L * MAX_MESSAGE)
            .withMaxConnectionsPerAddress(10_000);

    /**
     * How peers reach the server: plain {@code ws://127.0.0.1}, or {@code wss://localhost} with the
     * self-signed {@link #identity()}, whose certificate names localhost (and 127.0.0.1).
     */
    enum Scheme {
        WS("ws", "127.0.0.1"),
        WSS("wss", "localhost");

        final String uriScheme;
        /** The host in URIs: a name the certificate carries, so peers verify it as they would in production. */
        final String host;

        Scheme(String uriScheme, String host) {
            this.uriScheme = uriScheme;
            this.host = host;
        }

        boolean secure() {
            return this == WSS;
        }
    }

    /**
     * Why the keepalive tests skip wss: pings come from the event loop's timers and leave through
     * the same channel as any frame, so TLS adds nothing to what ws covers but a second or two of
     * waiting.
     */
    static final String KEEPALIVE_OVER_WS_ONLY =
            "keepalive is timer-driven and transport-independent: it runs over ws only, to keep wss runs short";

    /**
     * The certificate and key of every wss server in these tests, Parley's, Node's or Jetty's: a
     * self-signed EC P-256 certificate for localhost, made once per JVM. Clients trust exactly it.
     */
    static TestCertificates.Identity identity() {
        return TestCertificates.ec();
    }

    /** One end of a session as the server's handler saw it. */
    record Closed(WebSocketSession session, int code, String reason, boolean clean) {}

    final LinkedBlockingQueue<WebSocketSession> opened = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<Closed> closes = new LinkedBlockingQueue<>();
    /** Pings received on every session (the server answers them by itself). */
    final AtomicInteger pings = new AtomicInteger();

    private final Scheme scheme;
    private final WebSocketServer server;

    private ParleyEchoServer(Scheme scheme, ServerLimits limits) throws IOException {
        this.scheme = scheme;
        WebSocketServer.Builder builder = WebSocketServer.builder()
                .host("127.0.0.1")
                .port(0)
                .eventLoops(2)
                .limits(limits)
                .compression(DeflateConfig.defaults())
                .route("/echo", new Echo());
        if (scheme.secure()) {
            builder.tls(TlsConfig.pem(identity().certificatePem(), identity().keyPem()));
        }
        this.server = builder.build().start();
    }

    static ParleyEchoServer start(Scheme scheme) throws IOException {
        return new ParleyEchoServer(scheme, LIMITS);
    }

    /** A server with other limits, for example a short keepalive. */
    static ParleyEchoServer start(Scheme scheme, ServerLimits limits) throws IOException {
        return new ParleyEchoServer(scheme, limits);
    }

    /** A URI on this server, for example {@code uri("/echo")}. */
    URI uri(String pathAndQuery) {
        return URI.create(scheme.uriScheme + "://" + scheme.host + ":" + server.port() + pathAndQuery);
    }

    WebSocketServer server() {
        return server;
    }

    /** The next session to open on the server, within 10 s. */
    WebSocketSession nextOpened() throws InterruptedException {
        WebSocketSession s = opened.poll(10, TimeUnit.SECONDS);
        if (s == null) {
            throw new AssertionError("no session opened on the server within 10 s");
        }
        return s;
    }

    /** The next session end the server saw, within 10 s. */
    Closed nextClosed() throws InterruptedException {
        Closed c = closes.poll(10, TimeUnit.SECONDS);
        if (c == null) {
            throw new AssertionError("the server saw no session end within 10 s");
        }
        return c;
    }

    /** Forgets what earlier tests left in the queues. */
    void clear() {
        opened.clear();
        closes.clear();
    }

    @Override
    public void close() {
        server.shutdown(Duration.ofSeconds(5));
    }

    private final class Echo implements WebSocketHandler {
        @Override
        public void onOpen(WebSocketSession s) {
            opened.add(s);
        }

        @Override
        public void onText(WebSocketSession s, String text) {
            if (text.startsWith("prepared ")) {
                s.send(PreparedMessage.text(text)); // the broadcast path: one frame compressed for many
            } else {
                s.send(text);
            }
        }

        @Override
        public void onBinary(WebSocketSession s, ByteBuffer data) {
            s.send(data);
        }

        @Override
        public void onPing(WebSocketSession s, ByteBuffer data) {
            pings.incrementAndGet();
        }

        @Override
        public void onClose(WebSocketSession s, int code, String reason, boolean clean) {
            closes.add(new Closed(s, code, reason, clean));
        }
    }
}
