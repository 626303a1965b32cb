package dev.parley.protocol.frame;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * A streaming UTF-8 validator (RFC 3629, Unicode Table 3-7) for text messages and close reasons
 * (RFC 6455 §8.1). Input can be split anywhere, even inside a code point; an invalid sequence is
 * reported at the first byte that makes it invalid, so a connection can be failed before the rest
 * of a large message arrives. Overlong forms, UTF-16 surrogates (U+D800-U+DFFF) and code points
 * above U+10FFFF are rejected.
 *
 * <p>The state is three ints. Runs of ASCII are skipped eight bytes at a time, in arrays and
 * direct buffers alike. Not thread-safe: one instance per message stream.
 */
public final class Utf8Validator {
    private static final VarHandle LONGS = MethodHandles.byteArrayViewVarHandle(long[].class, ByteOrder.BIG_ENDIAN);
    private static final long HIGH_BITS = 0x8080_8080_8080_8080L;

    /** Continuation bytes still expected for the current code point. */
    private int pending;
    /** Inclusive bounds for the next continuation byte (narrower than 80..BF after E0, ED, F0, F4). */
    private int low = 0x80;

    private int high = 0xBF;

    /**
     * Validates {@code length} bytes of {@code array} from {@code offset}, continuing the sequence
     * left by earlier calls.
     *
     * @return the index in {@code array} of the first invalid byte, or -1 if every byte so far is
     *     valid (a code point may still be incomplete: see {@link #isComplete()})
     */
    public int validate(byte[] array, int offset, int length) {
        int end = offset + length;
        int i = offset;
        while (i < end) {
            if (pending == 0) {
                // Fast path: skip ASCII eight bytes at a time.
                while (i + 8 <= end && ((long) LONGS.get(array, i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
                int b = array[i] & 0xFF;
                if (b >= 0x80 && !lead(b)) {
                    return i;
                }
                i++;
            } else {
                int b = array[i] & 0xFF;
                if (b < low || b > high) {
                    return i;
                }
                low = 0x80;
                high = 0xBF;
                pending--;
                i++;
            }
        }
        return -1;
    }

    /**
     * Validates the bytes from the buffer's position to its limit without moving either.
     *
     * @return the absolute index of the first invalid byte, or -1
     */
    public int validate(ByteBuffer buffer) {
        int start = buffer.position();
        int length = buffer.remaining();
        if (buffer.hasArray()) {
            int base = buffer.arrayOffset();
            int bad = validate(buffer.array(), base + start, length);
            return bad < 0 ? -1 : bad - base;
        }
        int end = start + length;
        for (int i = start; i < end; i++) {
            if (pending == 0) {
                // Skip ASCII eight bytes at a time, as for arrays: text read from a socket into
                // direct memory is the common case, not the exception.
                while (i + 8 <= end && (buffer.getLong(i) & HIGH_BITS) == 0) {
                    i += 8;
                }
                if (i == end) {
                    break;
                }
            }
            int b = buffer.get(i) & 0xFF;
            if (pending == 0) {
                if (b >= 0x80 && !lead(b)) {
                    return i;
                }
            } else {
                if (b < low || b > high) {
                    return i;
                }
                low = 0x80;
                high = 0xBF;
                pending--;
            }
        }
        return -1;
    }

    /** Starts a code point at lead byte {@code b} (>= 0x80); false if {@code b} cannot lead. */
    private boolean lead(int b) {
        if (b < 0xC2) {
            return false; // 80..BF are continuation bytes, C0 and C1 only start overlongs
        } else if (b < 0xE0) {
            pending = 1;
        } else if (b < 0xF0) {
            pending = 2;
            if (b == 0xE0) {
                low = 0xA0; // below A0 would be an overlong 3-byte form
            } else if (b == 0xED) {
                high = 0x9F; // A0..BF would encode the surrogates D800..DFFF
            }
        } else if (b < 0xF5) {
            pending = 3;
            if (b == 0xF0) {
                low = 0x90; // below 90 would be an overlong 4-byte form
            } else if (b == 0xF4) {
                high = 0x8F; // 90 and above would exceed U+10FFFF
            }
        } else {
            return false; // F5..FF would exceed U+10FFFF
        }
        return true;
    }

    /** Whether the bytes so far end on a code point boundary; a message must, when it ends. */
    public boolean isComplete() {
        return pending == 0;
    }

    /** Forgets any partial code point, ready for a new message. */
    public void reset() {
        pending = 0;
        low = 0x80;
        high = 0xBF;
    }

    /** Whether the whole range is valid, complete UTF-8. */
    public static boolean isValid(byte[] array, int offset, int length) {
        Utf8Validator validator = new Utf8Validator();
        return validator.validate(array, offset, length) < 0 && validator.isComplete();
    }
}
