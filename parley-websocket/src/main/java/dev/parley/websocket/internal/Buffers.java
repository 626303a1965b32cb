package dev.parley.websocket.internal;

import java.nio.ByteBuffer;

/** Small buffer helpers shared by the channels and the public API. */
public final class Buffers {
    private Buffers() {}

    /**
     * A new heap buffer holding the bytes between {@code source}'s position and limit, ready to be
     * read; {@code source} is not moved. For data a caller may reuse once the call returns.
     */
    public static ByteBuffer copyOf(ByteBuffer source) {
        return ByteBuffer.allocate(source.remaining()).put(source.duplicate()).flip();
    }
}
