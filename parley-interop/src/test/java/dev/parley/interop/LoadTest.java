package dev.parley.interop;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.websocket.WebSocketClient;
import dev.parley.websocket.WebSocketHandler;
import dev.parley.websocket.WebSocketSession;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * Many connections at once, within a test's bounds: Parley's client against Parley's server, every
 * echo checked in order, then every session closed cleanly on both sides.
 */
class LoadTest {
    private static final int CONNECTIONS = 2_000;
    private static final int MESSAGES = 5;
    /** Two sockets per connection in this one process, plus the JVM's own files. */
    private static final long MIN_OPEN_FILES = 8_192;

    @Test
    void twoThousandConnectionsGetEveryEchoInOrderAndCloseCleanly() throws Exception {
        assertOpenFileLimitAtLeast(MIN_OPEN_FILES);
        try (ParleyEchoServer server = ParleyEchoServer.start(ParleyEchoServer.Scheme.WS);
                WebSocketClient client = WebSocketClient.builder()
                        .eventLoops(2)
                        .limits(ParleyEchoServer.LIMITS)
                        .build()) {
            ConcurrentLinkedQueue<String> problems = new ConcurrentLinkedQueue<>();
            CountDownLatch allEchoed = new CountDownLatch(CONNECTIONS);
            CountDownLatch allClosed = new CountDownLatch(CONNECTIONS);
            AtomicInteger cleanCloses = new AtomicInteger();
            List<CompletableFuture<WebSocketSession>> sessions = new ArrayList<>(CONNECTIONS);
            long start = System.nanoTime();
            for (int c = 0; c < CONNECTIONS; c++) {
                sessions.add(client.connect(
                        server.uri("/echo"), new Sender(c, problems, allEchoed, allClosed, cleanCloses)));
            }
            assertThat(allEchoed.await(30, TimeUnit.SECONDS))
                    .as(
                            "every connection got its %d echoes within 30 s (%d left); problems: %s",
                            MESSAGES, allEchoed.getCount(), problems)
                    .isTrue();
            assertThat(problems).isEmpty();
            assertThat(server.server().sessionCount()).isEqualTo(CONNECTIONS);

            for (CompletableFuture<WebSocketSession> s : sessions) {
                s.join().close(1000, "done");
            }
            assertThat(allClosed.await(30, TimeUnit.SECONDS))
                    .as("every session closed within 30 s (%d left)", allClosed.getCount())
                    .isTrue();
            assertThat(cleanCloses.get()).isEqualTo(CONNECTIONS);
            for (int i = 0; i < CONNECTIONS; i++) {
                ParleyEchoServer.Closed closed = server.nextClosed();
                assertThat(closed.code()).isEqualTo(1000);
                assertThat(closed.clean()).isTrue();
            }
            System.out.printf(
                    "%d connections x %d echoes and clean closes in %d ms%n",
                    CONNECTIONS, MESSAGES, TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start));
        }
    }

    /** Sends its messages on open; checks each echo against the next one expected. */
    private static final class Sender implements WebSocketHandler {
        private final int id;
        private final ConcurrentLinkedQueue<String> problems;
        private final CountDownLatch allEchoed;
        private final CountDownLatch allClosed;
        private final AtomicInteger cleanCloses;
        private int next;

        Sender(
                int id,
                ConcurrentLinkedQueue<String> problems,
                CountDownLatch allEchoed,
                CountDownLatch allClosed,
                AtomicInteger cleanCloses) {
            this.id = id;
            this.problems = problems;
            this.allEchoed = allEchoed;
            this.allClosed = allClosed;
            this.cleanCloses = cleanCloses;
        }

        @Override
        public void onOpen(WebSocketSession s) {
            for (int m = 0; m < MESSAGES; m++) {
                s.send("connection " + id + " message " + m);
            }
        }

        @Override
        public void onText(WebSocketSession s, String text) {
            String want = "connection " + id + " message " + next;
            if (!text.equals(want)) {
                problems.add("got '" + text + "', expected '" + want + "'");
            }
            if (++next == MESSAGES) {
                allEchoed.countDown();
            }
        }

        @Override
        public void onError(WebSocketSession s, Throwable error) {
            problems.add("connection " + id + ": " + error);
        }

        @Override
        public void onClose(WebSocketSession s, int code, String reason, boolean clean) {
            if (code == 1000 && clean) {
                cleanCloses.incrementAndGet();
            } else {
                problems.add("connection " + id + " closed with " + code + " clean=" + clean);
            }
            allClosed.countDown();
        }
    }

    /** Fails with a clear message when the process may not open enough sockets. */
    static void assertOpenFileLimitAtLeast(long needed) throws IOException {
        Path limits = Path.of("/proc/self/limits");
        if (!Files.isReadable(limits)) {
            return; // not Linux: the connect failures would say it instead
        }
        for (String line : Files.readAllLines(limits)) {
            if (line.startsWith("Max open files")) {
                String soft = line.substring("Max open files".length()).trim().split("\\s+")[0];
                long value = soft.equals("unlimited") ? Long.MAX_VALUE : Long.parseLong(soft);
                assertThat(value)
                        .as(
                                "the open-file limit of the test JVM (ulimit -n) is %s; this test needs at least %d"
                                        + " (two sockets per connection); raise it with `ulimit -n %d` before ./mvnw",
                                soft, needed, needed)
                        .isGreaterThanOrEqualTo(needed);
            }
        }
    }
}
