package dev.parley.websocket.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/** A {@link Transport} straight on the socket. */
final class PlainTransport implements Transport {
    private final SocketChannel channel;
    private final InetSocketAddress remote;

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
    public boolean hasPendingOutput() {
        return false;
    }

    @Override
    public boolean flushPending() {
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        channel.shutdownOutput();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException e) {
            // closing: nothing left to do with the error
        }
    }

    @Override
    public SocketChannel channel() {
        return channel;
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
