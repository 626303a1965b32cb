package dev.parley.epoll;

import dev.parley.websocket.internal.EventLoop;
import dev.parley.websocket.internal.Poller;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.IntBuffer;
import java.nio.channels.SelectionKey;
import java.util.Arrays;

/**
 * One epoll instance for one loop, level-triggered as {@code java.nio}'s selector is, so that the
 * channels above behave the same on either. Sockets are found by file descriptor in an array (a
 * descriptor is a small number, and the kernel reuses the lowest free one), not in a map.
 *
 * <p>A socket asked for no operation is taken out of the epoll set, as the JDK does: otherwise an
 * error or hang-up, which epoll always reports, would wake the loop at every turn.
 */
final class EpollPoller implements Poller {
    private static final System.Logger LOG = System.getLogger(EpollPoller.class.getName());
    private static final int MAX_EVENTS = 256;
    private static final int READABLE = Native.EPOLLIN | Native.EPOLLRDHUP | Native.EPOLLERR | Native.EPOLLHUP;
    private static final int WRITABLE = Native.EPOLLOUT | Native.EPOLLERR | Native.EPOLLHUP;

    private final EventLoop loop;
    private final int epfd;
    private final int wakeFd;
    private final ByteBuffer events = ByteBuffer.allocateDirect(MAX_EVENTS * 8).order(ByteOrder.nativeOrder());
    private final IntBuffer pairs = events.asIntBuffer();
    private Registered[] byFd = new Registered[1024];
    private boolean closed;

    EpollPoller(EventLoop loop) throws IOException {
        this.loop = loop;
        this.epfd = Native.check("epoll_create1", Native.epollCreate());
        int wake = Native.eventFd();
        if (wake < 0) {
            Native.close(epfd);
            throw Native.error("eventfd", wake);
        }
        this.wakeFd = wake;
        int added = Native.epollCtl(epfd, Native.EPOLL_CTL_ADD, wakeFd, Native.EPOLLIN);
        if (added < 0) {
            Native.close(wakeFd);
            Native.close(epfd);
            throw Native.error("epoll_ctl", added);
        }
    }

    /** The poller of {@code loop}, which must be a native one. */
    static EpollPoller of(EventLoop loop) throws IOException {
        if (loop.poller() instanceof EpollPoller poller) {
            return poller;
        }
        throw new IOException("an epoll socket needs an epoll loop");
    }

    void register(Registered socket, int ops, EventLoop.Handler handler) throws IOException {
        int fd = socket.fd;
        if (fd >= byFd.length) {
            byFd = Arrays.copyOf(byFd, Math.max(fd + 1, byFd.length * 2));
        }
        if (byFd[fd] != null) {
            throw new IllegalStateException("descriptor " + fd + " registered twice");
        }
        byFd[fd] = socket;
        socket.poller = this;
        socket.handler = handler;
        interest(socket, ops);
    }

    /** Sets what {@code socket} is asked for; errors leave the socket to fail on its next read. */
    void interest(Registered socket, int ops) {
        int old = socket.interest;
        if (old == ops || socket.fd < 0) {
            return;
        }
        int result;
        if (ops == 0) {
            result = Native.epollCtl(epfd, Native.EPOLL_CTL_DEL, socket.fd, 0);
        } else {
            int events = ((ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT)) != 0
                            ? Native.EPOLLIN | Native.EPOLLRDHUP
                            : 0)
                    | ((ops & SelectionKey.OP_WRITE) != 0 ? Native.EPOLLOUT : 0);
            result = Native.epollCtl(epfd, old == 0 ? Native.EPOLL_CTL_ADD : Native.EPOLL_CTL_MOD, socket.fd, events);
        }
        if (result < 0) {
            LOG.log(Level.DEBUG, () -> "epoll_ctl on " + socket.fd + ": " + Native.strerror(-result));
            return;
        }
        socket.interest = ops;
    }

    /** Forgets a socket about to be closed (closing takes it out of the epoll set). */
    void forget(Registered socket) {
        int fd = socket.fd;
        if (fd >= 0 && fd < byFd.length && byFd[fd] == socket) {
            byFd[fd] = null;
        }
        socket.interest = 0;
    }

    @Override
    public int poll(long timeoutMillis) throws IOException {
        int timeout = timeoutMillis < 0 ? -1 : (int) Math.min(timeoutMillis, Integer.MAX_VALUE);
        int n = Native.epollWait(epfd, events, MAX_EVENTS, timeout);
        if (n < 0) {
            throw Native.error("epoll_wait", n);
        }
        IntBuffer ready = pairs;
        for (int i = 0; i < n; i++) {
            int fd = ready.get(2 * i);
            int happened = ready.get(2 * i + 1);
            if (fd == wakeFd) {
                Native.eventFdDrain(wakeFd);
                continue;
            }
            // Null: closed by a handler earlier in this batch.
            Registered socket = fd < byFd.length ? byFd[fd] : null;
            if (socket == null) {
                continue;
            }
            int ops = socket.interest;
            int readyOps = ((happened & READABLE) != 0 ? ops & (SelectionKey.OP_READ | SelectionKey.OP_ACCEPT) : 0)
                    | ((happened & WRITABLE) != 0 ? ops & SelectionKey.OP_WRITE : 0);
            if (readyOps != 0) {
                try {
                    socket.handler.ready(readyOps);
                } catch (RuntimeException e) {
                    loop.handlerFailed(e);
                    socket.close();
                }
            }
        }
        return n;
    }

    @Override
    public void wakeup() {
        Native.eventFdWrite(wakeFd); // a full counter (2^64 - 2 wakeups) still wakes: EAGAIN is fine
    }

    @Override
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        for (Registered socket : byFd) {
            if (socket != null) {
                socket.close();
            }
        }
        Native.close(wakeFd);
        Native.close(epfd);
    }
}
