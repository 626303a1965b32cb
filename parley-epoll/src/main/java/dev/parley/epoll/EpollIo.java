package dev.parley.epoll;

import dev.parley.websocket.internal.Acceptor;
import dev.parley.websocket.internal.EventLoop;
import dev.parley.websocket.internal.NativeIo;
import dev.parley.websocket.internal.Poller;
import java.io.IOException;
import java.net.InetSocketAddress;

/**
 * The server's sockets on Linux's epoll, found by {@code java.util.ServiceLoader}: one epoll
 * instance per event loop, level-triggered like {@code java.nio}'s, and for each connection an
 * {@link EpollTransport} of a few fields in place of the JDK's socket channel, selection key,
 * file descriptor, locks and addresses.
 */
public final class EpollIo implements NativeIo {
    /** Made by the service loader. */
    public EpollIo() {}

    @Override
    public String name() {
        return "epoll";
    }

    @Override
    public String unavailableReason() {
        return Native.UNAVAILABLE;
    }

    @Override
    public Poller poller(EventLoop loop) throws IOException {
        return new EpollPoller(loop);
    }

    @Override
    public Acceptor listen(InetSocketAddress address, int backlog) throws IOException {
        return EpollAcceptor.open(address, backlog);
    }
}
