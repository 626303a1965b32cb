package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A handler that records what the server tells it, as strings ("open", "text hello", "close 1009
 * false", "error 1009"), for tests to take in order. {@link #assertExhausted()} at the end of a
 * test makes sure nothing went unasserted.
 */
class Recorder implements WebSocketHandler {
    private final LinkedBlockingQueue<String> events = new LinkedBlockingQueue<>();
    final LinkedBlockingQueue<WebSocketSession> opened = new LinkedBlockingQueue<>();
    private final List<String> ignored;

    /** Records every event except those whose name is listed (for example "ping", "pong"). */
    Recorder(String... ignored) {
        this.ignored = List.of(ignored);
    }

    private void record(String event) {
        if (!ignored.contains(event.split(" ")[0])) {
            events.add(event);
        }
    }

    @Override
    public void onOpen(WebSocketSession session) {
        opened.add(session);
        record("open");
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        record("text " + text);
    }

    @Override
    public void onBinary(WebSocketSession session, ByteBuffer data) {
        record("binary " + data.remaining());
    }

    @Override
    public void onPing(WebSocketSession session, ByteBuffer data) {
        record("ping " + data.remaining());
    }

    @Override
    public void onPong(WebSocketSession session, ByteBuffer data) {
        record("pong " + data.remaining());
    }

    @Override
    public void onClose(WebSocketSession session, int code, String reason, boolean clean) {
        record("close " + code + " " + clean);
    }

    @Override
    public void onError(WebSocketSession session, Throwable error) {
        record("error "
                + (error instanceof WebSocketException w
                        ? w.closeCode()
                        : error.getClass().getSimpleName()));
    }

    @Override
    public void onDrain(WebSocketSession session) {
        record("drain");
    }

    /** The next event, waiting up to 5 s. */
    String next() throws InterruptedException {
        String e = events.poll(5, TimeUnit.SECONDS);
        assertThat(e).as("a handler event within 5 s").isNotNull();
        return e;
    }

    /** The next events, in order. */
    List<String> next(int count) throws InterruptedException {
        List<String> list = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            list.add(next());
        }
        return list;
    }

    /** The session opened next, waiting up to 5 s. */
    WebSocketSession session() throws InterruptedException {
        WebSocketSession s = opened.poll(5, TimeUnit.SECONDS);
        assertThat(s).as("a session within 5 s").isNotNull();
        return s;
    }

    /** Asserts that nothing happens for {@code millis}. */
    void assertQuietFor(long millis) throws InterruptedException {
        assertThat(events.poll(millis, TimeUnit.MILLISECONDS)).isNull();
    }

    void assertExhausted() {
        assertThat(events).as("unasserted handler events").isEmpty();
    }
}
