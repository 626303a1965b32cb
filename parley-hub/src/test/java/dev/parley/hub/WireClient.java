package dev.parley.hub;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.WebSocket;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A hub client that speaks the wire protocol by hand over the JDK's WebSocket client: a real,
 * independent peer. Every message received is queued; tests take them in order and assert each.
 */
final class WireClient implements AutoCloseable {
    /** Numbers keep their exact text, so that tests can see data pass through unchanged. */
    static final ObjectMapper JSON = new ObjectMapper()
            .enable(com.fasterxml.jackson.databind.DeserializationFeature.USE_BIG_DECIMAL_FOR_FLOATS)
            .setNodeFactory(com.fasterxml.jackson.databind.node.JsonNodeFactory.withExactBigDecimals(true));

    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private final WebSocket socket;
    final BlockingQueue<JsonNode> received = new LinkedBlockingQueue<>();
    private final java.util.ArrayDeque<JsonNode> skipped = new java.util.ArrayDeque<>();
    final CompletableFuture<Integer> closed = new CompletableFuture<>();
    private long nextId = 1;
    private volatile boolean paused;
    private volatile boolean owed;

    private WireClient(URI uri) throws Exception {
        CompletableFuture<WebSocket> opening = HTTP.newWebSocketBuilder()
                .connectTimeout(Duration.ofSeconds(15))
                .buildAsync(uri, new WebSocket.Listener() {
                    private final StringBuilder text = new StringBuilder();

                    @Override
                    public void onOpen(WebSocket ws) {
                        ws.request(1);
                    }

                    @Override
                    public CompletionStage<?> onText(WebSocket ws, CharSequence data, boolean last) {
                        text.append(data);
                        if (last) {
                            try {
                                received.add(JSON.readTree(text.toString()));
                            } catch (Exception e) {
                                throw new AssertionError("server sent invalid JSON: " + text, e);
                            }
                            text.setLength(0);
                        }
                        if (paused) {
                            owed = true;
                        } else {
                            ws.request(1);
                        }
                        return null;
                    }

                    @Override
                    public CompletionStage<?> onClose(WebSocket ws, int code, String reason) {
                        closed.complete(code);
                        return null;
                    }

                    @Override
                    public void onError(WebSocket ws, Throwable error) {
                        closed.complete(1006);
                    }
                });
        try {
            this.socket = opening.get(15, TimeUnit.SECONDS);
        } catch (java.util.concurrent.TimeoutException e) {
            // Leave the evidence of who was stuck where (this is how a publisher blocking the
            // common pool, which the JDK client needs to finish a handshake, was found).
            System.err.println("WireClient: no handshake with " + uri + " within 15 s; threads:");
            Thread.getAllStackTraces().forEach((thread, stack) -> {
                System.err.println("\"" + thread.getName() + "\" " + thread.getState());
                for (StackTraceElement frame : stack) {
                    System.err.println("    at " + frame);
                }
            });
            throw e;
        }
    }

    static WireClient open(URI uri) throws Exception {
        return new WireClient(uri);
    }

    /** Opens and connects; returns the {@code connected} reply. */
    static WireClient connect(URI uri) throws Exception {
        WireClient c = open(uri);
        c.request("{\"type\":\"connect\",\"client\":{\"name\":\"wire\",\"version\":\"1\"}}", "connected");
        return c;
    }

    long nextId() {
        return nextId++;
    }

    void send(String json) {
        socket.sendText(json, true).join();
    }

    void sendBinary(byte[] data) {
        socket.sendBinary(ByteBuffer.wrap(data), true).join();
    }

    /**
     * Sends a command with the next id spliced in (the JSON must start with '{') and returns the
     * reply of the given type with that id, asserting that nothing else arrives first except pushes.
     */
    JsonNode request(String json, String replyType) throws InterruptedException {
        long id = nextId();
        send("{\"id\":" + id + "," + json.substring(1));
        JsonNode reply = awaitReply(id);
        assertThat(reply.path("type").asText()).as("reply to %s", json).isEqualTo(replyType);
        return reply;
    }

    /** The next message with this id; pushes that come first stay queued for {@link #next()}. */
    JsonNode awaitReply(long id) throws InterruptedException {
        java.util.List<JsonNode> pushes = new java.util.ArrayList<>();
        while (true) {
            JsonNode m = take();
            if (m.path("id").asLong() == id) {
                skipped.addAll(pushes);
                return m;
            }
            assertThat(m.has("id")).as("unexpected reply %s", m).isFalse();
            pushes.add(m);
        }
    }

    /** The next message, failing after 10 s. */
    JsonNode next() throws InterruptedException {
        JsonNode pushed = skipped.poll();
        return pushed != null ? pushed : take();
    }

    /** Whether nothing at all is waiting to be read. */
    boolean nothingReceived() {
        return skipped.isEmpty() && received.isEmpty();
    }

    private JsonNode take() throws InterruptedException {
        JsonNode m = received.poll(10, TimeUnit.SECONDS);
        assertThat(m).as("a message within 10 s").isNotNull();
        return m;
    }

    /** The next message of a type, skipping heartbeat pings. */
    JsonNode next(String type) throws InterruptedException {
        while (true) {
            JsonNode m = next();
            if (!m.path("type").asText().equals("ping") || type.equals("ping")) {
                assertThat(m.path("type").asText()).as("message %s", m).isEqualTo(type);
                return m;
            }
        }
    }

    /** Stops reading after the frame in hand: the server's output piles up as for a slow reader. */
    void pause() {
        paused = true;
    }

    void resume() {
        paused = false;
        if (owed) {
            owed = false;
            socket.request(1);
        }
    }

    /** Cuts the TCP connection without a closing handshake. */
    void abort() {
        socket.abort();
    }

    @Override
    public void close() {
        socket.abort();
    }
}
