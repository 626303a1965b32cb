package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.concat;
import static dev.parley.protocol.frame.Hex.counting;
import static dev.parley.protocol.frame.Hex.hex;
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
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The frame-level rules of RFC 6455 §5, one test per rule. Frames from a server (decoded by a
 * client) are unmasked; frames from a client (decoded by a server) carry the key 00 00 00 00 unless
 * the masking itself is under test, so that their bytes read plainly. Every fixture is fed at every
 * split point by {@link SplitFeeder}, which also checks that a failure comes at the offending byte.
 */
@ExtendWith(RecordingHandler.Check.class)
class FrameDecoderTest {

    private static Supplier<FrameDecoder> client() {
        return () -> new FrameDecoder(Role.CLIENT, Limits.defaults());
    }

    private static Supplier<FrameDecoder> server() {
        return () -> new FrameDecoder(Role.SERVER, Limits.defaults());
    }

    private static Supplier<FrameDecoder> client(int grantedRsv, boolean rsv1PerMessage) {
        return () -> {
            FrameDecoder decoder = new FrameDecoder(Role.CLIENT, Limits.defaults());
            decoder.grantReservedBits(grantedRsv, rsv1PerMessage);
            return decoder;
        };
    }

    private static void assertViolation(SplitFeeder.Outcome outcome, ProtocolViolation violation, int closeCode) {
        assertThat(outcome.violation()).isEqualTo(violation);
        assertThat(outcome.failure().closeStatus().code()).isEqualTo(closeCode);
        assertThat(outcome.failure().getMessage()).startsWith(violation.description());
    }

    // RFC 6455 §5.2: opcodes

    static IntStream reservedOpcodes() {
        return IntStream.concat(IntStream.rangeClosed(0x3, 0x7), IntStream.rangeClosed(0xB, 0xF));
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @MethodSource("reservedOpcodes")
    void reservedOpcodeFromAServerFailsWith1002(int opcode) {
        var outcome = SplitFeeder.feed(client(), hex(String.format("%02x 00", 0x80 | opcode))); // reserved, empty

        assertViolation(outcome, ProtocolViolation.RESERVED_OPCODE, 1002);
        assertThat(outcome.failure().getMessage()).endsWith(String.format("0x%X", opcode));
        assertThat(outcome.failedAtByte()).isEqualTo(1);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @MethodSource("reservedOpcodes")
    void reservedOpcodeFromAClientFailsWith1002(int opcode) {
        var outcome = SplitFeeder.feed(
                server(), hex(String.format("%02x 80 00000000", 0x80 | opcode))); // reserved, empty, masked

        assertViolation(outcome, ProtocolViolation.RESERVED_OPCODE, 1002);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @ParameterizedTest(name = "opcode 0x{0}")
    @MethodSource("reservedOpcodes")
    void reservedOpcodeInsideAFragmentedMessageFailsWith1002(int opcode) {
        byte[] stream = concat(
                hex("01 01 41"), // text "A", not final
                hex(String.format("%02x 00", 0x80 | opcode))); // reserved, empty
        var outcome = SplitFeeder.feed(client(), stream);

        assertViolation(outcome, ProtocolViolation.RESERVED_OPCODE, 1002);
        outcome.frames().expect(frame(Opcode.TEXT, false, "A"));
    }

    // RFC 6455 §5.2: reserved bits

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"c1", "a1", "91", "f1", "c0", "c8"})
    void reservedBitWithoutANegotiatedExtensionFailsWith1002(String firstByte) {
        var outcome = SplitFeeder.feed(client(), hex(firstByte + " 00")); // RSV set, empty

        assertViolation(outcome, ProtocolViolation.RESERVED_BITS, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(1);
    }

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"c1", "a1", "91"})
    void reservedBitFromAClientWithoutANegotiatedExtensionFailsWith1002(String firstByte) {
        var outcome = SplitFeeder.feed(server(), hex(firstByte + " 80 00000000")); // RSV set, empty, masked

        assertViolation(outcome, ProtocolViolation.RESERVED_BITS, 1002);
    }

