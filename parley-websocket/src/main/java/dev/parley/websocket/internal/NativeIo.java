package dev.parley.websocket.internal;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ServiceLoader;

/**
 * Native sockets for the server, in place of {@code java.nio}'s: an optional module (Parley's
 * {@code parley-epoll}, for Linux) provides one through {@link ServiceLoader}. Without one, or
 * with the system property {@code parley.io=nio}, the server uses {@code java.nio}. The client
 * always uses {@code java.nio}.
 *
 * <p>What an implementation gives: a {@link Poller} for each server loop, and a listening socket
 * whose accepted connections are {@link Transport}s that register with those pollers (and only
 * with them).
 */
public interface NativeIo {
    /** The system property that, set to {@code nio}, keeps the server on {@code java.nio}. */
    String PROPERTY = "parley.io";

    /** A short name for logs and {@code WebSocketServer.io()}: {@code "epoll"}. */
    String name();

    /** Why the native part cannot run on this machine (not loaded, no epoll...), or null. */
    String unavailableReason();

    /** Whether the native part loaded and works on this machine. */
    default boolean available() {
        return unavailableReason() == null;
    }

    /** A poller for {@code loop}. */
    Poller poller(EventLoop loop) throws IOException;

    /** A listening socket bound to {@code address} ({@code SO_REUSEADDR} set). */
    Acceptor listen(InetSocketAddress address, int backlog) throws IOException;

    /** The first available implementation on the class or module path, or null. */
    static NativeIo find() {
        if ("nio".equals(System.getProperty(PROPERTY))) {
            return null;
        }
        for (NativeIo io : ServiceLoader.load(NativeIo.class, NativeIo.class.getClassLoader())) {
            String reason = io.unavailableReason();
            if (reason == null) {
                return io;
            }
            System.getLogger(NativeIo.class.getName())
                    .log(
                            Level.INFO,
                            io.name() + " is on the class path but cannot run here (" + reason + "); using java.nio");
        }
        return null;
    }
}
