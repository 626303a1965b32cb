package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageDeflaterTest {
    private static final DeflateParameters TAKEOVER = DeflateParameters.defaults();
    private static final DeflateParameters NO_TAKEOVER = new DeflateParameters(true, true, 15, 15);
    private static final DeflateConfig SHARED = DeflateConfig.defaults();
    private static final DeflateConfig DEDICATED =
            DeflateConfig.defaults().withSharing(DeflateConfig.Sharing.DEDICATED);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);

    private static byte[] random(int size, long seed) {
        byte[] b = new byte[size];
        new Random(seed).nextBytes(b);
        return b;
    }

    private static byte[] text(int size) {
        byte[] b = new byte[size];
        byte[] pattern =
                "{\"channel\":\"news\",\"seq\":12345,\"body\":\"hello there\"} ".getBytes(StandardCharsets.US_ASCII);
        for (int i = 0; i < size; i++) {
            b[i] = pattern[i % pattern.length];
        }
        return b;
    }

    private static byte[] inflate(byte[] compressed, long limit) throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, limit)) {
            Bytes.Recorder sink = new Bytes.Recorder();
            inflater.inflate(ByteBuffer.wrap(compressed), true, sink);
            return sink.take();
        }
    }

    @Test
    void compressReadsTheRemainingBytesWithoutMovingThePosition() {
        ByteBuffer payload = ByteBuffer.allocate(20);
        payload.put("xxHelloyy".getBytes(StandardCharsets.US_ASCII));
        payload.position(2).limit(7);
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            assertThat(Bytes.hex(deflater.compress(payload))).isEqualTo("f2 48 cd c9 c9 07 00");
        }
        assertThat(payload.position()).isEqualTo(2);
        assertThat(payload.limit()).isEqualTo(7);
    }

    @Test
    void directAndReadOnlyPayloadsCompressLikeHeapOnes() {
        byte[] message = text(5000);
        ByteBuffer direct =
                ByteBuffer.allocateDirect(message.length).put(message).flip();
        ByteBuffer readOnly = ByteBuffer.wrap(message).asReadOnlyBuffer();
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            ByteBuffer expected = deflater.compress(ByteBuffer.wrap(message));
            assertThat(deflater.compress(direct)).isEqualTo(expected);
            assertThat(deflater.compress(readOnly)).isEqualTo(expected);
            assertThat(direct.position()).isZero();
            assertThat(readOnly.position()).isZero();
        }
    }

    @Test
    void resultIsAFreshBufferAtPositionZeroThatLaterCallsDoNotTouch() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            ByteBuffer first = deflater.compress(ByteBuffer.wrap(HELLO));
            deflater.compress(ByteBuffer.wrap(random(100_000, 1)));
            assertThat(first.position()).isZero();
            assertThat(Bytes.hex(first)).isEqualTo("f2 48 cd c9 c9 07 00");
        }
    }

    @Test
    void incompressibleMessageLargerThanTheScratchGrowsTheOutput() throws ProtocolException {
        byte[] message = random(3 * PerThreadCodecs.SCRATCH_SIZE + 17, 2);
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            byte[] compressed = Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
            assertThat(compressed.length).isGreaterThan(message.length);
            assertThat(inflate(compressed, message.length)).isEqualTo(message);
        }
    }

    @Test
    void compressibleMessageShrinks() throws ProtocolException {
        byte[] message = text(1 << 20);
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            byte[] compressed = Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
            assertThat(compressed.length).isLessThan(message.length / 50);
            assertThat(inflate(compressed, message.length)).isEqualTo(message);
        }
    }

    @Test
    void everyCompressionLevelRoundTrips() throws ProtocolException {
        byte[] message = text(20_000);
        for (int level = 0; level <= 9; level++) {
            DeflateConfig config = SHARED.withCompressionLevel(level);
            try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, config)) {
                byte[] compressed = Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
                assertThat(inflate(compressed, message.length))
                        .as("level %d", level)
                        .isEqualTo(message);
            }
        }
    }

    @Test
    void messagesBelowTheMinimumSizeAreNotWorthCompressing() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            assertThat(deflater.shouldCompress(0)).isFalse();
            assertThat(deflater.shouldCompress(DeflateConfig.DEFAULT_MIN_MESSAGE_SIZE - 1))
                    .isFalse();
            assertThat(deflater.shouldCompress(DeflateConfig.DEFAULT_MIN_MESSAGE_SIZE))
                    .isTrue();
        }
        try (MessageDeflater deflater =
                MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED.withMinMessageSize(0))) {
            assertThat(deflater.shouldCompress(0)).isTrue();
        }
    }

    @Test
    void sharedPerThreadGivesTheSameBytesAsDedicatedWithoutContextTakeover() {
        try (MessageDeflater shared = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED);
                MessageDeflater dedicated = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, DEDICATED)) {
            for (int i = 0; i < 20; i++) {
                byte[] message = i % 2 == 0 ? text(i * 3000) : random(i * 500, i);
                assertThat(shared.compress(ByteBuffer.wrap(message)))
                        .isEqualTo(dedicated.compress(ByteBuffer.wrap(message)));
            }
        }
    }

    @Test
    void sharedDeflatersOnOneThreadDoNotLeakIntoEachOther() {
        try (MessageDeflater a = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED);
                MessageDeflater b = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            ByteBuffer first = a.compress(ByteBuffer.wrap(HELLO));
            b.compress(ByteBuffer.wrap(HELLO));
            assertThat(a.compress(ByteBuffer.wrap(HELLO))).isEqualTo(first);
        }
    }

    @Test
    void sharedModeFallsBackToADedicatedDeflaterWhenOurSideKeepsContext() {
        try (MessageDeflater deflater = MessageDeflater.create(TAKEOVER, Role.SERVER, SHARED)) {
            deflater.compress(ByteBuffer.wrap(HELLO));
            assertThat(Bytes.hex(deflater.compress(ByteBuffer.wrap(HELLO)))).isEqualTo("f2 00 11 00 00");
        }
    }

    @Test
    void contextTakeoverIsDecidedByOurOwnRole() {
        DeflateParameters serverResets = new DeflateParameters(true, false, 15, 15);
        try (MessageDeflater client = MessageDeflater.create(serverResets, Role.CLIENT, DEDICATED);
                MessageDeflater server = MessageDeflater.create(serverResets, Role.SERVER, DEDICATED)) {
            client.compress(ByteBuffer.wrap(HELLO));
            server.compress(ByteBuffer.wrap(HELLO));
            assertThat(Bytes.hex(client.compress(ByteBuffer.wrap(HELLO)))).isEqualTo("f2 00 11 00 00");
            assertThat(Bytes.hex(server.compress(ByteBuffer.wrap(HELLO)))).isEqualTo("f2 48 cd c9 c9 07 00");
        }
    }

    @Test
    void sharedModeNeverHoldsADeflater() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            deflater.compress(ByteBuffer.wrap(HELLO));
            assertThat(deflater.holdsDeflater()).isFalse();
        }
    }

    @Test
    void dedicatedModeHoldsADeflaterFromTheFirstMessageUntilClose() {
        MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, DEDICATED);
        assertThat(deflater.holdsDeflater()).isFalse();
        deflater.compress(ByteBuffer.wrap(HELLO));
        assertThat(deflater.holdsDeflater()).isTrue();
        deflater.close();
        assertThat(deflater.holdsDeflater()).isFalse();
    }

    @Test
    void compressAfterCloseIsMisuse() {
        MessageDeflater deflater = MessageDeflater.create(TAKEOVER, Role.SERVER, DEDICATED);
        deflater.compress(ByteBuffer.wrap(HELLO));
        deflater.close();
        deflater.close();
        assertThatThrownBy(() -> deflater.compress(ByteBuffer.wrap(HELLO)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("compress in state CLOSED");
    }
}
