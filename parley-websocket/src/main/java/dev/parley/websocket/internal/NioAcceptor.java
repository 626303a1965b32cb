package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.channels.SelectionKey;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;

/** An {@link Acceptor} on a {@link ServerSocketChannel}. */
final class NioAcceptor implements Acceptor {
    private final ServerSocketChannel channel;

    private NioAcceptor(ServerSocketChannel channel) {
        this.channel = channel;
    }

    static NioAcceptor open(InetSocketAddress address, int backlog) throws IOException {
        ServerSocketChannel channel = ServerSocketChannel.open();
        try {
            channel.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            channel.bind(address, backlog);
            channel.configureBlocking(false);
        } catch (IOException e) {
            channel.close();
            throw e;
        }
        return new NioAcceptor(channel);
    }

    @Override
    public void register(EventLoop loop, EventLoop.Handler handler) throws IOException {
        loop.register(channel, SelectionKey.OP_ACCEPT, handler);
    }

    @Override
    public Transport accept() throws IOException {
        SocketChannel socket = channel.accept();
        if (socket == null) {
            return null;
        }
        try {
            socket.setOption(StandardSocketOptions.TCP_NODELAY, true);
            return new PlainTransport(socket);
        } catch (IOException | RuntimeException e) {
            socket.close();
            throw e;
        }
    }

    @Override
    public InetSocketAddress localAddress() {
        try {
            return (InetSocketAddress) channel.getLocalAddress();
        } catch (IOException e) {
            throw new IllegalStateException("not bound", e);
        }
    }

    @Override
    public void close() throws IOException {
        channel.close();
    }
}
