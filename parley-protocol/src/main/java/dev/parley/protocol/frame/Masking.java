package dev.parley.protocol.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * The masking of RFC 6455 §5.3: byte {@code i} of a payload is XORed with byte {@code i mod 4} of
 * the masking key. Masking twice with the same key restores the data, so this one operation both
 * masks and unmasks.
 *
 * <p>The work is done eight bytes at a time: the 4-byte key, rotated to the position where the run
 * starts, is repeated into a long. A payload processed in several runs (as it arrives) passes the
 * {@code phase}, the position within the key of the run's first byte, from one run to the next.
 *
 * <p>The key is an {@code int} holding the four key bytes in wire order, most significant first.
 * Stateless and thread-safe.
 */
public final class Masking {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);

    private Masking() {}

    /**
     * Masks {@code length} bytes of {@code buffer} in place, starting at absolute index {@code
     * index}, whatever the buffer's byte order, without moving its position or limit.
     *
     * @param phase the position within the key of the first byte, 0 to 3 (0 at a payload's start)
     * @return the phase of the byte after the last one masked
     */
    public static int mask(ByteBuffer buffer, int index, int length, int key, int phase) {
        if (buffer.hasArray()) {
            return mask(buffer.array(), buffer.arrayOffset() + index, length, key, phase);
        }
        int k = Integer.rotateLeft(key, phase << 3);
        long wide = (((long) k) << 32) | (k & 0xFFFF_FFFFL);
        if (buffer.order() == ByteOrder.LITTLE_ENDIAN) {
            wide = Long.reverseBytes(wide);
        }
        int i = index;
        int end = index + length;
        for (int stop = end - 7; i < stop; i += 8) {
            buffer.putLong(i, buffer.getLong(i) ^ wide);
        }
        for (int shift = 24; i < end; i++, shift = (shift - 8) & 31) {
            buffer.put(i, (byte) (buffer.get(i) ^ (k >>> shift)));
        }
        return (phase + length) & 3;
    }

    /** Masks {@code length} bytes of {@code array} from {@code offset}; see {@link #mask(ByteBuffer, int, int, int, int)}. */
    public static int mask(byte[] array, int offset, int length, int key, int phase) {
        int k = Integer.rotateLeft(key, phase << 3);
        long wide = (((long) k) << 32) | (k & 0xFFFF_FFFFL);
        int i = offset;
        int end = offset + length;
        for (int stop = end - 7; i < stop; i += 8) {
            LONGS.set(array, i, (long) LONGS.get(array, i) ^ wide);
        }
        for (int shift = 24; i < end; i++, shift = (shift - 8) & 31) {
            array[i] ^= (byte) (k >>> shift);
        }
        return (phase + length) & 3;
    }
}
