package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/**
 * The byte stream under a connection and its registration with the owning loop: plain TCP
 * ({@code java.nio}, or a native socket from a {@link NativeIo}), or TLS over either. Non-blocking:
 * reads and writes move what they can and return at once. Used on the owning loop's thread only.
 *
 * <p>Interest and readiness use {@link SelectionKey}'s bit values ({@code OP_READ},
 * {@code OP_WRITE}, {@code OP_CONNECT}) whatever the loop's poller.
 */
public interface Transport {
    /**
     * Registers the socket with {@code loop} (on its thread) for {@code ops}, readiness going to
     * {@code handler}.
     */
    void register(EventLoop loop, int ops, EventLoop.Handler handler) throws IOException;

    /** Sends the socket's readiness to {@code handler} from now on. */
    void attach(EventLoop.Handler handler);

    /**
     * Sets the operations whose readiness is reported; does nothing once the transport is closed
     * or before it is registered.
     */
    void interest(int ops);

    /** Whether the socket is connected (a client's may still be connecting). */
    default boolean connected() {
        return true;
    }

    /** Reads into {@code dst}; returns the bytes read, 0 if none are ready, -1 at end of stream. */
    int read(ByteBuffer dst) throws IOException;

    /** Writes from {@code srcs} as much as the socket takes; returns the bytes consumed. */
    long write(ByteBuffer[] srcs, int offset, int length) throws IOException;

    /**
     * Whether heap buffers are better copied by the caller into one direct buffer and written with
     * {@link #write(ByteBuffer)}: true for a socket, which would otherwise copy each heap buffer
     * into a temporary direct buffer of its own (and allocate one past the JDK's small per-thread
     * cache); false for TLS, whose engine reads heap buffers directly.
     */
    default boolean prefersDirectCopy() {
        return false;
    }

    /** Writes from {@code src} as much as the socket takes; returns the bytes consumed. */
    default int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    /**
     * Whether decoded bytes are held inside the transport that the next {@link #read} returns
     * without the socket being readable (TLS: a record larger than the reader's buffer).
     */
    default boolean hasBufferedInput() {
        return false;
    }

    /**
     * Whether writing must wait for the peer: a TLS handshake that needs the peer's next message
     * before anything more can go out. Whoever has bytes to write asks for {@code OP_WRITE} only
     * while this is false, or the selector reports the idle, writable socket at every turn.
     */
    default boolean awaitsPeer() {
        return false;
    }

    /** Whether bytes are held inside the transport waiting for the socket (TLS records). */
    default boolean hasPendingOutput() {
        return false; // a plain socket holds none
    }

    /** Writes held bytes; true when none remain. */
    default boolean flushPending() throws IOException {
        return true;
    }

    /** Starts an orderly shutdown of the output side (TLS close_notify, TCP FIN). */
    void shutdownOutput() throws IOException;

    /** Closes the socket and ends its registration. */
    void close();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** Plain TCP. */
    static Transport plain(SocketChannel channel) {
        return new PlainTransport(channel);
    }
}
