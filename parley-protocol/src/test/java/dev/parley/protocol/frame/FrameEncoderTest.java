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
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link FrameEncoder}: RFC 6455 §5.2 headers with minimal lengths, §5.3 masking, §5.4 fragments. */
@ExtendWith(RecordingHandler.Check.class)
class FrameEncoderTest {
    private static final int KEY = 0x37fa213d;

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    private static RecordingHandler decode(Role receiver, ByteBuffer wire, int grantedRsv) throws ProtocolException {
        FrameDecoder decoder = new FrameDecoder(receiver, Limits.defaults());
        decoder.grantReservedBits(grantedRsv, grantedRsv != 0);
        RecordingHandler handler = RecordingHandler.create();
        decoder.decode(wire, handler);
        assertThat(decoder.isAtFrameBoundary()).isTrue();
        return handler;
    }

    @ParameterizedTest(name = "{0} bytes: {1}")
    @CsvSource({
        "0,     82 00",
        "125,   82 7d",
        "126,   82 7e 007e",
        "65535, 82 7e ffff",
        "65536, 82 7f 0000000000010000",
    })
    void lengthUsesItsMinimalEncoding(int length, String header) {
        ByteBuffer frame = new FrameEncoder(Role.SERVER).encode(Opcode.BINARY, true, 0, ByteBuffer.allocate(length));

        assertThat(bytes(frame.limit(header.replace(" ", "").length() / 2))).isEqualTo(hex(header));
        assertThat(FrameEncoder.headerSize(length, false)).isEqualTo(hex(header).length);
        assertThat(FrameEncoder.headerSize(length, true)).isEqualTo(hex(header).length + 4);
    }

    @ParameterizedTest(name = "{0} bytes: {1}")
    @CsvSource({
        "0,     82 80",
        "125,   82 fd",
        "126,   82 fe 007e",
        "65535, 82 fe ffff",
        "65536, 82 ff 0000000000010000",
    })
    void clientLengthUsesItsMinimalEncodingWithTheMaskBit(int length, String header) {
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> KEY);
        ByteBuffer frame = encoder.encode(Opcode.BINARY, true, 0, ByteBuffer.allocate(length));

