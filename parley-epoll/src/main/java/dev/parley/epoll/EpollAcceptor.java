package dev.parley.epoll;

import dev.parley.websocket.internal.Acceptor;
import dev.parley.websocket.internal.EventLoop;
import dev.parley.websocket.internal.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.channels.SelectionKey;

/** A listening socket whose connections come with {@code TCP_NODELAY} set, as {@link EpollTransport}s. */
final class EpollAcceptor extends Registered implements Acceptor {
    private final int[] peer = new int[6]; // the loop's thread only
    private final InetSocketAddress local;

    private EpollAcceptor(int fd, InetSocketAddress local) {
        super(fd);
        this.local = local;
    }

    static EpollAcceptor open(InetSocketAddress address, int backlog) throws IOException {
        InetAddress host = address.getAddress();
        if (host == null) {
            throw new UnknownHostException(address.getHostString());
        }
        int fd = Native.listen(host.getAddress(), address.getPort(), backlog);
        if (fd < 0) {
            throw Native.error("bind " + address, fd);
        }
        int[] bound = new int[6];
        int result = Native.localAddress(fd, bound);
        if (result < 0) {
            Native.close(fd);
            throw Native.error("getsockname", result);
        }
        return new EpollAcceptor(fd, EpollTransport.address(bound));
    }

    @Override
    public void register(EventLoop loop, EventLoop.Handler handler) throws IOException {
        EpollPoller.of(loop).register(this, SelectionKey.OP_ACCEPT, handler);
    }

    @Override
    public Transport accept() throws IOException {
        if (fd < 0) {
            return null;
        }
        int socket = Native.accept(fd, peer);
        if (socket == -Native.EAGAIN) {
            return null;
        }
        if (socket < 0) {
            throw Native.error("accept", socket);
        }
        return EpollTransport.accepted(socket, peer);
    }

    @Override
    public InetSocketAddress localAddress() {
        return local;
    }
}
