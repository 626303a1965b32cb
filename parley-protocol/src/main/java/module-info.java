/**
 * Parley's protocol core: RFC 6455 and RFC 7692 as a sans-IO library. Bytes go in, events come
 * out; messages go in, bytes come out. No sockets, threads or clocks, and no dependency beyond
 * {@code java.base}.
 */
module dev.parley.protocol {
    exports dev.parley.protocol;
    exports dev.parley.protocol.frame;
    exports dev.parley.protocol.handshake;
    exports dev.parley.protocol.deflate;
    exports dev.parley.protocol.connection;
}