        assertThat(bytes(frame)).startsWith(concat(hex(header), hex("37fa213d")));
        assertThat(frame.remaining()).isEqualTo(encoder.frameSize(length));
    }

    @Test
    void writeHeaderEncodesLengthsBeyondAnInt() {
        ByteBuffer out = ByteBuffer.allocate(FrameBits.MAX_HEADER_SIZE);

        int key = new FrameEncoder(Role.SERVER).writeHeader(Opcode.BINARY, false, 0, 1L << 40, out);

        assertThat(key).isZero();
        assertThat(bytes(out.flip())).isEqualTo(hex("02 7f 0000010000000000")); // binary, 2^40 bytes, not final
    }

    @Test
    void clientFramesAreMaskedWithTheKeyFromTheSupplier() throws ProtocolException {
        int[] keys = {KEY, 0x01020304};
        int[] next = {0};
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> keys[next[0]++]);

        ByteBuffer first = encoder.encode(Opcode.TEXT, true, 0, ByteBuffer.wrap(hex("48656c6c6f")));
        ByteBuffer second = encoder.encode(Opcode.BINARY, true, 0, ByteBuffer.wrap(hex("0000000000")));

        assertThat(encoder.masks()).isTrue();
        assertThat(bytes(first)).isEqualTo(hex("81 85 37fa213d 7f9f4d5158")); // text "Hello", masked
        assertThat(bytes(second)).isEqualTo(hex("82 85 01020304 0102030401")); // binary, zeros, masked
        RecordingHandler frames = decode(Role.SERVER, ByteBuffer.wrap(concat(bytes(first), bytes(second))), 0);
        frames.expect(frame(Opcode.TEXT, true, "Hello"));
        frames.expect(frame(Opcode.BINARY, true, new byte[5]));
    }

    @Test
    void serverFramesAreNeverMaskedAndNeverAskForAKey() {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER, () -> {
            throw new AssertionError("a server asked for a masking key");
        });

        ByteBuffer frame = encoder.encode(Opcode.TEXT, true, 0, ByteBuffer.wrap(hex("48656c6c6f")));

        assertThat(encoder.masks()).isFalse();
        assertThat(new FrameEncoder(Role.SERVER).masks()).isFalse();
        assertThat(new FrameEncoder(Role.CLIENT).masks()).isTrue();
        assertThat(bytes(frame)).isEqualTo(hex("81 05 48656c6c6f")); // text "Hello", unmasked
    }

    @Test
    void reservedBitsAndFinGoInTheFirstByte() {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);

        assertThat(bytes(encoder.encode(Opcode.BINARY, false, 0x70, ByteBuffer.allocate(0))))
                .isEqualTo(hex("72 00")); // binary, RSV1-3, not final
        assertThat(bytes(encoder.encode(Opcode.CONTINUATION, true, 0x40, ByteBuffer.allocate(0))))
                .isEqualTo(hex("c0 00")); // continuation, RSV1, final
    }

    @Test
    void encodeMessageSplitsIntoContinuationsWithRsvOnTheFirstFrameOnly() throws ProtocolException {
        ByteBuffer wire =
                new FrameEncoder(Role.SERVER).encodeMessage(Opcode.TEXT, 0x40, ByteBuffer.wrap(counting(10)), 4);

        assertThat(bytes(wire))
                .isEqualTo(concat(
                        hex("41 04 00010203"), // text, RSV1, not final
                        hex("00 04 04050607"), // continuation, not final
                        hex("80 02 0809"))); // continuation, final
        RecordingHandler frames = decode(Role.CLIENT, wire, 0x40);
        frames.expect(frame(Opcode.TEXT, false, 0x40, hex("00010203")));
        frames.expect(frame(Opcode.CONTINUATION, false, hex("04050607")));
        frames.expect(frame(Opcode.CONTINUATION, true, hex("0809")));
    }

    @Test
    void encodeMessageOfAnExactMultipleHasNoTrailingEmptyFrame() {
        ByteBuffer wire =
                new FrameEncoder(Role.SERVER).encodeMessage(Opcode.BINARY, 0, ByteBuffer.wrap(counting(8)), 4);

        assertThat(bytes(wire))
                .isEqualTo(concat(
                        hex("02 04 00010203"), // binary, not final
                        hex("80 04 04050607"))); // continuation, final
    }

    @Test
    void encodeMessageOfNothingIsOneEmptyFinalFrame() {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);

        assertThat(bytes(encoder.encodeMessage(Opcode.TEXT, 0, ByteBuffer.allocate(0), 4)))
                .isEqualTo(hex("81 00")); // text, empty
        assertThat(bytes(encoder.encodeMessage(Opcode.BINARY, 0x40, ByteBuffer.allocate(0), 4)))
                .isEqualTo(hex("c2 00")); // binary, RSV1, empty
    }

    @Test
    void encodeMessageFromAClientMasksEveryFrameWithItsOwnKey() throws ProtocolException {
        int[] next = {1};
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> next[0]++);

        ByteBuffer wire = encoder.encodeMessage(Opcode.BINARY, 0, ByteBuffer.wrap(new byte[6]), 4);

        assertThat(bytes(wire))
                .isEqualTo(concat(
                        hex("02 84 00000001 00000001"), // binary, zeros, masked with key 1
                        hex("80 82 00000002 0000"))); // continuation, zeros, masked with key 2
        RecordingHandler frames = decode(Role.SERVER, wire, 0);
        frames.expect(frame(Opcode.BINARY, false, new byte[4]));
        frames.expect(frame(Opcode.CONTINUATION, true, new byte[2]));
    }

    @ParameterizedTest
    @EnumSource(
            value = Opcode.class,
            names = {"CONTINUATION", "CLOSE", "PING", "PONG"})
    void encodeMessageRefusesNonDataOpcodes(Opcode opcode) {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);

        assertThatThrownBy(() -> encoder.encodeMessage(opcode, 0, ByteBuffer.allocate(1), 4))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void encodeMessageRefusesAFrameSizeBelowOne() {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);

        assertThatThrownBy(() -> encoder.encodeMessage(Opcode.TEXT, 0, ByteBuffer.allocate(1), 0))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest
    @EnumSource(
            value = Opcode.class,
            names = {"CLOSE", "PING", "PONG"})
    void controlFrameOver125BytesIsRefused(Opcode opcode) {
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> KEY);

        assertThatThrownBy(() -> encoder.encode(opcode, true, 0, ByteBuffer.allocate(126)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("§5.5");
        assertThat(encoder.encode(opcode, true, 0, ByteBuffer.allocate(125)).remaining())
                .isEqualTo(2 + 4 + 125);
    }

    @ParameterizedTest
    @EnumSource(
            value = Opcode.class,
            names = {"CLOSE", "PING", "PONG"})
    void nonFinalControlFrameIsRefused(Opcode opcode) {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);

        assertThatThrownBy(() -> encoder.encode(opcode, false, 0, ByteBuffer.allocate(0)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("not final");
    }

    @Test
    void writeHeaderRefusesBitsOutsideRsvAndNegativeLengths() {
        FrameEncoder encoder = new FrameEncoder(Role.SERVER);
        ByteBuffer out = ByteBuffer.allocate(FrameBits.MAX_HEADER_SIZE);

        assertThatThrownBy(() -> encoder.writeHeader(Opcode.TEXT, true, 0x80, 0, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.writeHeader(Opcode.TEXT, true, 0x01, 0, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.writeHeader(Opcode.TEXT, true, 0, -1, out))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(out.position()).isZero();
    }

    @Test
    void payloadBufferIsNeitherMovedNorModified() {
        byte[] array = hex("ff ff 48656c6c6f ff");
        ByteBuffer payload = ByteBuffer.wrap(array, 2, 5);
        FrameEncoder client = new FrameEncoder(Role.CLIENT, () -> KEY);

        ByteBuffer frame = client.encode(Opcode.TEXT, true, 0, payload);
        ByteBuffer message = client.encodeMessage(Opcode.TEXT, 0, payload, 2);
        new FrameEncoder(Role.SERVER).encode(Opcode.TEXT, true, 0, payload);

        assertThat(bytes(frame)).isEqualTo(hex("81 85 37fa213d 7f9f4d5158"));
        assertThat(message.remaining()).isEqualTo(3 * 6 + 5);
        assertThat(payload.position()).isEqualTo(2);
        assertThat(payload.limit()).isEqualTo(7);
        assertThat(array).isEqualTo(hex("ff ff 48656c6c6f ff"));
    }

    @Test
    void encodeIntoAnOutputBufferAdvancesItByTheFrameSize() {
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT, () -> KEY);
        ByteBuffer out = ByteBuffer.allocateDirect(32);
        out.position(3);

        encoder.encode(Opcode.TEXT, true, 0, ByteBuffer.wrap(hex("48656c6c6f")), out);

        assertThat(out.position()).isEqualTo(3 + encoder.frameSize(5));
        byte[] written = new byte[11];
        out.get(3, written);
        assertThat(written).isEqualTo(hex("81 85 37fa213d 7f9f4d5158")); // text "Hello", masked
    }

    @Test
    void maskKeysAreNeverZeroAndVary() {
        MaskKeys keys = new MaskKeys();
        Set<Integer> seen = new HashSet<>();

        for (int i = 0; i < 10_000; i++) {
            int key = keys.getAsInt();
            assertThat(key).isNotZero();
            seen.add(key);
        }

        // 10,000 draws from 2^32 - 1 values: a repeat is unlikely, many repeats mean no entropy.
        assertThat(seen).hasSizeGreaterThan(9_990);
    }

    @Test
    void clientEncoderWithDefaultKeysMasksTheSamePayloadDifferently() throws ProtocolException {
        FrameEncoder encoder = new FrameEncoder(Role.CLIENT);
        byte[] payload = new byte[16];

        byte[] first = bytes(encoder.encode(Opcode.BINARY, true, 0, ByteBuffer.wrap(payload)));
        byte[] second = bytes(encoder.encode(Opcode.BINARY, true, 0, ByteBuffer.wrap(payload)));

        assertThat(Arrays.copyOfRange(first, 2, 6)).isNotEqualTo(new byte[4]);
        assertThat(first).isNotEqualTo(second);
        RecordingHandler frames = decode(Role.SERVER, ByteBuffer.wrap(concat(first, second)), 0);
        frames.expect(frame(Opcode.BINARY, true, payload));
        frames.expect(frame(Opcode.BINARY, true, payload));
    }
}