    @Test
    void grantedReservedBitsAreAcceptedAndReported() {
        byte[] stream = concat(
                hex("f1 01 41"), // text "A", RSV1+RSV2+RSV3
                hex("a9 00"), // ping, RSV2
                hex("92 00")); // binary, RSV3
        var outcome = SplitFeeder.feed(client(0x70, false), stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, true, 0x70, hex("41")));
        outcome.frames().expect(frame(Opcode.PING, true, 0x20, new byte[0]));
        outcome.frames().expect(frame(Opcode.BINARY, true, 0x10, new byte[0]));
    }

    @Test
    void aGrantCoversOnlyTheBitsGranted() {
        var outcome = SplitFeeder.feed(client(0x40, true), hex("a1 00")); // text, RSV2, empty

        assertViolation(outcome, ProtocolViolation.RESERVED_BITS, 1002);
    }

    @Test
    void rsv1PerMessageIsAcceptedOnTheFirstFrameOfAMessage() {
        byte[] stream = concat(
                hex("41 01 41"), // text "A", RSV1, not final
                hex("00 01 42"), // continuation "B", not final
                hex("80 01 43"), // continuation "C", final
                hex("c2 00"), // binary, RSV1, empty
                hex("81 00")); // text without RSV1
        var outcome = SplitFeeder.feed(client(0x40, true), stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, false, 0x40, hex("41")));
        outcome.frames().expect(frame(Opcode.CONTINUATION, false, "B"));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, "C"));
        outcome.frames().expect(frame(Opcode.BINARY, true, 0x40, new byte[0]));
        outcome.frames().expect(frame(Opcode.TEXT, true, ""));
    }

    @Test
    void rsv1PerMessageOnAContinuationFrameFailsWith1002() {
        // RFC 7692 §6.1: RSV1 marks the first frame of a compressed message only.
        byte[] stream = concat(
                hex("41 01 41"), // text "A", RSV1, not final
                hex("c0 01 42")); // continuation "B", RSV1, final
        var outcome = SplitFeeder.feed(client(0x40, true), stream);

        assertViolation(outcome, ProtocolViolation.RESERVED_BITS, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(4);
        outcome.frames().expect(frame(Opcode.TEXT, false, 0x40, hex("41")));
    }

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"c8", "c9", "ca"})
    void rsv1PerMessageOnAControlFrameFailsWith1002(String firstByte) {
        var outcome = SplitFeeder.feed(client(0x40, true), hex(firstByte + " 00")); // control, RSV1, empty

        assertViolation(outcome, ProtocolViolation.RESERVED_BITS, 1002);
    }

    @Test
    void grantReservedBitsRefusesBitsOutsideRsv() {
        FrameDecoder decoder = client().get();

        assertThatThrownBy(() -> decoder.grantReservedBits(0x80, false)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> decoder.grantReservedBits(0x01, false)).isInstanceOf(IllegalArgumentException.class);
    }

    // RFC 6455 §5.1, §5.3: masking by role

    @Test
    void unmaskedFrameFromAClientFailsWith1002() {
        var outcome = SplitFeeder.feed(server(), hex("81 05 48656c6c6f")); // text "Hello", unmasked

        assertViolation(outcome, ProtocolViolation.UNMASKED_CLIENT_FRAME, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(1);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @Test
    void unmaskedEmptyControlFrameFromAClientFailsWith1002() {
        var outcome = SplitFeeder.feed(server(), hex("88 00")); // close, empty, unmasked

        assertViolation(outcome, ProtocolViolation.UNMASKED_CLIENT_FRAME, 1002);
    }

    @Test
    void maskedFrameFromAServerFailsWith1002() {
        var outcome = SplitFeeder.feed(client(), hex("81 85 37fa213d 7f9f4d5158")); // text "Hello", masked

        assertViolation(outcome, ProtocolViolation.MASKED_SERVER_FRAME, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(5);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @Test
    void maskedEmptyFrameFromAClientIsAccepted() {
        var outcome = SplitFeeder.feed(server(), hex("82 80 37fa213d")); // binary, empty, masked

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.BINARY, true, new byte[0]));
    }

    @Test
    void maskIsAppliedPerFrameFromPhaseZero() {
        byte[] stream = concat(
                hex("01 83 37fa213d 7f9f4d"), // text "Hel", masked, not final
                hex("89 81 01020304 6b"), // ping "j", masked with another key
                hex("80 82 37fa213d 5b95")); // continuation "lo", masked, final
        var outcome = SplitFeeder.feed(server(), stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, false, "Hel"));
        outcome.frames().expect(frame(Opcode.PING, true, "j"));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, "lo"));
    }

    // RFC 6455 §5.2: payload length

    @Test
    void lengthWithTheTopBitOfThe64BitFormSetFailsWith1002() {
        var outcome = SplitFeeder.feed(client(), hex("82 7f 8000000000000000")); // binary, 2^63 bytes

        assertViolation(outcome, ProtocolViolation.LENGTH_TOP_BIT_SET, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(9);
    }

    @Test
    void allOnesLengthFailsWith1002() {
        var outcome = SplitFeeder.feed(client(), hex("82 7f ffffffffffffffff")); // binary, length -1

        assertViolation(outcome, ProtocolViolation.LENGTH_TOP_BIT_SET, 1002);
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 1, 125})
    void lengthThatFitsSevenBitsIn16BitsFailsWith1002(int length) {
        var outcome = SplitFeeder.feed(client(), hex(String.format("82 7e %04x", length))); // binary, 16-bit

        assertViolation(outcome, ProtocolViolation.NON_MINIMAL_LENGTH, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(3);
    }

    @Test
    void length126In16BitsIsTheSmallestAccepted() {
        byte[] payload = counting(126);
        var outcome = SplitFeeder.feed(client(), concat(hex("82 7e 007e"), payload)); // binary, 126 bytes

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.BINARY, true, payload));
    }

    @ParameterizedTest(name = "length {0}")
    @ValueSource(ints = {0, 125, 126, 65535})
    void lengthThatFits16BitsIn64BitsFailsWith1002(int length) {
        var outcome = SplitFeeder.feed(client(), hex(String.format("82 7f %016x", length))); // binary, 64-bit

        assertViolation(outcome, ProtocolViolation.NON_MINIMAL_LENGTH, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(9);
    }

    @Test
    void nonMinimalLengthFromAClientFailsOnceTheHeaderIsComplete() {
        var outcome = SplitFeeder.feed(server(), hex("82 fe 0005 00000000 0102030405")); // binary, 5 in 16 bits

        assertViolation(outcome, ProtocolViolation.NON_MINIMAL_LENGTH, 1002);
        assertThat(outcome.frames().all()).isEmpty();
    }

    // RFC 6455 §5.5: control frames

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(strings = {"88", "89", "8a"})
    void controlFrameOf126BytesFailsWith1002(String firstByte) {
        var outcome = SplitFeeder.feed(client(), concat(hex(firstByte + " 7e 007e"), counting(126))); // 126 bytes

        assertViolation(outcome, ProtocolViolation.CONTROL_FRAME_TOO_LONG, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(3);
        assertThat(outcome.frames().all()).isEmpty();
    }

    @Test
    void controlFrameWithA64BitLengthFailsWith1002() {
        var outcome = SplitFeeder.feed(client(), hex("89 7f 0000000000010000")); // ping, 65536 bytes

        assertViolation(outcome, ProtocolViolation.CONTROL_FRAME_TOO_LONG, 1002);
    }

    @ParameterizedTest(name = "opcode {0}")
    @ValueSource(strings = {"88", "89", "8a"})
    void controlFrameOfExactly125BytesIsAccepted(String firstByte) {
        byte[] payload = counting(125);
        var outcome = SplitFeeder.feed(client(), concat(hex(firstByte + " 7d"), payload)); // 125 bytes

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.of(Integer.parseInt(firstByte, 16) & 0xF), true, payload));
    }

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"08", "09", "0a"})
    void fragmentedControlFrameFailsWith1002(String firstByte) {
        var outcome = SplitFeeder.feed(client(), hex(firstByte + " 00")); // control, not final

        assertViolation(outcome, ProtocolViolation.FRAGMENTED_CONTROL_FRAME, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(1);
    }

    @Test
    void controlFramesBetweenFragmentsAreAccepted() {
        // RFC 6455 §5.4: control frames may be injected in the middle of a fragmented message.
        byte[] stream = concat(
                hex("01 03 48656c"), // text "Hel", not final
                hex("89 00"), // ping, empty
                hex("8a 02 6869"), // pong "hi"
                hex("00 00"), // continuation, empty, not final
                hex("88 02 03e8"), // close 1000
                hex("80 02 6c6f")); // continuation "lo", final
        var outcome = SplitFeeder.feed(client(), stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, false, "Hel"));
        outcome.frames().expect(frame(Opcode.PING, true, ""));
        outcome.frames().expect(frame(Opcode.PONG, true, "hi"));
        outcome.frames().expect(frame(Opcode.CONTINUATION, false, ""));
        outcome.frames().expect(frame(Opcode.CLOSE, true, hex("03e8")));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, "lo"));
        assertThat(outcome.inMessage()).isFalse();
    }

    // RFC 6455 §5.4: fragmentation

    @Test
    void continuationWithoutAMessageFailsWith1002() {
        var outcome = SplitFeeder.feed(client(), hex("80 02 6c6f")); // continuation "lo", final

        assertViolation(outcome, ProtocolViolation.UNEXPECTED_CONTINUATION, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(1);
    }

    @Test
    void continuationAfterAFinalFrameFailsWith1002() {
        byte[] stream = concat(
                hex("81 02 6869"), // text "hi", final
                hex("00 00")); // continuation, empty, not final
        var outcome = SplitFeeder.feed(client(), stream);

        assertViolation(outcome, ProtocolViolation.UNEXPECTED_CONTINUATION, 1002);
        outcome.frames().expect(frame(Opcode.TEXT, true, "hi"));
    }

    @Test
    void continuationAfterAControlFrameAloneFailsWith1002() {
        byte[] stream = concat(
                hex("89 00"), // ping, empty
                hex("80 00")); // continuation, empty, final
        var outcome = SplitFeeder.feed(client(), stream);

        assertViolation(outcome, ProtocolViolation.UNEXPECTED_CONTINUATION, 1002);
        outcome.frames().expect(frame(Opcode.PING, true, ""));
    }

    @ParameterizedTest(name = "first byte 0x{0}")
    @ValueSource(strings = {"81", "82", "01", "02"})
    void newDataFrameInsideAFragmentedMessageFailsWith1002(String firstByte) {
        byte[] stream = concat(
                hex("01 03 48656c"), // text "Hel", not final
                hex(firstByte + " 00")); // text or binary, empty
        var outcome = SplitFeeder.feed(client(), stream);

        assertViolation(outcome, ProtocolViolation.EXPECTED_CONTINUATION, 1002);
        assertThat(outcome.failedAtByte()).isEqualTo(6);
        outcome.frames().expect(frame(Opcode.TEXT, false, "Hel"));
    }

    @Test
    void emptyFramesAreReportedWithoutPayloadRuns() {
        byte[] stream = concat(
                hex("01 00"), // text, empty, not final
                hex("80 00"), // continuation, empty, final
                hex("82 00")); // binary, empty
        var outcome = SplitFeeder.feed(client(), stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, false, ""));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, ""));
        outcome.frames().expect(frame(Opcode.BINARY, true, ""));
    }

    // State and misuse

    @Test
    void frameIsReportedAsSoonAsItsHeaderIsComplete() throws ProtocolException {
        FrameDecoder decoder = client().get();
        RecordingHandler handler = RecordingHandler.create();

        decoder.decode(ByteBuffer.wrap(hex("82 05 0102")), handler); // binary, 5 bytes, first 2 only

        assertThat(handler.next()).isEqualTo(new RecordedFrame(Opcode.BINARY, true, 0, 5, hex("0102"), false));
        assertThat(decoder.isAtFrameBoundary()).isFalse();
    }

    @Test
    void isAtFrameBoundaryFollowsTheBytes() throws ProtocolException {
        FrameDecoder decoder = client().get();
        RecordingHandler handler = RecordingHandler.create();
        assertThat(decoder.isAtFrameBoundary()).isTrue();

        decoder.decode(ByteBuffer.wrap(hex("01")), handler); // half a header
        assertThat(decoder.isAtFrameBoundary()).isFalse();
        assertThat(decoder.isInMessage()).isFalse();

        decoder.decode(ByteBuffer.wrap(hex("02 48")), handler); // text "He", not final, first byte
        assertThat(decoder.isAtFrameBoundary()).isFalse();
        assertThat(decoder.isInMessage()).isTrue();

        decoder.decode(ByteBuffer.wrap(hex("65")), handler); // the second byte
        assertThat(decoder.isAtFrameBoundary()).isTrue();
        assertThat(decoder.isInMessage()).isTrue();
        handler.expect(frame(Opcode.TEXT, false, "He"));

        decoder.decode(ByteBuffer.wrap(hex("89 00")), handler); // ping, empty
        assertThat(decoder.isInMessage()).isTrue();
        handler.expect(frame(Opcode.PING, true, ""));

        decoder.decode(ByteBuffer.wrap(hex("80 00")), handler); // continuation, empty, final
        assertThat(decoder.isAtFrameBoundary()).isTrue();
        assertThat(decoder.isInMessage()).isFalse();
        handler.expect(frame(Opcode.CONTINUATION, true, ""));
    }

    @Test
    void decoderRefusesInputAfterAFailure() {
        FrameDecoder decoder = client().get();
        RecordingHandler handler = RecordingHandler.create();

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("83 00")), handler)) // reserved opcode
                .isInstanceOf(ProtocolException.class);

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("81 00")), handler)) // text, empty
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FAILED");
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.allocate(0), handler))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void aHandlerFailureFailsTheDecoder() {
        FrameDecoder decoder = client().get();
        FrameHandler refusing = new FrameHandler() {
            @Override
            public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {}

            @Override
            public void framePayload(ByteBuffer payload) throws ProtocolException {
                throw new ProtocolException(ProtocolViolation.INVALID_UTF8, "test");
            }

            @Override
            public void frameEnd() {}
        };

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("81 01 ff")), refusing)) // text ff
                .isInstanceOf(ProtocolException.class)
                .extracting(e -> ((ProtocolException) e).violation())
                .isEqualTo(ProtocolViolation.INVALID_UTF8);
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("81 00")), refusing)) // text, empty
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void anUncheckedHandlerFailureAlsoFailsTheDecoder() {
        FrameDecoder decoder = client().get();
        RecordingHandler recorder = RecordingHandler.create();
        FrameHandler crashing = new FrameHandler() {
            @Override
            public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {
                recorder.frameStart(opcode, fin, rsv, length);
            }

            @Override
            public void framePayload(ByteBuffer payload) {
                throw new IllegalStateException("application bug");
            }

            @Override
            public void frameEnd() {
                recorder.frameEnd();
            }
        };

        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("81 05 48656c6c6f")), crashing)) // "Hello"
                .hasMessage("application bug");

        // Resuming would report the next frame's bytes as the rest of "Hello".
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("81 00")), recorder)) // text, empty
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("FAILED");
        assertThat(recorder.next()).isEqualTo(new RecordedFrame(Opcode.TEXT, true, 0, 5, new byte[0], false));
    }

    @Test
    void payloadIsUnmaskedInTheInputBufferAndThePositionEndsAtTheLimit() throws ProtocolException {
        FrameDecoder decoder = server().get();
        ByteBuffer in = ByteBuffer.wrap(hex("ff 81 85 37fa213d 7f9f4d5158 ff")); // text "Hello", masked, framed by ff
        in.position(1).limit(12);

        RecordingHandler handler = RecordingHandler.create();

        decoder.decode(in, handler);

        handler.expect(frame(Opcode.TEXT, true, "Hello"));
        assertThat(in.position()).isEqualTo(12);
        assertThat(in.limit()).isEqualTo(12);
        assertThat(in.array()).isEqualTo(hex("ff 81 85 37fa213d 48656c6c6f ff")); // unmasked in place
    }

    @Test
    void reuseIsRefusedInsideAFrameOrAMessageAndTakesTheNewRoleBetweenThem() throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(Role.CLIENT, Limits.defaults());
        RecordingHandler handler = RecordingHandler.untracked();
        decoder.decode(ByteBuffer.wrap(hex("81")), handler); // half a header
        assertThatThrownBy(() -> decoder.reuse(Role.SERVER, Limits.defaults()))
                .isInstanceOf(IllegalStateException.class);
        decoder.decode(ByteBuffer.wrap(hex("00 01 00")), handler); // its end, then a first fragment
        assertThat(decoder.isAtFrameBoundary()).isTrue();
        assertThatThrownBy(() -> decoder.reuse(Role.SERVER, Limits.defaults()))
                .as("inside a fragmented message")
                .isInstanceOf(IllegalStateException.class);
        decoder.decode(ByteBuffer.wrap(hex("80 00")), handler); // the last fragment

        decoder.reuse(Role.SERVER, Limits.defaults());
        assertThatThrownBy(() -> decoder.decode(ByteBuffer.wrap(hex("81 00")), handler))
                .as("a server refuses an unmasked client frame")
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.UNMASKED_CLIENT_FRAME));
    }
}
