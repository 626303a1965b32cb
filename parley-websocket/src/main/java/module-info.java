/**
 * Parley's WebSocket server and client: {@code java.nio} event loops (or native ones, when the
 * optional {@code dev.parley.epoll} is present), HTTP/1.1 with the upgrade,
 * TLS through the JDK's SSLEngine, and every limit a public server needs. Depends on nothing but
 * the JDK and {@code dev.parley.protocol}.
 */
module dev.parley.websocket {
    requires transitive dev.parley.protocol;

    exports dev.parley.websocket;
    // For the optional native sockets (parley-epoll), which implement the internal SPI.
    exports dev.parley.websocket.internal to
            dev.parley.epoll;

    uses dev.parley.websocket.internal.NativeIo;
}
