package dev.parley.protocol.frame;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.SplittableRandom;

/**
 * The fuzzing invariant, shared by the jqwik property and the Jazzer test: arbitrary bytes in
 * arbitrary chunks yield frames that obey {@link InvariantHandler}, or a {@link ProtocolException}
 * after which the decoder refuses input; never any other exception.
 */
final class DecoderFuzzTarget {
    /** Small limits, so that random lengths reach them. */
    static final Limits LIMITS = new Limits(100, 250, 5);

    private DecoderFuzzTarget() {}

    /**
     * @param settings chooses the role, the granted bits and whether RSV1 is per message
     * @param chunkSeed chooses the chunk sizes and buffer kinds
     * @return what became of the input, for statistics: the violation's name or "accepted"
     */
    static String run(byte[] input, int settings, long chunkSeed) {
        Role role = (settings & 1) == 0 ? Role.CLIENT : Role.SERVER;
        int grantedRsv = settings & FrameBits.B0_MASK_RSV;
        boolean rsv1PerMessage = (settings & 2) != 0;
        FrameDecoder decoder = new FrameDecoder(role, LIMITS);
        decoder.grantReservedBits(grantedRsv, rsv1PerMessage);
        InvariantHandler handler = new InvariantHandler(LIMITS, grantedRsv, rsv1PerMessage);
        SplittableRandom random = new SplittableRandom(chunkSeed);

        int from = 0;
        while (from < input.length) {
            int size = random.nextInt(4) == 0 ? 1 : 1 + random.nextInt(input.length - from);
            size = Math.min(size, input.length - from);
            ByteBuffer chunk = wrap(Arrays.copyOfRange(input, from, from + size), random.nextInt(3));
            try {
                decoder.decode(chunk, handler);
            } catch (ProtocolException e) {
                assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(1), handler))
                        .isInstanceOf(IllegalStateException.class);
                return e.violation().name();
            }
            if (chunk.hasRemaining()) {
                throw new AssertionError("decode left " + chunk.remaining() + " bytes");
            }
            from += size;
        }
        return handler.frames() == 0 ? "accepted, no frame" : "accepted";
    }

    private static ByteBuffer wrap(byte[] bytes, int kind) {
        switch (kind) {
            case 0:
                return ByteBuffer.wrap(bytes);
            case 1:
                return ByteBuffer.allocateDirect(bytes.length).put(bytes).flip();
            default:
                return ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        }
    }
}
