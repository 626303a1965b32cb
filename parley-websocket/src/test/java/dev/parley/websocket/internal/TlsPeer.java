package dev.parley.websocket.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;
import javax.net.ssl.SSLEngine;

/**
 * One end of a test connection over a {@link TlsTransport}, driven by {@link #pump} in the test's
 * own thread the way an event loop would drive it: flush and write, then read only when a selector
 * says the socket is readable or the transport says it holds input ({@link
 * Transport#hasBufferedInput}), so that a transport which hides input from both would stall here.
 */
final class TlsPeer implements AutoCloseable {
    final SocketChannel socket;
    final TlsTransport transport;
    final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final ArrayDeque<ByteBuffer> toSend = new ArrayDeque<>();
    private final ByteBuffer readBuffer;
    private final boolean echo;
    private final Selector selector;
    long lastWrite;
    Random chunks; // when set: reads of random sizes up to the buffer's capacity
    long sent;
    boolean endOfStream;
    IOException failure;

    TlsPeer(SocketChannel socket, SSLEngine engine, int readBufferSize, boolean echo) throws IOException {
        this.socket = socket;
        this.transport = TlsTransport.of(Transport.plain(socket), engine);
        this.readBuffer = ByteBuffer.allocateDirect(readBufferSize);
        this.echo = echo;
        this.selector = Selector.open();
        socket.register(selector, SelectionKey.OP_READ);
    }

    @Override
    public void close() throws IOException {
        selector.close();
    }

    void send(byte[] bytes) {
        toSend.add(ByteBuffer.wrap(bytes));
    }

    /** Queues {@code bytes} as buffers of random sizes, written together by gathering writes. */
    void sendInChunks(byte[] bytes, Random random) {
        for (int at = 0; at < bytes.length; ) {
            int n = Math.min(bytes.length - at, 1 + random.nextInt(40_000));
            toSend.add(ByteBuffer.wrap(bytes, at, n));
            at += n;
        }
    }

    /** One round; true if any byte moved. */
    boolean step() {
        if (failure != null) {
            return false;
        }
        boolean progress = false;
        try {
            boolean flushed = transport.flushPending();
            if (flushed && !toSend.isEmpty()) {
                long n = transport.write(toSend.toArray(new ByteBuffer[0]), 0, toSend.size());
                lastWrite = n;
                sent += n;
                progress |= n > 0;
                while (!toSend.isEmpty() && !toSend.peek().hasRemaining()) {
                    toSend.poll();
                }
            }
            boolean readable = selector.selectNow() > 0;
            selector.selectedKeys().clear();
            boolean again = readable || transport.hasBufferedInput();
            for (int i = 0; i < 2 && again && !endOfStream; i++) { // few, like a fair loop
                readBuffer.clear();
                if (chunks != null) {
                    readBuffer.limit(1 + chunks.nextInt(readBuffer.capacity()));
                }
                int n = transport.read(readBuffer);
                if (n < 0) {
                    endOfStream = true;
                    progress = true;
                } else if (n > 0) {
                    byte[] bytes = new byte[n];
                    readBuffer.flip().get(bytes);
                    received.write(bytes, 0, n);
                    if (echo) {
                        send(bytes);
                    }
                    progress = true;
                }
                again = n == readBuffer.limit() || transport.hasBufferedInput();
            }
        } catch (IOException e) {
            failure = e;
            return true;
        }
        return progress;
    }

    boolean idle() {
        return toSend.isEmpty() && !transport.hasPendingOutput();
    }

    /** Steps the peers until {@code done}, for at most {@code seconds}. */
    static void pump(BooleanSupplier done, int seconds, TlsPeer... peers) {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(seconds);
        while (!done.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                StringBuilder state = new StringBuilder("pump timed out;");
                for (TlsPeer peer : peers) {
                    state.append(" [received ")
                            .append(peer.received.size())
                            .append(", sent ")
                            .append(peer.sent)
                            .append(", eof ")
                            .append(peer.endOfStream)
                            .append(", failure ")
                            .append(peer.failure)
                            .append(']');
                }
                throw new AssertionError(state);
            }
            boolean progress = false;
            for (TlsPeer peer : peers) {
                progress |= peer.step();
            }
            if (!progress) {
                LockSupport.parkNanos(200_000); // loopback: the other side is a syscall away
            }
        }
    }
}
