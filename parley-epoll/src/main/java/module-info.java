/**
 * Native sockets for Parley's server on Linux: epoll, accept4, read and send through a small JNI
 * library built with the module. With this module on the class or module path the server uses it
 * in place of {@code java.nio} (where the library loads), keeping far fewer objects per
 * connection; without it, or with {@code -Dparley.io=nio}, nothing changes.
 */
module dev.parley.epoll {
    requires dev.parley.websocket;

    provides dev.parley.websocket.internal.NativeIo with
            dev.parley.epoll.EpollIo;
}
