package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class MessageDeflaterTest {
    private static final DeflateParameters TAKEOVER = DeflateParameters.defaults();
    private static final DeflateParameters NO_TAKEOVER = new DeflateParameters(true, true, 15, 15);
    private static final DeflateConfig SHARED =
            DeflateConfig.defaults().withSharing(DeflateConfig.Sharing.SHARED_PER_THREAD);
    private static final DeflateConfig ADAPTIVE = DeflateConfig.defaults();
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

    // ---------------------------------------------------------------------------------------------
    // Adaptive: shared until a connection keeps sending, then a kept context, given back when idle

    /** Words in a fixed random order: text that compresses about 3:1 on its own. */
    private static final byte[] WORDS = words(4096 + 64);

    private static byte[] words(int size) {
        String[] words = {
            "alice ",
            "bob ",
            "\"text\": ",
            "hello ",
            "world ",
            "42 ",
            "channel ",
            "presence ",
            "quick ",
            "brown ",
            "fox ",
            "jumps ",
            "over ",
            "lazy ",
            "dog ",
            "{\"n\": ",
            "} "
        };
        Random random = new Random(7);
        StringBuilder b = new StringBuilder();
        while (b.length() < size) {
            b.append(words[random.nextInt(words.length)]);
        }
        return b.substring(0, size).getBytes(StandardCharsets.US_ASCII);
    }

    /** A 4 KiB message from a fixed text at a varying offset, as consecutive similar messages look. */
    private static byte[] shifted(int i) {
        int offset = i * 13 % 64;
        return java.util.Arrays.copyOfRange(WORDS, offset, offset + 4096);
    }

    private static byte[] compress(MessageDeflater deflater, byte[] message) {
        return Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
    }

    /** The peer's side: one decompressor that keeps its window across messages, as RFC 7692 allows. */
    private static List<byte[]> inflateStream(List<byte[]> compressed) throws ProtocolException {
        List<byte[]> out = new ArrayList<>();
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1 << 20)) {
            for (byte[] c : compressed) {
                Bytes.Recorder sink = new Bytes.Recorder();
                inflater.inflate(ByteBuffer.wrap(c), true, sink);
                out.add(sink.take());
            }
        }
        return out;
    }

    @Test
    void adaptiveModeIsTheDefault() {
        assertThat(DeflateConfig.defaults().sharing()).isEqualTo(DeflateConfig.Sharing.ADAPTIVE);
    }

    @Test
    void adaptiveCompressesEachMessageOnItsOwnUntilTheConnectionKeepsSending() {
        try (MessageDeflater deflater = MessageDeflater.create(TAKEOVER, Role.SERVER, ADAPTIVE);
                MessageDeflater stateless = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            for (int i = 0; i < MessageDeflater.PROMOTE_AFTER - 1; i++) {
                assertThat(compress(deflater, shifted(i)))
                        .as("message %d", i)
                        .isEqualTo(compress(stateless, shifted(i)));
                assertThat(deflater.holdsDeflater()).isFalse();
            }
            compress(deflater, shifted(MessageDeflater.PROMOTE_AFTER - 1));
            assertThat(deflater.holdsDeflater()).isTrue();
            // The next messages refer back to the earlier ones: at level 1 about half the bytes here.
            int withContext = 0;
            int alone = 0;
            for (int i = MessageDeflater.PROMOTE_AFTER; i < 3 * MessageDeflater.PROMOTE_AFTER; i++) {
                withContext += compress(deflater, shifted(i)).length;
                alone += compress(stateless, shifted(i)).length;
            }
            assertThat(withContext).isLessThan(alone * 3 / 4);
        }
    }

    @Test
    void aPeerKeepingItsWindowDecodesEverySwitchBetweenSharedAndKept() throws ProtocolException {
        List<byte[]> sent = new ArrayList<>();
        List<byte[]> wire = new ArrayList<>();
        try (MessageDeflater deflater = MessageDeflater.create(TAKEOVER, Role.SERVER, ADAPTIVE);
                MessageDeflater broadcast = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, SHARED)) {
            int n = 0;
            for (int round = 0; round < 3; round++) {
                for (int i = 0; i < MessageDeflater.PROMOTE_AFTER + 3; i++, n++) {
                    sent.add(shifted(n));
                    wire.add(compress(deflater, shifted(n)));
                    if (i == MessageDeflater.PROMOTE_AFTER + 1) {
                        // A broadcast frame compressed once for everyone goes out in between.
                        assertThat(deflater.acceptsSharedFrames()).isTrue();
                        sent.add(shifted(n + 7));
                        wire.add(compress(broadcast, shifted(n + 7)));
                        deflater.sharedFrameSent();
                    }
                }
                assertThat(deflater.holdsDeflater()).isTrue();
                deflater.releaseIfIdle(); // used since the last check: kept
                assertThat(deflater.holdsDeflater()).isTrue();
                deflater.releaseIfIdle(); // unused since: given back
                assertThat(deflater.holdsDeflater()).isFalse();
            }
        }
        List<byte[]> received = inflateStream(wire);
        assertThat(received).hasSameSizeAs(sent);
        for (int i = 0; i < sent.size(); i++) {
            assertThat(received.get(i)).as("message %d", i).isEqualTo(sent.get(i));
        }
    }

    @Test
    void adaptiveKeepsNoContextWhenOurSideMustNot() {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, ADAPTIVE)) {
            for (int i = 0; i < 3 * MessageDeflater.PROMOTE_AFTER; i++) {
                compress(deflater, shifted(i));
            }
            assertThat(deflater.holdsDeflater()).isFalse();
            assertThat(deflater.acceptsSharedFrames()).isTrue();
        }
    }

    @Test
    void keptContextsAreCountedAndBoundedPerProcess() {
        int before = MessageDeflater.keptContexts();
        DeflateConfig oneMore = ADAPTIVE.withMaxKeptContexts(before + 1);
        try (MessageDeflater first = MessageDeflater.create(TAKEOVER, Role.SERVER, oneMore);
                MessageDeflater second = MessageDeflater.create(TAKEOVER, Role.SERVER, oneMore)) {
            for (int i = 0; i < MessageDeflater.PROMOTE_AFTER; i++) {
                compress(first, shifted(i));
                compress(second, shifted(i));
            }
            assertThat(first.holdsDeflater()).isTrue();
            assertThat(second.holdsDeflater()).as("over the bound").isFalse();
            assertThat(MessageDeflater.keptContexts()).isEqualTo(before + 1);
            first.close();
            assertThat(MessageDeflater.keptContexts()).isEqualTo(before);
            compress(second, shifted(0)); // the freed place is taken at the next message
            assertThat(second.holdsDeflater()).isTrue();
        }
        assertThat(MessageDeflater.keptContexts()).isEqualTo(before);
    }

    @Test
    void dedicatedContextTakeoverTakesNoSharedFrames() {
        try (MessageDeflater deflater =
                MessageDeflater.create(TAKEOVER, Role.SERVER, ADAPTIVE.withSharing(DeflateConfig.Sharing.DEDICATED))) {
            assertThat(deflater.acceptsSharedFrames()).isFalse();
        }
    }
}
