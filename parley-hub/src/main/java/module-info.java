/**
 * The Parley hub: channels with a total order, history and recovery, acknowledged and idempotent
 * publishing, presence, over any transport (WebSocket first), on a pluggable broker; and a Java
 * client that reconnects, resends and recovers. The wire protocol is docs/PROTOCOL.md.
 */
module dev.parley.hub {
    requires transitive dev.parley.websocket;
    requires com.fasterxml.jackson.core;

    exports dev.parley.hub;
    exports dev.parley.hub.broker;
    exports dev.parley.hub.transport;
    exports dev.parley.hub.client;
}
