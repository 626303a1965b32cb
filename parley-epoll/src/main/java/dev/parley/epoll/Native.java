package dev.parley.epoll;

import java.io.IOException;
import java.io.InputStream;
import java.lang.System.Logger.Level;
import java.net.BindException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/**
 * The system calls of {@code parley_epoll.c}. Each returns the call's result or {@code -errno};
 * {@link #error} turns a failure into an {@link IOException} with the system's message.
 */
final class Native {
    private static final System.Logger LOG = System.getLogger(Native.class.getName());

    static final int EPOLLIN = 0x001;
    static final int EPOLLOUT = 0x004;
    static final int EPOLLERR = 0x008;
    static final int EPOLLHUP = 0x010;
    static final int EPOLLRDHUP = 0x2000;
    static final int EPOLL_CTL_ADD = 1;
    static final int EPOLL_CTL_DEL = 2;
    static final int EPOLL_CTL_MOD = 3;

    /** The most {@link #readArray} and {@link #writeArray} move per call (a stack buffer). */
    static final int CHUNK = 16384;

    static final int EAGAIN = 11;
    static final int EACCES = 13;
    static final int EADDRINUSE = 98;
    static final int EADDRNOTAVAIL = 99;

    /** Why the library is not usable, or null when it loaded. */
    static final String UNAVAILABLE = load();

    private Native() {}

    static native int epollCreate();

    static native int eventFd();

    static native int eventFdWrite(int fd);

    static native int eventFdDrain(int fd);

    static native int epollCtl(int epfd, int op, int fd, int events);

    static native int epollWait(int epfd, ByteBuffer out, int max, int timeoutMillis);

    static native int listen(byte[] address, int port, int backlog);

    static native int localAddress(int fd, int[] out);

    static native int accept(int listenFd, int[] peer);

    static native int readDirect(int fd, ByteBuffer buffer, int position, int length);

    static native int writeDirect(int fd, ByteBuffer buffer, int position, int length);

    static native int readArray(int fd, byte[] array, int offset, int length);

    static native int writeArray(int fd, byte[] array, int offset, int length);

    static native int shutdownOutput(int fd);

    static native int close(int fd);

    static native String strerror(int error);

    /** An exception for the failed call {@code what}, which returned {@code result} (-errno). */
    static IOException error(String what, int result) {
        int errno = -result;
        String message = what + ": " + strerror(errno);
        return errno == EADDRINUSE || errno == EADDRNOTAVAIL || errno == EACCES
                ? new BindException(message)
                : new IOException(message);
    }

    /** Fails with {@link #error} when {@code result} is negative; returns it otherwise. */
    static int check(String what, int result) throws IOException {
        if (result < 0) {
            throw error(what, result);
        }
        return result;
    }

    /** The library's name for this machine, as the build names it. */
    static String libraryName() {
        return "libparley-epoll-" + System.getProperty("os.arch").toLowerCase(Locale.ROOT) + ".so";
    }

    private static String load() {
        if (!System.getProperty("os.name").toLowerCase(Locale.ROOT).startsWith("linux")) {
            return "not Linux";
        }
        String name = libraryName();
        try (InputStream in = Native.class.getResourceAsStream(name)) {
            if (in == null) {
                return "no " + name + " in the jar (built on another architecture, or without gcc)";
            }
            // A shared library is loaded from a file: copied out, loaded, and the file removed at
            // once (the mapping stays).
            Path file = Files.createTempFile("parley-epoll", ".so");
            try {
                Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
                System.load(file.toAbsolutePath().toString());
            } finally {
                Files.deleteIfExists(file);
            }
            int epfd = epollCreate(); // the library answers, and the kernel has epoll
            if (epfd < 0) {
                return "epoll_create1: " + strerror(-epfd);
            }
            close(epfd);
            return null;
        } catch (IOException | LinkageError | SecurityException e) {
            LOG.log(Level.DEBUG, "cannot load " + name, e);
            return "cannot load " + name + ": " + e;
        }
    }
}
