package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;

/** A {@link Transport} straight on a {@code java.nio} socket, registered with a selector. */
final class PlainTransport implements Transport {
    private final SocketChannel channel;
    private final InetSocketAddress remote;
    private SelectionKey key;

    PlainTransport(SocketChannel channel) {
        this.channel = channel;
        InetSocketAddress address = null;
        try {
            address = (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            // not connected yet (client) or already reset: reported as unknown
        }
        this.remote = address;
    }

    @Override
    public void register(EventLoop loop, int ops, EventLoop.Handler handler) throws IOException {
        key = loop.register(channel, ops, handler);
    }

    @Override
    public void attach(EventLoop.Handler handler) {
        key.attach(handler);
    }

    @Override
    public void interest(int ops) {
        if (key != null && key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    @Override
    public boolean connected() {
        return channel.isConnected();
    }

    /** Completes a client's connect; see {@link SocketChannel#finishConnect}. */
    boolean finishConnect() throws IOException {
        return channel.finishConnect();
    }

    @Override
    public int read(ByteBuffer dst) throws IOException {
        return channel.read(dst);
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        return channel.write(srcs, offset, length);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return channel.write(src);
    }

    @Override
    public boolean prefersDirectCopy() {
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }

    @Override
    public InetSocketAddress remoteAddress() {
        if (remote != null) {
            return remote;
        }
        try {
            return (InetSocketAddress) channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }
}
