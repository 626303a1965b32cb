package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

/** A listening socket: {@code java.nio}'s ({@link #open}) or a {@link NativeIo}'s. */
public interface Acceptor {
    /** Registers with {@code loop} (on its thread); {@code handler} hears of waiting connections. */
    void register(EventLoop loop, EventLoop.Handler handler) throws IOException;

    /**
     * Takes one waiting connection, with {@code TCP_NODELAY} set and not yet registered with any
     * loop; null when none is waiting.
     */
    Transport accept() throws IOException;

    /** The address and port bound. */
    InetSocketAddress localAddress();

    /** Stops listening. */
    void close() throws IOException;

    /** A {@code java.nio} listening socket on {@code address}. */
    static Acceptor open(InetSocketAddress address, int backlog) throws IOException {
        return NioAcceptor.open(address, backlog);
    }
}
