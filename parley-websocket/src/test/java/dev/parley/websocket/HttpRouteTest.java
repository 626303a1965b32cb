package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.handshake.Headers;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Plain HTTP routes over raw sockets: keep-alive, bodies and their limit, chunked responses. */
class HttpRouteTest {
    private final LinkedBlockingQueue<HttpExchange.ChunkedResponse> streams = new LinkedBlockingQueue<>();
    private WebSocketServer server;
    private int port;

    @BeforeEach
    void start() throws Exception {
        server = TestServers.start(TestServers.builder()
                .http("/health", ex -> ex.respond(200, "text/plain", "ok\n"))
                .http(
                        "/echo",
                        ex -> ex.respond(200, new Headers().add("Content-Type", "application/octet-stream"), ex.body()))
                .http("/stream", ex -> streams.add(ex.stream(200, new Headers().add("Content-Type", "text/plain")))));
        port = server.port();
    }

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    private String get(String path) {
        return "GET " + path + " HTTP/1.1\r\nHost: 127.0.0.1:" + port + "\r\n\r\n";
    }

    @Test
    void keepAliveAnswersTwoRequestsOnOneConnection() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send(get("/health"));
            RawClient.Response first = client.readResponse();
            assertThat(first.status()).isEqualTo(200);
            assertThat(first.bodyText()).isEqualTo("ok\n");
            assertThat(first.connectionClose()).isFalse();
            client.send(get("/health"));
            assertThat(client.readResponse().bodyText()).isEqualTo("ok\n");
            // Pipelined: both in one write, answered in order.
            client.send(get("/health") + get("/nowhere"));
            assertThat(client.readResponse().status()).isEqualTo(200);
            assertThat(client.readResponse().status()).isEqualTo(404);
        }
    }

    @Test
    void contentLengthBodyReachesTheHandler() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 11\r\n\r\nhello");
            client.send(" world");
            RawClient.Response r = client.readResponse();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.bodyText()).isEqualTo("hello world");
            client.send(get("/health"));
            assertThat(client.readResponse().status()).isEqualTo(200);
        }
    }

    @Test
    void bodyOverMaxRequestBodyIsRefusedWith413() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 1025\r\n\r\n");
            RawClient.Response r = client.readResponse();
            assertThat(r.status()).isEqualTo(413);
            assertThat(r.connectionClose()).isTrue();
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertStillServing();
    }

    @Test
    void chunkedRequestBodyIsRefusedWith501() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n");
            RawClient.Response r = client.readResponse();
            assertThat(r.status()).isEqualTo(501);
            assertThat(r.connectionClose()).isTrue();
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertStillServing();
    }

    @Test
    void chunkedStreamingResponseIsWellFormedAndEndTerminatesIt() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send(get("/stream"));
            HttpExchange.ChunkedResponse stream = streams.poll(5, TimeUnit.SECONDS);
            assertThat(stream).isNotNull();
            RawClient.Response head = client.readHead();
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("Transfer-Encoding")).isEqualTo("chunked");
            assertThat(head.header("Content-Length")).isNull();

            assertThat(stream.write("data: one\n\n")).isTrue();
            assertThat(readChunk(client)).isEqualTo("data: one\n\n");
            // Past the handshake timeout: a streaming response lives as long as its client.
            assertThat(client.silentFor(Duration.ofMillis(500))).isTrue();
            assertThat(stream.write(ByteBuffer.allocate(0))).isTrue(); // no chunk: it would end the body
            assertThat(stream.write("x".repeat(300))).isTrue(); // a multi-digit hex size
            assertThat(readChunk(client)).isEqualTo("x".repeat(300));
            stream.end();
            assertThat(readChunk(client)).isEmpty(); // the last chunk
            assertThat(client.readLine()).isEmpty(); // no trailers
            assertThat(stream.isOpen()).isFalse();
            assertThat(stream.write("late")).isFalse();

            // The connection is kept: the next request is answered.
            client.send(get("/health"));
            assertThat(client.readResponse().bodyText()).isEqualTo("ok\n");
        }
    }

    private static String readChunk(RawClient client) throws Exception {
        int size = Integer.parseInt(client.readLine(), 16);
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        if (size > 0) {
            data.writeBytes(client.readExactly(size));
            assertThat(client.readLine()).isEmpty();
        }
        return data.toString(StandardCharsets.UTF_8);
    }

    private void assertStillServing() throws Exception {
        try (RawClient client = RawClient.connect(port)) {
            client.send(get("/health"));
            assertThat(client.readResponse().bodyText()).isEqualTo("ok\n");
        }
    }
}
