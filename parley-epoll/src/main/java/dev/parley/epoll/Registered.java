package dev.parley.epoll;

import dev.parley.websocket.internal.EventLoop;

/** A socket registered with an {@link EpollPoller}: the listening one or a connection. */
abstract class Registered {
    /** The file descriptor; -1 once closed (so that a closed number, reused, is never touched). */
    int fd;
    /** The operations asked for ({@code SelectionKey} bits); 0: not in the epoll set. */
    int interest;

    EventLoop.Handler handler;
    EpollPoller poller;

    Registered(int fd) {
        this.fd = fd;
    }

    /** Closes the socket (the poller forgets it first); does nothing the second time. */
    public void close() {
        if (fd < 0) {
            return;
        }
        if (poller != null) {
            poller.forget(this);
        }
        Native.close(fd);
        fd = -1;
    }
}
