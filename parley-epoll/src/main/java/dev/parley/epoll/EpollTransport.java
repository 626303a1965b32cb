package dev.parley.epoll;

import dev.parley.websocket.internal.EventLoop;
import dev.parley.websocket.internal.Transport;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;

/**
 * An accepted TCP connection on a native socket: the descriptor, its registration, and the peer's
 * address as numbers (an {@link InetSocketAddress} is made only when asked for). This is what an
 * idle connection keeps of its socket, in place of {@code java.nio}'s channel, selection key, file
 * descriptor object, locks and two addresses.
 */
final class EpollTransport extends Registered implements Transport {
    private final int peerPort; // -1: an address family other than IPv4 and IPv6
    private final int peerV4;
    private final byte[] peerV6; // null for IPv4

    private EpollTransport(int fd, int[] peer) {
        super(fd);
        this.peerPort = peer[0] == 4 || peer[0] == 6 ? peer[1] : -1;
        this.peerV4 = peer[2];
        this.peerV6 = peer[0] == 6 ? v6(peer) : null;
    }

    /** A connection just accepted, {@code peer} as {@code parley_epoll.c}'s address_of writes it. */
    static EpollTransport accepted(int fd, int[] peer) {
        return new EpollTransport(fd, peer);
    }

    /** The address {@code parley_epoll.c}'s address_of wrote, or null for another family. */
    static InetSocketAddress address(int[] socket) {
        return address(
                socket[0] == 4 || socket[0] == 6 ? socket[1] : -1, socket[2], socket[0] == 6 ? v6(socket) : null);
    }

    private static InetSocketAddress address(int port, int v4, byte[] v6) {
        if (port < 0) {
            return null;
        }
        byte[] bytes =
                v6 != null ? v6 : new byte[] {(byte) (v4 >>> 24), (byte) (v4 >>> 16), (byte) (v4 >>> 8), (byte) v4};
        try {
            return new InetSocketAddress(InetAddress.getByAddress(bytes), port);
        } catch (UnknownHostException e) {
            throw new AssertionError("4 or 16 bytes are an IP address", e);
        }
    }

    /** The IPv6 address in {@code socket}'s four big-endian ints. */
    private static byte[] v6(int[] socket) {
        byte[] bytes = new byte[16];
        for (int i = 0; i < 16; i++) {
            bytes[i] = (byte) (socket[2 + i / 4] >>> (24 - 8 * (i % 4)));
        }
        return bytes;
    }

    // ---------------------------------------------------------------------------------------------
    // Registration

    @Override
    public void register(EventLoop loop, int ops, EventLoop.Handler handler) throws IOException {
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        EpollPoller.of(loop).register(this, ops, handler);
    }

    @Override
    public void attach(EventLoop.Handler handler) {
        this.handler = handler;
    }

    @Override
    public void interest(int ops) {
        if (poller != null) {
            poller.interest(this, ops);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Bytes

    @Override
    public int read(ByteBuffer dst) throws IOException {
        int position = dst.position();
        int room = dst.limit() - position;
        if (room == 0) {
            return 0;
        }
        int fd = open();
        int n = dst.isDirect()
                ? Native.readDirect(fd, dst, position, room)
                : Native.readArray(fd, dst.array(), dst.arrayOffset() + position, room);
        if (n > 0) {
            dst.position(position + n);
            return n;
        }
        if (n == 0) {
            return -1;
        }
        if (n == -Native.EAGAIN) {
            return 0;
        }
        throw Native.error("read", n);
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        int position = src.position();
        int length = src.limit() - position;
        if (length == 0) {
            return 0;
        }
        int fd = open();
        int n;
        if (src.isDirect()) {
            n = Native.writeDirect(fd, src, position, length);
        } else {
            n = writeHeap(fd, src, position, length);
        }
        if (n >= 0) {
            src.position(position + n);
            return n;
        }
        if (n == -Native.EAGAIN) {
            return 0;
        }
        throw Native.error("write", n);
    }

    /** Writes a heap buffer's bytes in the native side's chunks until the socket is full. */
    private static int writeHeap(int fd, ByteBuffer src, int position, int length) {
        byte[] array;
        int offset;
        if (src.hasArray()) {
            array = src.array();
            offset = src.arrayOffset() + position;
        } else { // read-only: its bytes through a copy
            array = new byte[length];
            src.duplicate().get(array);
            offset = 0;
        }
        int written = 0;
        while (written < length) {
            int asked = Math.min(length - written, Native.CHUNK); // what one call moves at most
            int n = Native.writeArray(fd, array, offset + written, asked);
            if (n < 0) {
                return written > 0 ? written : n;
            }
            written += n;
            if (n < asked) {
                break; // a short write: the socket is full
            }
        }
        return written;
    }

    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        long total = 0;
        for (int i = offset; i < offset + length; i++) {
            ByteBuffer src = srcs[i];
            int want = src.remaining();
            int n = write(src);
            total += n;
            if (n < want) {
                break; // the socket is full
            }
        }
        return total;
    }

    @Override
    public boolean prefersDirectCopy() {
        return true;
    }

    @Override
    public void shutdownOutput() throws IOException {
        Native.check("shutdown", Native.shutdownOutput(open()));
    }

    @Override
    public InetSocketAddress remoteAddress() {
        return address(peerPort, peerV4, peerV6);
    }

    private int open() throws ClosedChannelException {
        int fd = this.fd;
        if (fd < 0) {
            throw new ClosedChannelException();
        }
        return fd;
    }
}
