package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * The byte stream under a connection: plain TCP, or TLS over it. Non-blocking: reads and writes
 * move what they can and return at once. Used on the owning loop's thread only.
 */
public interface Transport {
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
    boolean hasPendingOutput();

    /** Writes held bytes; true when none remain. */
    boolean flushPending() throws IOException;

    /** Starts an orderly shutdown of the output side (TLS close_notify, TCP FIN). */
    void shutdownOutput() throws IOException;

    /** Closes the socket. */
    void close();

    /** The socket. */
    SocketChannel channel();

    /** The peer's address. */
    InetSocketAddress remoteAddress();

    /** Plain TCP. */
    static Transport plain(SocketChannel channel) {
        return new PlainTransport(channel);
    }
}
