package dev.parley.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.List;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Feeds a fixture to fresh decoders in every way it can arrive and asserts one outcome: byte by
 * byte, whole in heap, direct, little-endian and offset buffers, and in two pieces at every split
 * point. A failure must come at the same byte every time: the first byte at which the input breaks
 * a rule, never later. After it, the decoder must refuse input.
 *
 * <p>Fixtures over {@value #EVERY_SPLIT_UP_TO} bytes are split at every point of their first and
 * last {@value #EDGE} bytes and at a prime stride in between, which keeps a 64 KiB fixture or a flood of
 * 5,000 frames well under a second; the header, where the decoder keeps state across calls, is always covered.
 */
final class SplitFeeder {
    static final int EVERY_SPLIT_UP_TO = 4096;
    static final int EDGE = 256;
    private static final int STRIDE = 251;

    /**
     * What a decoder made of the input: the frames (in a tracked recorder the test must exhaust),
     * the failure if any and the index of the byte that caused it, and the decoder's state.
     */
    record Outcome(
            RecordingHandler frames,
            ProtocolException failure,
            int failedAtByte,
            boolean atFrameBoundary,
            boolean inMessage) {

        /** The violation, failing the test if the input was accepted. */
        ProtocolViolation violation() {
            assertThat(failure).as("the input was accepted").isNotNull();
            return failure.violation();
        }

        void assertAccepted() {
            assertThat(failure).as("failure").isNull();
        }
    }

    private SplitFeeder() {}

    static Outcome feed(Supplier<FrameDecoder> decoders, byte[] input) {
        Outcome reference = byteByByte(decoders.get(), input);

        assertSame(reference, whole(decoders.get(), input, in -> ByteBuffer.wrap(in), RecordingHandler.untracked()));
        assertSame(
                reference,
                whole(
                        decoders.get(),
                        input,
                        in -> ByteBuffer.wrap(in).order(ByteOrder.LITTLE_ENDIAN),
                        RecordingHandler.untracked()));
        assertSame(reference, whole(decoders.get(), input, SplitFeeder::direct, RecordingHandler.untracked()));
        assertSame(
                reference,
                whole(
                        decoders.get(),
                        input,
                        in -> direct(in).order(ByteOrder.LITTLE_ENDIAN),
                        RecordingHandler.untracked()));
        assertSame(reference, whole(decoders.get(), input, SplitFeeder::offsetSlice, RecordingHandler.untracked()));

        for (int split = 0; split <= input.length; split++) {
            if (input.length > EVERY_SPLIT_UP_TO && split > EDGE && split < input.length - EDGE) {
                split = Math.min(split + STRIDE, input.length - EDGE);
            }
            assertSame(reference, twoPieces(decoders.get(), input, split, reference));
        }

        Outcome tracked = whole(decoders.get(), input, in -> ByteBuffer.wrap(in), RecordingHandler.create());
        assertSame(reference, tracked);
        return new Outcome(
                tracked.frames(),
                tracked.failure(),
                reference.failedAtByte(),
                tracked.atFrameBoundary(),
                tracked.inMessage());
    }

    private static Outcome byteByByte(FrameDecoder decoder, byte[] input) {
        RecordingHandler handler = RecordingHandler.untracked();
        // One direct little-endian buffer, fed through a one-byte window: every call starts at a
        // non-zero position.
        ByteBuffer buffer = direct(input).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < input.length; i++) {
            buffer.limit(i + 1).position(i);
            try {
                decoder.decode(buffer, handler);
            } catch (ProtocolException e) {
                assertRefusesInput(decoder);
                return new Outcome(handler, e, i, decoder.isAtFrameBoundary(), decoder.isInMessage());
            }
            assertThat(buffer.position()).as("position after decode").isEqualTo(i + 1);
        }
        return new Outcome(handler, null, -1, decoder.isAtFrameBoundary(), decoder.isInMessage());
    }

    private static Outcome whole(
            FrameDecoder decoder, byte[] input, Function<byte[], ByteBuffer> wrap, RecordingHandler handler) {
        ByteBuffer buffer = wrap.apply(input.clone());
        try {
            decoder.decode(buffer, handler);
        } catch (ProtocolException e) {
            assertRefusesInput(decoder);
            return new Outcome(handler, e, -1, decoder.isAtFrameBoundary(), decoder.isInMessage());
        }
        assertThat(buffer.hasRemaining()).as("bytes left after decode").isFalse();
        return new Outcome(handler, null, -1, decoder.isAtFrameBoundary(), decoder.isInMessage());
    }

    private static Outcome twoPieces(FrameDecoder decoder, byte[] input, int split, Outcome reference) {
        RecordingHandler handler = RecordingHandler.untracked();
        byte[] copy = input.clone();
        ByteBuffer first = ByteBuffer.wrap(copy, 0, split);
        ByteBuffer second = ByteBuffer.wrap(copy, split, copy.length - split);
        boolean inFirst = true;
        try {
            decoder.decode(first, handler);
            inFirst = false;
            decoder.decode(second, handler);
        } catch (ProtocolException e) {
            assertRefusesInput(decoder);
            // The failure must come in the piece holding the offending byte, not later.
            assertThat(reference.failedAtByte() < split)
                    .as(
                            "failed in the %s piece of a split at %d; offending byte %d",
                            inFirst ? "first" : "second", split, reference.failedAtByte())
                    .isEqualTo(inFirst);
            return new Outcome(
                    handler, e, reference.failedAtByte(), decoder.isAtFrameBoundary(), decoder.isInMessage());
        }
        return new Outcome(handler, null, -1, decoder.isAtFrameBoundary(), decoder.isInMessage());
    }

    private static void assertSame(Outcome expected, Outcome actual) {
        List<RecordedFrame> expectedFrames = expected.frames().all();
        assertThat(actual.frames().all()).as("frames").isEqualTo(expectedFrames);
        if (expected.failure() == null) {
            assertThat(actual.failure()).as("failure").isNull();
            assertThat(actual.atFrameBoundary()).as("isAtFrameBoundary").isEqualTo(expected.atFrameBoundary());
            assertThat(actual.inMessage()).as("isInMessage").isEqualTo(expected.inMessage());
            return;
        }
        assertThat(actual.failure()).as("failure").isNotNull();
        assertThat(actual.failure().violation()).isEqualTo(expected.failure().violation());
        assertThat(actual.failure().getMessage()).isEqualTo(expected.failure().getMessage());
    }

    private static void assertRefusesInput(FrameDecoder decoder) {
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(1), RecordingHandler.untracked()))
                .isInstanceOf(IllegalStateException.class);
    }

    private static ByteBuffer direct(byte[] input) {
        return ByteBuffer.allocateDirect(input.length).put(input).flip();
    }

    /** A slice of a larger array: position 0 but a non-zero array offset. */
    private static ByteBuffer offsetSlice(byte[] input) {
        byte[] larger = new byte[input.length + 7];
        System.arraycopy(input, 0, larger, 3, input.length);
        return ByteBuffer.wrap(larger, 3, input.length).slice();
    }
}
