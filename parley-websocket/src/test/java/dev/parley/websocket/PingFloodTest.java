package dev.parley.websocket;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Opcode;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

/**
 * A client floods pings without reading: the server answers only the most recent ping of each
 * batch it has not answered yet (RFC 6455 §5.5.3), in order, and its buffered output stays small.
 */
class PingFloodTest {
    @Test
    void pingsFloodedWithoutReadingGetCoalescedPongsAndBoundedOutput() throws Exception {
        int pings = 3000;
        AtomicInteger pingsSeen = new AtomicInteger();
        AtomicLong maxBuffered = new AtomicLong();
        Recorder handler = new Recorder("ping") {
            @Override
            public void onPing(WebSocketSession s, ByteBuffer data) {
                pingsSeen.incrementAndGet();
                maxBuffered.accumulateAndGet(s.bufferedAmount(), Math::max);
            }

            @Override
            public void onText(WebSocketSession s, String text) {
                super.onText(s, text);
                s.send("done");
            }
        };
        WebSocketServer server = TestServers.start(TestServers.builder()
                .limits(TestServers.fastLimits().withMaxOutboundBuffer(64 * 1024))
                .route("/ws", handler));
        try (RawClient client = RawClient.open(server.port(), "/ws", 8 * 1024)) {
            assertThat(handler.next()).isEqualTo("open");
            ByteArrayOutputStream flood = new ByteArrayOutputStream();
            for (int i = 0; i < pings; i++) {
                flood.writeBytes(RawClient.frame(Opcode.PING, true, payload(i)));
            }
            flood.writeBytes(RawClient.frame(Opcode.TEXT, true, "end".getBytes(StandardCharsets.UTF_8)));
            client.send(flood.toByteArray());

            List<Integer> answered = new ArrayList<>();
            for (int i = 0; i <= pings; i++) {
                RawClient.Frame f = client.readFrame();
                if (f.opcode() == Opcode.TEXT) {
                    assertThat(f.text()).isEqualTo("done");
                    break;
                }
                assertThat(f.opcode()).isEqualTo(Opcode.PONG);
                answered.add(Integer.parseInt(f.text().trim()));
            }
            assertThat(handler.next()).isEqualTo("text end");
            assertThat(pingsSeen.get()).isEqualTo(pings);
            assertThat(answered).isSorted().doesNotHaveDuplicates();
            assertThat(answered.size()).as("pongs for %d pings", pings).isLessThan(pings / 4);
            assertThat(answered.get(answered.size() - 1))
                    .as("the last ping is answered")
                    .isEqualTo(pings - 1);
            assertThat(maxBuffered.get()).isLessThanOrEqualTo(64 * 1024);

            client.sendClose(1000, "");
            assertThat(client.readFrame().closeCode()).isEqualTo(1000);
        } finally {
            server.shutdown(Duration.ofSeconds(2));
        }
        assertThat(handler.next()).isEqualTo("close 1000 true");
        handler.assertExhausted();
    }

    private static byte[] payload(int i) {
        return String.format("%-100d", i).getBytes(StandardCharsets.US_ASCII);
    }
}
