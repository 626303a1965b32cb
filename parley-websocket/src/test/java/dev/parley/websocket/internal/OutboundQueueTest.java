package dev.parley.websocket.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

class OutboundQueueTest {
    /** A socket that takes at most {@code budget} bytes per write, recording them in order. */
    static final class SlowSink implements Transport {
        final ByteArrayOutputStream written = new ByteArrayOutputStream();
        int budget;
        /** Whether the queue should copy into its scratch buffer, as for a plain socket. */
        boolean direct;

        int singleWrites;

        SlowSink(int budget) {
            this.budget = budget;
        }

        @Override
        public int read(ByteBuffer dst) {
            return 0;
        }

        @Override
        public long write(ByteBuffer[] srcs, int offset, int length) {
            long total = 0;
            for (int i = offset; i < offset + length && total < budget; i++) {
                while (srcs[i].hasRemaining() && total < budget) {
                    written.write(srcs[i].get());
                    total++;
                }
            }
            return total;
        }

        @Override
        public int write(ByteBuffer src) {
            singleWrites++;
            return (int) write(new ByteBuffer[] {src}, 0, 1);
        }

        @Override
        public boolean prefersDirectCopy() {
            return direct;
        }

        @Override
        public boolean hasPendingOutput() {
            return false;
        }

        @Override
        public boolean flushPending() {
            return true;
        }

        @Override
        public void shutdownOutput() {}

        @Override
        public void close() {}

        @Override
        public void register(EventLoop loop, int ops, EventLoop.Handler handler) {}

        @Override
        public void attach(EventLoop.Handler handler) {}

        @Override
        public void interest(int ops) {}

        @Override
        public InetSocketAddress remoteAddress() {
            return null;
        }
    }

    private static ByteBuffer bytes(int from, int count) {
        ByteBuffer b = ByteBuffer.allocate(count);
        for (int i = 0; i < count; i++) {
            b.put((byte) (from + i));
        }
        return b.flip();
    }

    @Test
    void writesEverythingInOrderAcrossPartialWritesAndGrowth() throws Exception {
        OutboundQueue queue = new OutboundQueue();
        SlowSink sink = new SlowSink(7);
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int next = 0;
        for (int round = 0; round < 50; round++) {
            for (int i = 0; i < 3; i++) { // more added than written each round: the array grows
                ByteBuffer b = bytes(next, 5);
                expected.write(b.array(), 0, 5);
                next += 5;
                queue.add(b);
            }
            queue.add(ByteBuffer.allocate(0)); // empty buffers are skipped
            queue.writeTo(sink);
        }
        sink.budget = Integer.MAX_VALUE;
        assertThat(queue.bytes()).isEqualTo(750 - sink.written.size());
        queue.writeTo(sink);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
        assertThat(sink.written.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void stopsWhenTheSocketTakesNothing() throws Exception {
        OutboundQueue queue = new OutboundQueue();
        queue.add(bytes(0, 10));
        assertThat(queue.writeTo(new SlowSink(0))).isZero();
        assertThat(queue.bytes()).isEqualTo(10);
        // A socket taking 4 bytes per write is written to until it has taken everything.
        assertThat(queue.writeTo(new SlowSink(4))).isEqualTo(10);
        assertThat(queue.bytes()).isZero();
    }

    @Test
    void copiesHeapRunsIntoTheScratchBufferAcrossPartialWrites() throws Exception {
        OutboundQueue queue = new OutboundQueue();
        SlowSink sink = new SlowSink(7);
        sink.direct = true;
        ByteBuffer scratch = ByteBuffer.allocateDirect(16); // smaller than what is queued
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        int next = 0;
        for (int round = 0; round < 40; round++) {
            for (int i = 0; i < 3; i++) {
                ByteBuffer b = bytes(next, 5 + i);
                expected.write(b.array(), 0, 5 + i);
                next += 5 + i;
                if (i == 1) { // a direct buffer between heap ones is written as it is
                    queue.add(ByteBuffer.allocateDirect(b.remaining()).put(b).flip());
                } else {
                    queue.add(b);
                }
            }
            queue.writeTo(sink, scratch);
            assertThat(queue.bytes()).isEqualTo(expected.size() - sink.written.size());
        }
        sink.budget = Integer.MAX_VALUE;
        queue.writeTo(sink, scratch);
        assertThat(queue.isEmpty()).isTrue();
        assertThat(queue.bytes()).isZero();
        assertThat(sink.singleWrites).isPositive();
        assertThat(sink.written.toByteArray()).isEqualTo(expected.toByteArray());
    }

    @Test
    void ignoresTheScratchBufferForATransportThatDoesNotWantIt() throws Exception {
        OutboundQueue queue = new OutboundQueue();
        SlowSink sink = new SlowSink(Integer.MAX_VALUE);
        queue.add(bytes(0, 10));
        queue.add(bytes(10, 10));
        assertThat(queue.writeTo(sink, ByteBuffer.allocateDirect(64))).isEqualTo(20);
        assertThat(sink.singleWrites).isZero();
        assertThat(sink.written.toByteArray()).isEqualTo(bytes(0, 20).array());
    }
}
