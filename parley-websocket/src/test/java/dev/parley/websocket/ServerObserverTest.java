package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/** The server tells its observer of refusals, sessions, messages and bytes, as they happen. */
class ServerObserverTest {
    /** Records events as strings, and counts. */
    static final class RecordingObserver implements ServerObserver {
        final BlockingQueue<String> events = new LinkedBlockingQueue<>();
        final AtomicLong received = new AtomicLong();
        final AtomicLong sent = new AtomicLong();
        final AtomicLong bytesIn = new AtomicLong();
        final AtomicLong bytesOut = new AtomicLong();

        @Override
        public void requestRejected(InetSocketAddress remote, int status, String reason) {
            events.add("rejected " + remote.getAddress().getHostAddress() + " " + status + " " + reason);
        }

        @Override
        public void sessionOpened(WebSocketSession session) {
            events.add("opened " + session.path());
        }

        @Override
        public void sessionClosed(WebSocketSession session, int code, String reason, boolean clean) {
            events.add("closed " + session.path() + " " + code + " " + clean);
        }

        @Override
        public void messageReceived() {
            received.incrementAndGet();
        }

        @Override
        public void messageSent() {
            sent.incrementAndGet();
        }

        @Override
        public void bytesReceived(long bytes) {
            bytesIn.addAndGet(bytes);
        }

        @Override
        public void bytesSent(long bytes) {
            bytesOut.addAndGet(bytes);
        }

        String next() throws InterruptedException {
            String e = events.poll(5, TimeUnit.SECONDS);
            assertThat(e).as("an observer event within 5 s").isNotNull();
            return e;
        }
    }

    @Test
    void reportsRefusalsSessionsMessagesAndBytes() throws Exception {
        RecordingObserver observer = new RecordingObserver();
        WebSocketServer server = TestServers.start(TestServers.builder()
                .observer(observer)
                .originPolicy(OriginPolicy.allowList("https://app.example.com"))
                .route("/echo", new WebSocketHandler() {
                    @Override
                    public void onText(WebSocketSession s, String text) {
                        s.send(text);
                    }
                }));
        try {
            int port = server.port();
            try (RawClient refused = RawClient.connect(port)) {
                refused.send(RawClient.upgradeRequest("/echo", port, "Origin: https://evil.example.com"));
                assertThat(refused.readResponse().status()).isEqualTo(403);
            }
            assertThat(observer.next()).isEqualTo("rejected 127.0.0.1 403 origin refused");

            try (RawClient c = RawClient.connect(port)) {
                c.send(RawClient.upgradeRequest("/echo", port, "Origin: https://app.example.com"));
                assertThat(c.readHead().status()).isEqualTo(101);
                assertThat(observer.next()).isEqualTo("opened /echo");
                c.sendText("hello");
                c.sendText("world");
                assertThat(c.readFrame().text()).isEqualTo("hello");
                assertThat(c.readFrame().text()).isEqualTo("world");
                c.sendClose(1000, "");
                assertThat(c.readFrame().closeCode()).isEqualTo(1000);
                assertThat(observer.next()).isEqualTo("closed /echo 1000 true");
            }
            assertThat(observer.received).hasValue(2);
            assertThat(observer.sent).hasValue(2);
            // Two masked 5-byte text frames (2 + 4 + 5 bytes each) and a masked close with its code
            // (2 + 4 + 2); the upgrade request is HTTP, not counted.
            assertThat(observer.bytesIn).hasValue(30);
            // The 101 response (at least its four required lines: 129 bytes), two 7-byte frames
            // and the 4-byte close.
            assertThat(observer.bytesOut.get()).isGreaterThanOrEqualTo(129 + 18);
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
    }
}
