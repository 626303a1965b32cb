package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/**
 * {@link Masking} against the definition of RFC 6455 §5.3, "octet i of the transformed data is the
 * XOR of octet i of the original data with octet at index i modulo 4 of the masking key", for every
 * kind of buffer and any division of the payload into runs.
 */
class MaskingTest {

    enum Kind {
        ARRAY,
        HEAP,
        HEAP_LITTLE_ENDIAN,
        HEAP_SLICE,
        DIRECT,
        DIRECT_LITTLE_ENDIAN
    }

    /** The definition, one byte at a time. */
    private static byte[] reference(byte[] data, int offset, int length, int key, int phase) {
        byte[] out = data.clone();
        for (int i = 0; i < length; i++) {
            int keyByte = (key >>> (24 - 8 * ((phase + i) & 3))) & 0xFF;
            out[offset + i] ^= (byte) keyByte;
        }
        return out;
    }

    /** Masks {@code data[offset, offset + length)} in runs of the given sizes, through {@code kind}. */
    private static byte[] masked(
            Kind kind, byte[] data, int offset, int length, int key, int phase, List<Integer> runs) {
        byte[] array = data.clone();
        ByteBuffer buffer = switch (kind) {
            case ARRAY -> null;
            case HEAP -> ByteBuffer.wrap(array);
            case HEAP_LITTLE_ENDIAN -> ByteBuffer.wrap(array).order(ByteOrder.LITTLE_ENDIAN);
            case HEAP_SLICE -> {
                byte[] larger = new byte[array.length + 5];
                System.arraycopy(array, 0, larger, 5, array.length);
                yield ByteBuffer.wrap(larger, 5, array.length).slice();
            }
            case DIRECT -> ByteBuffer.allocateDirect(array.length).put(array).clear();
            case DIRECT_LITTLE_ENDIAN ->
                ByteBuffer.allocateDirect(array.length).put(array).clear().order(ByteOrder.LITTLE_ENDIAN);
        };
        if (buffer != null) {
            buffer.position(1 % (array.length + 1)).limit(array.length);
        }
        int done = 0;
        int p = phase;
        for (int run : runs) {
            int n = Math.min(run, length - done);
            int returned = buffer == null
                    ? Masking.mask(array, offset + done, n, key, p)
                    : Masking.mask(buffer, offset + done, n, key, p);
            assertThat(returned).as("phase after a run").isEqualTo((p + n) & 3);
            p = returned;
            done += n;
        }
        int returned = buffer == null
                ? Masking.mask(array, offset + done, length - done, key, p)
                : Masking.mask(buffer, offset + done, length - done, key, p);
        assertThat(returned).isEqualTo((phase + length) & 3);
        if (buffer == null) {
            return array;
        }
        assertThat(buffer.position()).as("position").isEqualTo(1 % (array.length + 1));
        assertThat(buffer.limit()).as("limit").isEqualTo(array.length);
        byte[] result = new byte[array.length];
        buffer.get(0, result);
        return result;
    }

    @Property(tries = 1000)
    void equalsTheByteByByteDefinition(
            @ForAll Kind kind,
            @ForAll @Size(max = 80) byte[] data,
            @ForAll @IntRange(max = 80) int offsetSeed,
            @ForAll @IntRange(max = 80) int lengthSeed,
            @ForAll int key,
            @ForAll @IntRange(max = 3) int phase,
            @ForAll("runs") List<Integer> runs) {
        int offset = data.length == 0 ? 0 : offsetSeed % (data.length + 1);
        int length = lengthSeed % (data.length - offset + 1);

        assertThat(masked(kind, data, offset, length, key, phase, runs))
                .isEqualTo(reference(data, offset, length, key, phase));
    }

    @Property(tries = 500)
    void maskingTwiceIsIdentity(
            @ForAll Kind kind,
            @ForAll @Size(max = 80) byte[] data,
            @ForAll int key,
            @ForAll @IntRange(max = 3) int phase,
            @ForAll("runs") List<Integer> runs) {
        byte[] once = masked(kind, data, 0, data.length, key, phase, runs);
        byte[] twice = masked(kind, once, 0, data.length, key, phase, List.of());

        assertThat(twice).isEqualTo(data);
    }

    @Provide
    Arbitrary<List<Integer>> runs() {
        return Arbitraries.integers().between(0, 20).list().ofMaxSize(6);
    }

    @Example
    void masksTheRfcExample() {
        byte[] hello = hex("48656c6c6f"); // "Hello"

        Masking.mask(hello, 0, 5, 0x37fa213d, 0);

        assertThat(hello).isEqualTo(hex("7f9f4d5158")); // RFC 6455 §5.7
    }

    @Example
    void phaseStartsWithinTheKey() {
        byte[] zeros = new byte[6];

        int phase = Masking.mask(zeros, 0, 6, 0x01020304, 2);

        assertThat(zeros).isEqualTo(hex("0304 01020304"));
        assertThat(phase).isEqualTo(0);
    }
}
