package dev.parley.bench;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Event;
import dev.parley.protocol.connection.Connection;
import dev.parley.protocol.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import org.openjdk.jmh.infra.Blackhole;

/** Each benchmark's setup yields the work it claims to measure, so none can measure nothing. */
class BenchmarkSetupTest {
    private static final Blackhole BLACKHOLE = new Blackhole(
            "Today's password is swordfish. I understand instantiating Blackholes directly is dangerous.");

    @ParameterizedTest
    @ValueSource(ints = {32, 4096, 65536})
    void maskingTwiceRestoresAndMatchesTheNaiveLoop(int size) {
        MaskingBenchmark b = new MaskingBenchmark();
        b.size = size;
        b.setup();
        byte[] original = b.arrayForTest().clone();

        assertThat(b.array()).isEqualTo(size & 3);
        byte[] masked = b.arrayForTest().clone();
        assertThat(masked).isNotEqualTo(original);
        b.heapBuffer();
        b.directBuffer();
        assertThat(b.heapForTest().array()).isEqualTo(masked);
        byte[] direct = new byte[size];
        b.directForTest().get(0, direct);
        assertThat(direct).isEqualTo(masked);

        b.naiveArray(); // the baseline computes the same function: it unmasks what mask() masked
        assertThat(b.arrayForTest()).isEqualTo(original);
    }

    @ParameterizedTest
    @CsvSource({"ascii,4096", "ascii,65536", "mixed,4096", "mixed,65536"})
    void utf8InputsAreValidOfTheRightSizeAndBothSidesAgree(String text, int size) {
        Utf8Benchmark b = new Utf8Benchmark();
        b.text = text;
        b.size = size;
        b.setup();

        assertThat(b.validatorArray()).isEqualTo(-1);
        assertThat(b.validatorDirect()).isEqualTo(-1);
        assertThat(b.jdkDecoder().isUnderflow()).isTrue();
        int chars = b.charsForTest().position();
        if (text.equals("ascii")) {
            assertThat(chars).isEqualTo(size);
        } else {
            assertThat(chars).isLessThan(size * 9 / 10); // really mixed, not mostly ASCII
        }
    }

    @Test
    void mixedTextIsExactlyTheSizeAskedAndValid() {
        byte[] bytes = Texts.mixed(4096, 7);
        assertThat(bytes).hasSize(4096);
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isTrue();
    }

    @Test
    void decodingYieldsTheExpectedFramesEveryTime() throws Exception {
        FrameDecodeBenchmark b = new FrameDecodeBenchmark();
        b.setup(BLACKHOLE);
        byte[] pristine32 = b.one32ForTest().array().clone();

        b.frame32();
        assertThat(b.handler.frames).isEqualTo(1);
        assertThat(b.handler.payloadBytes).isEqualTo(32);
        b.frame32(); // the second decode masks the payload back: the input is as built
        assertThat(b.one32ForTest().array()).isEqualTo(pristine32);

        b.frame4k();
        assertThat(b.handler.frames).isEqualTo(3);
        assertThat(b.handler.payloadBytes).isEqualTo(64 + 4096);

        for (int i = 0; i < 3; i++) {
            b.frames64x32();
        }
        assertThat(b.handler.frames).isEqualTo(3 + 3 * FrameDecodeBenchmark.BATCH);
        assertThat(b.handler.payloadBytes).isEqualTo(64 + 4096 + 3 * FrameDecodeBenchmark.BATCH * 32);
    }

    @ParameterizedTest
    @ValueSource(ints = {32, 4096})
    void encodingWritesWholeFrames(int size) {
        FrameEncodeBenchmark b = new FrameEncodeBenchmark();
        b.size = size;
        b.setup();
        int header = size <= 125 ? 2 : 4;

        assertThat(b.server()).isEqualTo(header + size);
        assertThat(b.outForTest().get(1) & 0x80).isZero();
        assertThat(b.client()).isEqualTo(header + 4 + size);
        assertThat(b.outForTest().get(1) & 0x80).isNotZero();
        assertThat(b.clientFixedKey()).isEqualTo(header + 4 + size);
        assertThat(b.outForTest().getInt(header)).isEqualTo(Frames.KEY);
    }

    @Test
    void receivingYieldsTheTextMessageEveryTime() {
        assertThat(ConnectionBenchmark.MESSAGE.getBytes(StandardCharsets.UTF_8)).hasSize(32);
        ConnectionBenchmark b = new ConnectionBenchmark();
        b.setup(BLACKHOLE);
        List<Event> events = new ArrayList<>();
        b.sinkForTest(events::add);

        for (int i = 0; i < 3; i++) {
            b.receiveText();
        }
        assertThat(events).containsOnly(new Event.Text(ConnectionBenchmark.MESSAGE));
        assertThat(events).hasSize(3);
        assertThat(b.connectionForTest().state()).isEqualTo(Connection.State.OPEN);
        assertThat(b.restoreOnly()).isEqualTo(ByteBuffer.wrap(b.restoreOnly().array()));
    }
}
