package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.concat;
import static dev.parley.protocol.frame.Hex.counting;
import static dev.parley.protocol.frame.Hex.hex;
import static dev.parley.protocol.frame.RecordedFrame.frame;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * The worked examples of RFC 6455 §5.7, byte for byte: decoded by the endpoint that receives them
 * (at every split point) and produced by the encoder of the endpoint that sends them.
 */
@ExtendWith(RecordingHandler.Check.class)
class Rfc6455ExamplesTest {
    /** The key of the masked examples: 37 fa 21 3d. */
    private static final int KEY = 0x37fa213d;

    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    private static final byte[] UNMASKED_TEXT = hex("81 05 48656c6c6f"); // text "Hello", unmasked, from a server
    private static final byte[] MASKED_TEXT = hex("81 85 37fa213d 7f9f4d5158"); // text "Hello", masked, from a client
    private static final byte[] FRAGMENT_HEL = hex("01 03 48656c"); // text "Hel", not final, unmasked
    private static final byte[] FRAGMENT_LO = hex("80 02 6c6f"); // continuation "lo", final, unmasked
    private static final byte[] UNMASKED_PING = hex("89 05 48656c6c6f"); // ping "Hello", unmasked
    private static final byte[] MASKED_PONG = hex("8a 85 37fa213d 7f9f4d5158"); // pong "Hello", masked
    private static final byte[] BINARY_256_HEADER = hex("82 7e 0100"); // binary, 256 bytes, 16-bit length
    private static final byte[] BINARY_64K_HEADER = hex("82 7f 0000000000010000"); // binary, 65536 bytes, 64-bit

    private static FrameDecoder client() {
        return new FrameDecoder(Role.CLIENT, Limits.defaults());
    }

    private static FrameDecoder server() {
        return new FrameDecoder(Role.SERVER, Limits.defaults());
    }

    private static FrameEncoder clientEncoder() {
        return new FrameEncoder(Role.CLIENT, () -> KEY);
    }

    private static FrameEncoder serverEncoder() {
        return new FrameEncoder(Role.SERVER);
    }

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }

    @Test
    void singleFrameUnmaskedTextIsDecodedByAClient() {
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, UNMASKED_TEXT);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, true, HELLO));
        assertThat(outcome.atFrameBoundary()).isTrue();
        assertThat(outcome.inMessage()).isFalse();
    }

    @Test
    void singleFrameUnmaskedTextIsEncodedByAServer() {
        assertThat(bytes(serverEncoder().encode(Opcode.TEXT, true, 0, ByteBuffer.wrap(HELLO))))
                .isEqualTo(UNMASKED_TEXT);
    }

    @Test
    void singleFrameMaskedTextIsDecodedByAServer() {
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::server, MASKED_TEXT);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, true, HELLO));
    }

    @Test
    void singleFrameMaskedTextIsEncodedByAClientWithTheKey() {
        assertThat(bytes(clientEncoder().encode(Opcode.TEXT, true, 0, ByteBuffer.wrap(HELLO))))
                .isEqualTo(MASKED_TEXT);
    }

    @Test
    void fragmentedUnmaskedTextIsDecodedByAClient() {
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, concat(FRAGMENT_HEL, FRAGMENT_LO));

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, false, "Hel"));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, "lo"));
        assertThat(outcome.inMessage()).isFalse();
    }

    @Test
    void fragmentedUnmaskedTextIsEncodedByAServer() {
        ByteBuffer message = serverEncoder().encodeMessage(Opcode.TEXT, 0, ByteBuffer.wrap(HELLO), 3);

        assertThat(bytes(message)).isEqualTo(concat(FRAGMENT_HEL, FRAGMENT_LO));
    }

    @Test
    void firstFragmentLeavesTheClientInAMessage() {
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, FRAGMENT_HEL);

        outcome.frames().expect(frame(Opcode.TEXT, false, "Hel"));
        assertThat(outcome.inMessage()).isTrue();
        assertThat(outcome.atFrameBoundary()).isTrue();
    }

    @Test
    void unmaskedPingIsDecodedByAClient() {
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, UNMASKED_PING);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.PING, true, HELLO));
    }

    @Test
    void unmaskedPingIsEncodedByAServer() {
        assertThat(bytes(serverEncoder().encode(Opcode.PING, true, 0, ByteBuffer.wrap(HELLO))))
                .isEqualTo(UNMASKED_PING);
    }

    @Test
    void maskedPongIsDecodedByAServer() {
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::server, MASKED_PONG);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.PONG, true, HELLO));
    }

    @Test
    void maskedPongIsEncodedByAClientWithTheKey() {
        assertThat(bytes(clientEncoder().encode(Opcode.PONG, true, 0, ByteBuffer.wrap(HELLO))))
                .isEqualTo(MASKED_PONG);
    }

    @Test
    void binary256BytesWithA16BitLengthIsDecodedByAClient() {
        byte[] payload = counting(256);
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, concat(BINARY_256_HEADER, payload));

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.BINARY, true, payload));
    }

    @Test
    void binary256BytesWithA16BitLengthIsEncodedByAServer() {
        byte[] payload = counting(256);

        assertThat(bytes(serverEncoder().encode(Opcode.BINARY, true, 0, ByteBuffer.wrap(payload))))
                .isEqualTo(concat(BINARY_256_HEADER, payload));
    }

    @Test
    void binary64KiBWithA64BitLengthIsDecodedByAClient() {
        byte[] payload = counting(65536);
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, concat(BINARY_64K_HEADER, payload));

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.BINARY, true, payload));
    }

    @Test
    void binary64KiBWithA64BitLengthIsEncodedByAServer() {
        byte[] payload = counting(65536);

        assertThat(bytes(serverEncoder().encode(Opcode.BINARY, true, 0, ByteBuffer.wrap(payload))))
                .isEqualTo(concat(BINARY_64K_HEADER, payload));
    }

    @Test
    void allExamplesInOneStreamAreDecodedInOrder() {
        byte[] payload = counting(256);
        byte[] stream = concat(UNMASKED_TEXT, FRAGMENT_HEL, UNMASKED_PING, FRAGMENT_LO, BINARY_256_HEADER, payload);
        var outcome = SplitFeeder.feed(Rfc6455ExamplesTest::client, stream);

        outcome.assertAccepted();
        outcome.frames().expect(frame(Opcode.TEXT, true, HELLO));
        outcome.frames().expect(frame(Opcode.TEXT, false, "Hel"));
        outcome.frames().expect(frame(Opcode.PING, true, HELLO));
        outcome.frames().expect(frame(Opcode.CONTINUATION, true, "lo"));
        outcome.frames().expect(frame(Opcode.BINARY, true, payload));
    }
}
