package dev.parley.protocol.frame;

import com.code_intelligence.jazzer.junit.FuzzTest;
import java.util.Arrays;

/**
 * Coverage-guided fuzzing of {@link FrameDecoder} with Jazzer, under the invariant of {@link
 * DecoderFuzzTarget}: frames that obey the rules and limits, or a {@code ProtocolException}, and
 * nothing else.
 *
 * <p>In a normal build ({@code ./mvnw verify}) this runs in regression mode: it replays the seed
 * corpus in {@code src/test/resources/dev/parley/protocol/frame/FrameDecoderFuzzTestInputs/decoder}
 * (one file per input; an input that once failed is added there and stays). To fuzz for real:
 *
 * <pre>
 * JAZZER_FUZZ=1 ./mvnw -o -pl parley-protocol test -Dtest=FrameDecoderFuzzTest
 * </pre>
 *
 * which runs for {@code maxDuration} and writes a crashing input next to the corpus.
 */
class FrameDecoderFuzzTest {

    /**
     * The first two bytes choose the decoder's settings and the chunking (see {@link
     * DecoderFuzzTarget#run}); the rest is the stream.
     */
    @FuzzTest(maxDuration = "60s")
    void decoder(byte[] input) {
        if (input.length < 2) {
            return;
        }
        DecoderFuzzTarget.run(Arrays.copyOfRange(input, 2, input.length), input[0] & 0x7f, input[1]);
    }
}
