package dev.parley.protocol.deflate;

import static dev.parley.protocol.deflate.Bytes.hex;
import static java.nio.charset.StandardCharsets.US_ASCII;
import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import org.junit.jupiter.api.Test;

/**
 * The worked examples of RFC 7692 §7.2.3, byte for byte at payload level. The JDK's zlib produces
 * every compressed example exactly, so each is asserted in both directions where the RFC shows
 * output a compressor would make.
 */
class Rfc7692ExamplesTest {
    private static final byte[] HELLO = "Hello".getBytes(US_ASCII);
    private static final DeflateParameters TAKEOVER = DeflateParameters.defaults();
    private static final DeflateParameters NO_TAKEOVER = new DeflateParameters(true, true, 15, 15);
    private static final DeflateConfig DEDICATED = DeflateConfig.defaults()
            .withSharing(DeflateConfig.Sharing.DEDICATED)
            .withMinMessageSize(0);

    private static String compress(MessageDeflater deflater, byte[] message) {
        return hex(deflater.compress(ByteBuffer.wrap(message)));
    }

    private static byte[] inflate(MessageInflater inflater, String... frames) throws ProtocolException {
        Bytes.Recorder sink = new Bytes.Recorder();
        for (int i = 0; i < frames.length; i++) {
            inflater.inflate(ByteBuffer.wrap(Bytes.hex(frames[i])), i == frames.length - 1, sink);
        }
        return sink.take();
    }

    @Test
    void s7_2_3_1_helloCompressesToTheRfcBytes() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, DeflateConfig.defaults())) {
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 48 cd c9 c9 07 00");
        }
    }

    @Test
    void s7_2_3_1_helloInflates() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f2 48 cd c9 c9 07 00")).isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_1_fragmentedHelloInflatesAcrossFrames() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f2 48 cd", "c9 c9 07 00")).isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_2_secondHelloWithContextTakeoverIsABackReference() {
        try (MessageDeflater deflater = MessageDeflater.create(TAKEOVER, Role.SERVER, DEDICATED)) {
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 48 cd c9 c9 07 00");
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 00 11 00 00");
        }
    }

    @Test
    void s7_2_3_2_secondHelloInflatesWithTheFirstAsContext() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f2 48 cd c9 c9 07 00")).isEqualTo(HELLO);
            assertThat(inflate(inflater, "f2 00 11 00 00")).isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_2_withoutContextTakeoverTheSecondHelloIsCompressedAlone() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, DEDICATED)) {
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 48 cd c9 c9 07 00");
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 48 cd c9 c9 07 00");
        }
    }

    @Test
    void s7_2_3_3_levelZeroMakesTheRfcStoredBlock() {
        DeflateConfig stored = DeflateConfig.defaults().withCompressionLevel(0);
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, stored)) {
            assertThat(compress(deflater, HELLO)).isEqualTo("00 05 00 fa ff 48 65 6c 6c 6f 00");
        }
    }

    @Test
    void s7_2_3_3_storedBlockInflates() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "00 05 00 fa ff 48 65 6c 6c 6f 00")).isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_4_blockWithBfinalInflatesAndTheNextMessageStartsAFreshStream() throws ProtocolException {
        // Context takeover on, yet after BFINAL the peer's next message is a new stream.
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f3 48 cd c9 c9 07 00 00")).isEqualTo(HELLO);
            assertThat(inflate(inflater, "f3 48 cd c9 c9 07 00 00")).isEqualTo(HELLO);
            assertThat(inflate(inflater, "f2 48 cd c9 c9 07 00")).isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_4_bytesAfterBfinalInLaterFramesAreIgnored() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f3 48 cd c9 c9 07 00", "00", "")).isEqualTo(HELLO);
            assertThat(inflate(inflater, "f2 48 cd c9 c9 07 00")).isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_5_twoDeflateBlocksInOneMessageInflate() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f2 48 05 00 00 00 ff ff ca c9 c9 07 00"))
                    .isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_5_twoBlocksSplitInsideTheFlushMarkerInflate() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f2 48 05 00 00", "00 ff", "ff ca c9", "c9 07 00"))
                    .isEqualTo(HELLO);
        }
    }

    @Test
    void s7_2_3_6_emptyMessageCompressesToOneZeroByte() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, DEDICATED)) {
            assertThat(compress(deflater, new byte[0])).isEqualTo("00");
        }
    }

    @Test
    void s7_2_3_6_emptyMessageAfterAnotherWithContextTakeoverIsStillOneZeroByte() {
        // zlib writes nothing for an empty input on an already flushed stream.
        try (MessageDeflater deflater = MessageDeflater.create(TAKEOVER, Role.SERVER, DEDICATED)) {
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 48 cd c9 c9 07 00");
            assertThat(compress(deflater, new byte[0])).isEqualTo("00");
            assertThat(compress(deflater, new byte[0])).isEqualTo("00");
            assertThat(compress(deflater, HELLO)).isEqualTo("f2 00 11 00 00");
        }
    }

    @Test
    void s7_2_3_6_emptyMessageInflatesToNothingAndKeepsContext() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, "f2 48 cd c9 c9 07 00")).isEqualTo(HELLO);
            assertThat(inflate(inflater, "00")).isEmpty();
            assertThat(inflate(inflater, "f2 00 11 00 00")).isEqualTo(HELLO);
        }
    }
}
