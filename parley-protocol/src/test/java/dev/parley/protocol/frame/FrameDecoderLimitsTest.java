package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.concat;
import static dev.parley.protocol.frame.Hex.counting;
import static dev.parley.protocol.frame.Hex.hex;
import static dev.parley.protocol.frame.Hex.repeat;
import static dev.parley.protocol.frame.RecordedFrame.frame;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The {@link Limits}: each is checked against the length a frame declares, before any of its
 * payload is read, and exceeding one closes with 1009 (RFC 6455 §7.4.1).
 */
@ExtendWith(RecordingHandler.Check.class)
class FrameDecoderLimitsTest {

    private static Supplier<FrameDecoder> client(Limits limits) {
        return () -> new FrameDecoder(Role.CLIENT, limits);
    }

    private static Supplier<FrameDecoder> server(Limits limits) {
        return () -> new FrameDecoder(Role.SERVER, limits);
    }

    private static void assertViolation(SplitFeeder.Outcome outcome, ProtocolViolation violation) {
        assertThat(outcome.violation()).isEqualTo(violation);
        assertThat(outcome.failure().closeStatus().code()).isEqualTo(1009);
    }

    @Test
    void frameOverMaxFramePayloadFailsWith1009BeforeItsPayload() {
        Limits limits = Limits.defaults().withMaxFramePayload(200);
        var outcome = SplitFeeder.feed(client(limits), concat(hex("82 7e 00c9"), counting(201))); // binary, 201 bytes

        assertViolation(outcome, ProtocolViolation.FRAME_TOO_BIG);
        assertThat(outcome.failure().getMessage()).contains("201").contains("200");
        assertThat(outcome.failedAtByte()).isEqualTo(3);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @Test
    void frameOfExactlyMaxFramePayloadIsAccepted() {
        Limits limits = Limits.defaults().withMaxFramePayload(200);
        byte[] payload = counting(200);
        var outcome = SplitFeeder.feed(client(limits), concat(hex("82 7e 00c8"), payload)); // binary, 200 bytes

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.BINARY, true, payload));
    }

    @Test
    void maxFramePayloadOfZeroStillAllowsControlFramesAndEmptyDataFrames() {
        Limits limits = Limits.defaults().withMaxFramePayload(0);
        byte[] stream = concat(
                hex("89 02 6869"), // ping "hi": control frames are bounded by §5.5 only
                hex("81 00"), // text, empty
                hex("81 01 41")); // text "A"
        var outcome = SplitFeeder.feed(client(limits), stream);

        assertViolation(outcome, ProtocolViolation.FRAME_TOO_BIG);
        outcome.frames().expect(frame(Opcode.PING, true, "hi"));
        outcome.frames().expect(frame(Opcode.TEXT, true, ""));
    }

    @Test
    void messageOverMaxMessageSizeAcrossFragmentsFailsWith1009() {
        Limits limits = Limits.defaults().withMaxMessageSize(10);
        byte[] stream = concat(
                hex("02 04 00010203"), // binary, 4 bytes, not final
                hex("89 00"), // ping, empty: control frames do not count
                hex("00 06 040506070809"), // continuation, 6 bytes: 10 in all
                hex("80 01 0a")); // continuation, 1 byte, final: 11 in all
        var outcome = SplitFeeder.feed(client(limits), stream);

        assertViolation(outcome, ProtocolViolation.MESSAGE_TOO_BIG);
        assertThat(outcome.failure().getMessage()).contains("11").contains("10");
        assertThat(outcome.failedAtByte()).isEqualTo(stream.length - 2);
        outcome.frames().expect(frame(Opcode.BINARY, false, hex("00010203")));
        outcome.frames().expect(frame(Opcode.PING, true, ""));
        outcome.frames().expect(frame(Opcode.CONTINUATION, false, hex("040506070809")));
    }

    @Test
    void messageOfExactlyMaxMessageSizeIsAcceptedAndTheCountRestartsWithEachMessage() {
        Limits limits = Limits.defaults().withMaxMessageSize(10);
        byte[] stream = concat(
                hex("01 05 6162636465"), // text "abcde", not final
                hex("80 05 6667686970"), // continuation "fghip", final: 10 in all
                hex("82 0a 00010203040506070809")); // binary, 10 bytes
        var outcome = SplitFeeder.feed(client(limits), stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, false, "abcde"));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, "fghip"));
        outcome.frames().expect(frame(Opcode.BINARY, true, counting(10)));
    }

    @Test
    void singleFrameOverMaxMessageSizeFailsWith1009() {
        Limits limits = Limits.defaults().withMaxMessageSize(4);
        var outcome = SplitFeeder.feed(client(limits), hex("81 05 48656c6c6f")); // text "Hello"

        assertViolation(outcome, ProtocolViolation.MESSAGE_TOO_BIG);
        assertThat(outcome.failedAtByte()).isEqualTo(1);
    }

    @Test
    void fragmentsOverMaxFragmentsFailWith1009CountingEmptyFrames() {
        Limits limits = Limits.defaults().withMaxFragments(3);
        byte[] stream = concat(
                hex("01 00"), // text, empty, not final: frame 1
                hex("00 00"), // continuation, empty: frame 2
                hex("89 00"), // ping: control frames do not count
                hex("00 00"), // continuation, empty: frame 3
                hex("80 00")); // continuation, empty, final: frame 4
        var outcome = SplitFeeder.feed(client(limits), stream);

        assertViolation(outcome, ProtocolViolation.TOO_MANY_FRAGMENTS);
        assertThat(outcome.failedAtByte()).isEqualTo(9);
        outcome.frames().expect(frame(Opcode.TEXT, false, ""));
        outcome.frames().expect(frame(Opcode.CONTINUATION, false, ""));
        outcome.frames().expect(frame(Opcode.PING, true, ""));
        outcome.frames().expect(frame(Opcode.CONTINUATION, false, ""));
    }

    @Test
    void exactlyMaxFragmentsIsAcceptedAndTheCountRestartsWithEachMessage() {
        Limits limits = Limits.defaults().withMaxFragments(2);
        byte[] stream = repeat(
                concat(
                        hex("01 00"), // text, empty, not final
                        hex("80 00")), // continuation, empty, final
                3);
        var outcome = SplitFeeder.feed(client(limits), stream);

        outcome.assertAccepted();
        assertThat(outcome.frames().drain()).hasSize(6);
    }

    @Test
    void floodOfEmptyContinuationFramesFailsAtTheDefaultLimit() {
        // 4096 frames are allowed (Limits.DEFAULT_MAX_FRAGMENTS); the 4097th fails.
        byte[] stream = concat(
                hex("02 00"), // binary, empty, not final
                repeat(hex("00 00"), 5000)); // continuations, empty
        var outcome = SplitFeeder.feed(client(Limits.defaults()), stream);

        assertViolation(outcome, ProtocolViolation.TOO_MANY_FRAGMENTS);
        assertThat(outcome.failedAtByte()).isEqualTo(2 * 4096 + 1);
        assertThat(outcome.frames().drain()).hasSize(4096);
    }

    @Test
    void frameDeclaring2To62BytesFailsRightAfterItsHeaderWithNothingBuffered() {
        byte[] header = hex("82 ff 4000000000000000 37fa213d"); // binary, 2^62 bytes, masked
        FrameDecoder decoder = server(Limits.defaults()).get();
        RecordingHandler handler = RecordingHandler.create();

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(header), handler))
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).violation())
                .isEqualTo(ProtocolViolation.FRAME_TOO_BIG);
        assertThat(handler.all()).isEmpty();
    }

    @Test
    void frameDeclaring2To62BytesFailsAtItsLastHeaderByteWhateverTheSplit() {
        byte[] stream = concat(
                hex("82 ff 4000000000000000 37fa213d"), // binary, 2^62 bytes, masked
                counting(64)); // the start of its payload
        var outcome = SplitFeeder.feed(server(Limits.defaults()), stream);

        assertViolation(outcome, ProtocolViolation.FRAME_TOO_BIG);
        assertThat(outcome.failedAtByte()).isEqualTo(13);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @Test
    void continuationDeclaring2To62BytesFailsWithTheFrameLimit() {
        byte[] stream = concat(
                hex("01 01 41"), // text "A", not final
                hex("80 7f 4000000000000000")); // continuation, 2^62 bytes
        var outcome = SplitFeeder.feed(client(Limits.defaults()), stream);

        assertViolation(outcome, ProtocolViolation.FRAME_TOO_BIG);
        outcome.frames().expect(frame(Opcode.TEXT, false, "A"));
    }

    @Test
    void compressedMessageMayExceedTheMessageLimitOnTheWireByDeflateOverheadOnly() {
        // RFC 7692: the inflater bounds the inflated size; the wire allowance is max/1024 + 64.
        Limits limits = new Limits(1 << 20, 1024, 16);
        Supplier<FrameDecoder> decoders = () -> {
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, limits);
            decoder.grantReservedBits(FrameBits.B0_FLAG_RSV1, true);
            return decoder;
        };
        byte[] allowed = counting(1024 + 1 + 64);
        var accepted = SplitFeeder.feed(decoders, concat(hex("c2 7e 0441"), allowed)); // binary, compressed, 1089 bytes

        accepted.assertAccepted();
        accepted.frames().expect(frame(Opcode.BINARY, true, 0x40, allowed));

        var refused = SplitFeeder.feed(decoders, concat(hex("c2 7e 0442"), counting(1090))); // compressed, 1090 bytes
        assertViolation(refused, ProtocolViolation.MESSAGE_TOO_BIG);
        var uncompressed = SplitFeeder.feed(decoders, concat(hex("82 7e 0401"), counting(1025))); // plain, 1025 bytes
        assertViolation(uncompressed, ProtocolViolation.MESSAGE_TOO_BIG);
    }

    @Test
    void compressedMessageIsAcceptedWhenTheMessageLimitIsLongMaxValue() {
        // "No limit" must not overflow the wire allowance of compressed messages into a negative.
        Limits limits = new Limits(Long.MAX_VALUE, Long.MAX_VALUE, Integer.MAX_VALUE);
        Supplier<FrameDecoder> decoders = () -> {
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, limits);
            decoder.grantReservedBits(FrameBits.B0_FLAG_RSV1, true);
            return decoder;
        };
        var outcome = SplitFeeder.feed(decoders, hex("c1 03 f248cd")); // text, compressed, 3 bytes

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, true, 0x40, hex("f248cd")));
    }
}
