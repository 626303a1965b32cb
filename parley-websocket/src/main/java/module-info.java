/**
 * Parley's WebSocket server and client: {@code java.nio} event loops, HTTP/1.1 with the upgrade,
 * TLS through the JDK's SSLEngine, and every limit a public server needs. Depends on nothing but
 * the JDK and {@code dev.parley.protocol}.
 */
module dev.parley.websocket {
    requires transitive dev.parley.protocol;

    exports dev.parley.websocket;
}
