package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A Parley handler that queues what happens to a client session, for the test thread to take. */
final class ParleyRecorder implements WebSocketHandler {
    sealed interface Seen {}

    record Text(String text) implements Seen {}

    record Binary(byte[] data) implements Seen {}

    record Ping(String data) implements Seen {}

    record Closed(int code, String reason, boolean clean) implements Seen {}

    record Error(Throwable error) implements Seen {}

    private final LinkedBlockingQueue<Seen> seen = new LinkedBlockingQueue<>();
    /** Whether onOpen has run; read by the connect future's continuation. */
    volatile boolean opened;

    @Override
    public void onOpen(WebSocketSession session) {
        opened = true;
    }

    @Override
    public void onText(WebSocketSession session, String text) {
        seen.add(new Text(text));
    }

    @Override
    public void onBinary(WebSocketSession session, ByteBuffer data) {
        byte[] copy = new byte[data.remaining()];
        data.get(copy);
        seen.add(new Binary(copy));
    }

    @Override
    public void onPing(WebSocketSession session, ByteBuffer data) {
        seen.add(new Ping(StandardCharsets.UTF_8.decode(data).toString()));
    }

    @Override
    public void onClose(WebSocketSession session, int code, String reason, boolean clean) {
        seen.add(new Closed(code, reason, clean));
    }

    @Override
    public void onError(WebSocketSession session, Throwable error) {
        seen.add(new Error(error));
    }

    /** The next event within {@code timeout}; fails the test if none comes. */
    Seen next(Duration timeout) throws InterruptedException {
        Seen s = seen.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        assertThat(s).as("an event within %s", timeout).isNotNull();
        return s;
    }

    Seen next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The next event, which must be of the given type. */
    <T extends Seen> T next(Class<T> type, Duration timeout) throws InterruptedException {
        Seen s = next(timeout);
        assertThat(s).isInstanceOf(type);
        return type.cast(s);
    }

    <T extends Seen> T next(Class<T> type) throws InterruptedException {
        return next(type, Duration.ofSeconds(10));
    }

    /** Waits for the session's end, skipping an error report before it. */
    Closed closed() throws InterruptedException {
        Seen s = next();
        if (s instanceof Error) {
            s = next();
        }
        assertThat(s).isInstanceOf(Closed.class);
        return (Closed) s;
    }

    /** Asserts that nothing else happened. */
    void assertQuiet() {
        assertThat(seen).as("events nobody asserted").isEmpty();
    }
}
