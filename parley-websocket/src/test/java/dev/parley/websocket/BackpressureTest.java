package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Opcode;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * A client that stops reading while the server pushes: sends report BACKPRESSURE then DROPPED (or
 * close the session under {@link OverflowPolicy#CLOSE}), buffered output stays bounded, the server
 * stops reading from that peer, and onDrain comes once the client reads again.
 */
class BackpressureTest {
    private static final int LIMIT = 256 * 1024;
    private static final int MESSAGE = 64 * 1024;

    private WebSocketServer server;

    @AfterEach
    void stop() {
        server.shutdown(Duration.ofSeconds(2));
    }

    /** Sends 64 KiB messages in onOpen and onDrain until a send is not SENT; echoes text. */
    static final class Pusher extends Recorder {
        final List<SendResult> results = new CopyOnWriteArrayList<>();
        final AtomicLong maxBuffered = new AtomicLong();
        final LinkedBlockingQueue<String> pumps = new LinkedBlockingQueue<>();
        volatile boolean pumping = true;

        Pusher() {
            super("drain");
        }

        SendResult sendOne(WebSocketSession s) {
            SendResult r = s.send(ByteBuffer.allocate(MESSAGE));
            results.add(r);
            maxBuffered.accumulateAndGet(s.bufferedAmount(), Math::max);
            return r;
        }

        private void pump(WebSocketSession s) {
            if (!pumping) {
                return;
            }
            pumps.add("pump");
            for (int i = 0; i < 100 && sendOne(s) == SendResult.SENT; i++) {
                // until the session says to hold
            }
        }

        @Override
        public void onOpen(WebSocketSession s) {
            super.onOpen(s);
            pump(s);
        }

        @Override
        public void onDrain(WebSocketSession s) {
            pumps.add("drain");
            pump(s);
        }

        @Override
        public void onText(WebSocketSession s, String text) {
            super.onText(s, text);
            s.send("echo " + text);
        }

        /** Waits until no pump has run for 300 ms: the peer's buffers are full. */
        void awaitStalled() throws InterruptedException {
            for (int i = 0; i < 10_000 && pumps.poll(300, TimeUnit.MILLISECONDS) != null; i++) {
                // each pump was followed by a drain: the kernel still took the bytes
            }
            pumps.clear();
        }
    }

    private WebSocketServer start(Pusher pusher, OverflowPolicy policy) throws Exception {
        return TestServers.start(TestServers.builder()
                .limits(TestServers.fastLimits()
                        .withMaxOutboundBuffer(LIMIT)
                        .withOverflowPolicy(policy)
                        .withCloseTimeout(Duration.ofMillis(300)))
                .route("/ws", pusher));
    }

    @Test
    void refusePolicyReturnsBackpressureThenDroppedStopsReadingAndDrainsLater() throws Exception {
        Pusher pusher = new Pusher();
        server = start(pusher, OverflowPolicy.REFUSE);
        try (RawClient client = RawClient.open(server.port(), "/ws", 16 * 1024)) {
            assertThat(pusher.next()).isEqualTo("open");
            WebSocketSession session = pusher.session();
            pusher.awaitStalled();
            assertThat(pusher.results).contains(SendResult.BACKPRESSURE);

            // A producer that ignores BACKPRESSURE is refused at the limit, and the session stays.
            SendResult last = SendResult.SENT;
            for (int i = 0; i < 100 && last != SendResult.DROPPED; i++) {
                last = pusher.sendOne(session);
            }
            assertThat(last).isEqualTo(SendResult.DROPPED);
            assertThat(pusher.results).containsSubsequence(SendResult.BACKPRESSURE, SendResult.DROPPED);
            assertThat(pusher.maxBuffered.get()).isLessThanOrEqualTo(LIMIT + MESSAGE + 14);
            // The loop's onDrain pump and this thread send at once: one message over per sender.
            assertThat(session.bufferedAmount()).isLessThanOrEqualTo(LIMIT + MESSAGE + 14);
            assertThat(session.isOpen()).isTrue();

            // The server does not read from a peer that does not read.
            client.sendText("hello");
            pusher.assertQuietFor(300);

            // The client reads again: the server drains, tells the handler, and reads "hello".
            pusher.pumping = false;
            boolean echoed = false;
            for (int i = 0; i < 100_000 && !echoed; i++) {
                RawClient.Frame f = client.readFrame();
                echoed = f.opcode() == Opcode.TEXT && f.text().equals("echo hello");
            }
            assertThat(echoed).isTrue();
            assertThat(pusher.pumps.poll(5, TimeUnit.SECONDS)).isEqualTo("drain");
            assertThat(pusher.next()).isEqualTo("text hello");
            client.sendClose(1000, "");
            assertThat(client.readFrame().closeCode()).isEqualTo(1000);
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(2))).isTrue();
        }
        assertThat(pusher.next()).isEqualTo("close 1000 true");
        pusher.assertExhausted();
    }

    @Test
    void closePolicyClosesTheSessionWith1008() throws Exception {
        Pusher pusher = new Pusher();
        server = start(pusher, OverflowPolicy.CLOSE);
        try (RawClient client = RawClient.open(server.port(), "/ws", 16 * 1024)) {
            assertThat(pusher.next()).isEqualTo("open");
            WebSocketSession session = pusher.session();
            pusher.awaitStalled();

            SendResult last = SendResult.SENT;
            for (int i = 0; i < 100 && last != SendResult.DROPPED; i++) {
                last = pusher.sendOne(session);
            }
            assertThat(last).isEqualTo(SendResult.DROPPED);
            assertThat(session.isOpen()).isFalse();
            assertThat(pusher.maxBuffered.get()).isLessThanOrEqualTo(LIMIT + MESSAGE + 14);
            // The close frame is stuck behind unread data: the close timeout drops the peer.
            assertThat(pusher.next(2)).containsExactly("error 1008", "close 1008 false");
            assertThat(client.awaitClosedByServer(Duration.ofSeconds(5))).isTrue();
        }
        assertThat(server.sessionCount()).isZero();
        pusher.assertExhausted();
    }
}
