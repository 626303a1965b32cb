package dev.parley.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes a connection has queued for its socket, written with gathering writes straight from
 * the queue's own array (no copy, no allocation per write). An empty queue holds no array, so an
 * idle connection costs nothing here.
 *
 * <p>Used on the owning loop's thread only, except {@link #bytes()}, which any thread may read.
 */
final class OutboundQueue {
    private static final ByteBuffer[] EMPTY = new ByteBuffer[0];
    /** Arrays larger than this are released when the queue empties. */
    private static final int KEEP = 16;

    private ByteBuffer[] items = EMPTY;
    private int head;
    private int tail;
    private volatile long bytes;

    /** Queues a buffer to be written from its position to its limit; empty buffers are skipped. */
    void add(ByteBuffer buffer) {
        int n = buffer.remaining();
        if (n == 0) {
            return;
        }
        if (tail == items.length) {
            makeRoom();
        }
        items[tail++] = buffer;
        bytes += n;
    }

    private void makeRoom() {
        int count = tail - head;
        if (head > 0 && count < items.length / 2) {
            System.arraycopy(items, head, items, 0, count); // compact
            Arrays.fill(items, count, tail, null);
        } else {
            items = Arrays.copyOfRange(items, head, head + Math.max(4, items.length * 2));
        }
        head = 0;
        tail = count;
    }

    boolean isEmpty() {
        return head == tail;
    }

    /** Bytes queued and not yet taken by the transport. Any thread. */
    long bytes() {
        return bytes;
    }

    /**
     * Writes as much as the transport takes, stopping when it takes nothing or starts holding
     * bytes of its own (TLS records the socket did not take).
     *
     * @return the bytes written
     */
    long writeTo(Transport transport) throws IOException {
        long total = 0;
        while (head < tail) {
            long n = transport.write(items, head, tail - head);
            total += n;
            while (head < tail && !items[head].hasRemaining()) {
                items[head++] = null;
            }
            if (n == 0 || transport.hasPendingOutput()) {
                break;
            }
        }
        if (head == tail) {
            head = 0;
            tail = 0;
            if (items.length > KEEP) {
                items = EMPTY;
            }
        }
        bytes -= total;
        return total;
    }

    /** Drops everything. */
    void clear() {
        items = EMPTY;
        head = 0;
        tail = 0;
        bytes = 0;
    }
}
