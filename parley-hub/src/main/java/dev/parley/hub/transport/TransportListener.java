package dev.parley.hub.transport;

/**
 * What a transport tells the hub about its connection. Called on the transport's executor, one
 * call at a time.
 */
public interface TransportListener {
    /** One whole message (one JSON command) from the client. */
    void onMessage(String text);

    /** The connection ended, for whatever reason. Called once; nothing follows. */
    void onClose(int code, String reason);
}
