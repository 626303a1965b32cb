package dev.parley.websocket.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.function.Consumer;

/**
 * The bytes a connection has queued for its socket, written with gathering writes straight from
 * the queue's own array (no copy, no allocation per write). An empty queue holds no array, so an
 * idle connection costs nothing here.
 *
 * <p>Used on the owning loop's thread only, except {@link #bytes()}, which any thread may read.
 */
final class OutboundQueue implements Consumer<ByteBuffer> {
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

    /** Same as {@link #add}: the queue is the sink of {@code Connection.takeOutput} as it is. */
    @Override
    public void accept(ByteBuffer buffer) {
        add(buffer);
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
        return writeTo(transport, null);
    }

    /**
     * Like {@link #writeTo(Transport)}; when the transport {@link Transport#prefersDirectCopy()
     * prefers it}, runs of heap buffers are first copied into {@code scratch} (a direct buffer
     * shared by the loop, its content dead on return) and written with one plain write: one copy,
     * as the JDK would make anyway, without its per-buffer temporary buffers and I/O vector.
     *
     * @param scratch a direct buffer, or null for plain gathering writes
     * @return the bytes written
     */
    long writeTo(Transport transport, ByteBuffer scratch) throws IOException {
        boolean copy = scratch != null && transport.prefersDirectCopy();
        long total = 0;
        while (head < tail) {
            if (copy && !items[head].isDirect()) {
                int wanted = fill(scratch.clear());
                int n = transport.write(scratch.flip());
                total += n;
                consume(n);
                if (n < wanted) {
                    break;
                }
                continue;
            }
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

    /**
     * Copies the heap buffers from the head on into {@code scratch}, up to its limit or the first
     * direct buffer, without moving them. Returns the bytes copied (at least one).
     */
    private int fill(ByteBuffer scratch) {
        for (int i = head; i < tail && scratch.hasRemaining(); i++) {
            ByteBuffer b = items[i];
            if (b.isDirect()) {
                break; // written as it is, by the gathering write
            }
            int n = Math.min(b.remaining(), scratch.remaining());
            scratch.put(scratch.position(), b, b.position(), n);
            scratch.position(scratch.position() + n);
        }
        return scratch.position();
    }

    /** Advances the buffers from the head on past {@code n} written bytes, dropping spent ones. */
    private void consume(int n) {
        while (n > 0) {
            ByteBuffer b = items[head];
            int k = Math.min(n, b.remaining());
            b.position(b.position() + k);
            n -= k;
            if (!b.hasRemaining()) {
                items[head++] = null;
            }
        }
    }

    /** Drops everything. */
    void clear() {
        items = EMPTY;
        head = 0;
        tail = 0;
        bytes = 0;
    }
}
