package dev.parley.bench.peers;

/**
 * One benchmark peer: a WebSocket server of some framework serving {@code /echo} (every text and
 * binary message sent back unchanged) and {@code /broadcast} (every message sent to every other
 * connection on {@code /broadcast}), on {@link PeerOptions#HOST}.
 *
 * <p>Lifecycle: {@link #start} binds and returns the bound port; {@link #stop} closes every
 * connection and frees the threads, within a few seconds. Called from one thread.
 */
interface PeerServer {
    /** Binds and starts serving; the port actually bound (useful with port 0). */
    int start(PeerOptions options) throws Exception;

    /** Stops the server and its threads. */
    void stop() throws Exception;
}
