package dev.parley.websocket.internal;

import java.nio.ByteBuffer;

/**
 * A thread's working buffers for {@link TlsTransport}, shared by every connection that thread (an
 * event loop) serves; nothing in them outlives a call. Each grows to what the sessions ask and
 * never shrinks. Direct, so that socket reads and writes need no extra copy.
 */
final class TlsScratch {
    /** Enough for several records per socket call, whatever the session's sizes. */
    private static final int MIN_NET = 64 * 1024;

    private ByteBuffer net = ByteBuffer.allocateDirect(0);
    private ByteBuffer app = ByteBuffer.allocateDirect(0);
    private ByteBuffer out = ByteBuffer.allocateDirect(0);

    /** Cleared, with {@code room} bytes free after {@code kept} bytes carried over. */
    ByteBuffer net(int room, int kept) {
        int needed = Math.max(MIN_NET, kept + room);
        if (net.capacity() < needed) {
            net = ByteBuffer.allocateDirect(needed);
        }
        return net.clear();
    }

    ByteBuffer app(int applicationSize) {
        if (app.capacity() < applicationSize) {
            app = ByteBuffer.allocateDirect(applicationSize);
        }
        return app.clear();
    }

    ByteBuffer out(int packetSize) {
        int needed = Math.max(MIN_NET, packetSize);
        if (out.capacity() < needed) {
            out = ByteBuffer.allocateDirect(needed);
        }
        return out.clear();
    }
}
