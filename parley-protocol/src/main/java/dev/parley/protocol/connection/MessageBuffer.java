package dev.parley.protocol.connection;

import java.nio.ByteBuffer;
import java.util.Arrays;

/**
 * The bytes of a message being assembled. Starts empty and grows as bytes arrive, never ahead of
 * them: a frame that declares a large length reserves nothing until its payload is here, so a
 * thousand idle peers announcing big frames cost nothing. Capacity doubles up to the message limit,
 * which the decoder and inflater have already enforced.
 */
final class MessageBuffer {
    private static final byte[] EMPTY = new byte[0];

    private byte[] bytes = EMPTY;
    private int size;

    void append(ByteBuffer data) {
        int n = data.remaining();
        ensure(n);
        data.get(bytes, size, n);
        size += n;
    }

    void append(byte[] data, int offset, int length) {
        ensure(length);
        System.arraycopy(data, offset, bytes, size, length);
        size += length;
    }

    private void ensure(int more) {
        int needed = Math.addExact(size, more);
        if (needed > bytes.length) {
            bytes = Arrays.copyOf(bytes, Math.max(needed, Math.max(256, bytes.length * 2)));
        }
    }

    byte[] array() {
        return bytes;
    }

    int size() {
        return size;
    }

    /** Drops the first {@code n} bytes, keeping the rest (a partial code point of streamed text). */
    void discard(int n) {
        System.arraycopy(bytes, n, bytes, 0, size - n);
        size -= n;
    }

    /** Hands the content over as an exactly-sized array and becomes empty, holding no memory. */
    byte[] take() {
        byte[] out = size == bytes.length ? bytes : Arrays.copyOf(bytes, size);
        bytes = EMPTY;
        size = 0;
        return out;
    }

    void clear() {
        bytes = EMPTY;
        size = 0;
    }
}
