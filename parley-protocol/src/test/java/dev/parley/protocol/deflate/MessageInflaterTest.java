package dev.parley.protocol.deflate;

import static dev.parley.protocol.deflate.Bytes.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class MessageInflaterTest {
    private static final DeflateParameters TAKEOVER = DeflateParameters.defaults();
    private static final DeflateParameters NO_TAKEOVER = new DeflateParameters(true, true, 15, 15);
    private static final byte[] HELLO = "Hello".getBytes(StandardCharsets.US_ASCII);
    private static final String HELLO_DEFLATED = "f2 48 cd c9 c9 07 00";

    private static byte[] compress(byte[] message) {
        try (MessageDeflater deflater = MessageDeflater.create(NO_TAKEOVER, Role.SERVER, DeflateConfig.defaults())) {
            return Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
        }
    }

    private static byte[] inflate(MessageInflater inflater, byte[] compressed) throws ProtocolException {
        Bytes.Recorder sink = new Bytes.Recorder();
        inflater.inflate(ByteBuffer.wrap(compressed), true, sink);
        return sink.take();
    }

    private static byte[] text(int size) {
        byte[] b = new byte[size];
        for (int i = 0; i < size; i++) {
            b[i] = (byte) ('a' + (i * 7 % 13));
        }
        return b;
    }

    @Test
    void compressedBombStopsAtTheLimitWithoutInflatingTheRest() throws ProtocolException {
        byte[] bomb = Bomb.gigabyteOfZeros();
        assertThat(bomb.length).isLessThan(1_100_000);
        long limit = Limits.DEFAULT_MAX_MESSAGE_SIZE;
        Bytes.Recorder sink = new Bytes.Recorder();
        int frameSize = 64 * 1024;
        int framesFed = 0;
        ProtocolException e = null;
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.SERVER, limit)) {
            for (int at = 0; at < bomb.length && e == null; at += frameSize) {
                int end = Math.min(bomb.length, at + frameSize);
                framesFed++;
                try {
                    inflater.inflate(ByteBuffer.wrap(bomb, at, end - at), end == bomb.length, sink);
                } catch (ProtocolException thrown) {
                    e = thrown;
                }
            }
        }
        assertThat(e).isNotNull();
        assertThat(e.violation()).isEqualTo(ProtocolViolation.MESSAGE_TOO_BIG);
        long inflated = Long.parseLong(e.getMessage().replaceAll(".*: (\\d+) > \\d+", "$1"));
        assertThat(e.getMessage()).endsWith(" > " + limit);
        assertThat(inflated).isGreaterThan(limit).isLessThanOrEqualTo(limit + MessageInflater.CHUNK_SIZE);
        assertThat(sink.delivered).isLessThanOrEqualTo(limit);
        // About 1 KiB of bomb per MiB of output: the first frame is enough to pass the limit.
        assertThat(framesFed).isEqualTo(1);
    }

    @Test
    void theBombReallyInflatesToAGigabyte() throws ProtocolException {
        AtomicLong total = new AtomicLong();
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.SERVER, Long.MAX_VALUE)) {
            inflater.inflate(
                    ByteBuffer.wrap(Bomb.gigabyteOfZeros()), true, chunk -> total.addAndGet(chunk.remaining()));
        }
        assertThat(total.get()).isEqualTo(1L << 30);
    }

    @Test
    void messageOfExactlyTheLimitPassesAndOneByteMoreFails() throws ProtocolException {
        for (int limit : new int[] {
            0, 1, 100, MessageInflater.CHUNK_SIZE - 1, MessageInflater.CHUNK_SIZE, 3 * MessageInflater.CHUNK_SIZE
        }) {
            try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, limit)) {
                assertThat(inflate(inflater, compress(text(limit)))).isEqualTo(text(limit));
            }
            try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, limit)) {
                Bytes.Recorder sink = new Bytes.Recorder();
                ProtocolException e = catchThrowableOfType(
                        ProtocolException.class,
                        () -> inflater.inflate(ByteBuffer.wrap(compress(text(limit + 1))), true, sink));
                assertThat(e.violation()).as("limit %d", limit).isEqualTo(ProtocolViolation.MESSAGE_TOO_BIG);
                assertThat(sink.delivered).isLessThanOrEqualTo(limit);
            }
        }
    }

    @Test
    void theLimitIsPerMessage() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 5)) {
            for (int i = 0; i < 3; i++) {
                assertThat(inflate(inflater, Bytes.hex(HELLO_DEFLATED))).isEqualTo(HELLO);
            }
        }
    }

    @Test
    void reservedBlockTypeIsInvalidCompressedData() {
        assertInvalid("ff ff ff");
    }

    @Test
    void storedBlockWithWrongLengthComplementIsInvalidCompressedData() {
        assertInvalid("00 05 00 00 00 48 65 6c 6c 6f");
    }

    @Test
    void backReferenceWithoutHistoryIsInvalidCompressedData() {
        // §7.2.3.2's second message needs the first as context.
        assertInvalid("f2 00 11 00 00");
    }

    private static void assertInvalid(String compressed) {
        MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 1000);
        assertThatThrownBy(() -> inflate(inflater, Bytes.hex(compressed)))
                .isInstanceOfSatisfying(
                        ProtocolException.class,
                        e -> assertThat(e.violation()).isEqualTo(ProtocolViolation.INVALID_COMPRESSED_DATA))
                .hasMessageStartingWith("invalid compressed data");
        assertThat(inflater.holdsInflater()).isFalse();
        assertThatThrownBy(() -> inflate(inflater, Bytes.hex(HELLO_DEFLATED)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("inflate in state FAILED");
        inflater.close();
    }

    @Test
    void withoutPeerContextTakeoverEachMessageStartsAFreshStream() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, Bytes.hex(HELLO_DEFLATED))).isEqualTo(HELLO);
            assertThatThrownBy(() -> inflate(inflater, Bytes.hex("f2 00 11 00 00")))
                    .isInstanceOf(ProtocolException.class);
        }
    }

    @Test
    void contextTakeoverIsDecidedByThePeersRole() throws ProtocolException {
        DeflateParameters clientResets = new DeflateParameters(false, true, 15, 15);
        // A server receives from a client that resets: nothing kept between messages.
        try (MessageInflater server = MessageInflater.create(clientResets, Role.SERVER, 1000)) {
            inflate(server, Bytes.hex(HELLO_DEFLATED));
            assertThat(server.holdsInflater()).isFalse();
        }
        // A client receives from a server that keeps context.
        try (MessageInflater client = MessageInflater.create(clientResets, Role.CLIENT, 1000)) {
            inflate(client, Bytes.hex(HELLO_DEFLATED));
            assertThat(inflate(client, Bytes.hex("f2 00 11 00 00"))).isEqualTo(HELLO);
        }
    }

    @Test
    void inflaterIsHeldOnlyDuringAMessageWithoutPeerContextTakeover() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflater.holdsInflater()).isFalse();
            Bytes.Recorder sink = new Bytes.Recorder();
            inflater.inflate(ByteBuffer.wrap(Bytes.hex("f2 48 cd")), false, sink);
            assertThat(inflater.holdsInflater()).isTrue();
            inflater.inflate(ByteBuffer.wrap(Bytes.hex("c9 c9 07 00")), true, sink);
            assertThat(inflater.holdsInflater()).isFalse();
            assertThat(sink.take()).isEqualTo(HELLO);
        }
    }

    @Test
    void inflaterIsKeptBetweenMessagesWithPeerContextTakeoverUntilClose() throws ProtocolException {
        MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000);
        assertThat(inflater.holdsInflater()).isFalse();
        inflate(inflater, Bytes.hex(HELLO_DEFLATED));
        assertThat(inflater.holdsInflater()).isTrue();
        inflater.close();
        assertThat(inflater.holdsInflater()).isFalse();
        assertThatThrownBy(() -> inflate(inflater, Bytes.hex(HELLO_DEFLATED)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("inflate in state CLOSED");
    }

    @Test
    void anEmptyCompressedPayloadIsAnEmptyMessageAndKeepsContext() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(inflate(inflater, Bytes.hex(HELLO_DEFLATED))).isEqualTo(HELLO);
            Bytes.Recorder sink = new Bytes.Recorder();
            inflater.inflate(ByteBuffer.allocate(0), false, sink);
            inflater.inflate(ByteBuffer.allocate(0), true, sink);
            assertThat(sink.take()).isEmpty();
            assertThat(inflate(inflater, Bytes.hex("f2 00 11 00 00"))).isEqualTo(HELLO);
        }
    }

    @Test
    void inputIsConsumedEvenAfterTheStreamEnded() throws ProtocolException {
        try (MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000)) {
            ByteBuffer plain = ByteBuffer.wrap(Bytes.hex(HELLO_DEFLATED));
            inflater.inflate(plain, true, new Bytes.Recorder());
            assertThat(plain.hasRemaining()).isFalse();
            ByteBuffer bfinal = ByteBuffer.wrap(Bytes.hex("f3 48 cd c9 c9 07 00 00 01 02 03"));
            inflater.inflate(bfinal, true, new Bytes.Recorder());
            assertThat(bfinal.hasRemaining()).isFalse();
        }
    }

    @Test
    void everySplitPointAndByteByByteGiveTheSameMessage() throws ProtocolException {
        byte[] message = text(40_000);
        byte[] compressed = compress(message);
        try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, message.length)) {
            for (int split = 0; split <= compressed.length; split++) {
                Bytes.Recorder sink = new Bytes.Recorder();
                inflater.inflate(ByteBuffer.wrap(compressed, 0, split), false, sink);
                inflater.inflate(ByteBuffer.wrap(compressed, split, compressed.length - split), true, sink);
                assertThat(sink.take()).as("split at %d", split).isEqualTo(message);
            }
            Bytes.Recorder sink = new Bytes.Recorder();
            for (int i = 0; i < compressed.length; i++) {
                inflater.inflate(ByteBuffer.wrap(compressed, i, 1), false, sink);
            }
            inflater.inflate(ByteBuffer.allocate(0), true, sink);
            assertThat(sink.take()).isEqualTo(message);
        }
    }

    @Test
    void directAndReadOnlyInputInflate() throws ProtocolException {
        byte[] compressed = compress(text(10_000));
        try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 10_000)) {
            Bytes.Recorder sink = new Bytes.Recorder();
            inflater.inflate(
                    ByteBuffer.allocateDirect(compressed.length).put(compressed).flip(), true, sink);
            assertThat(sink.take()).isEqualTo(text(10_000));
            inflater.inflate(ByteBuffer.wrap(compressed).asReadOnlyBuffer(), true, sink);
            assertThat(sink.take()).isEqualTo(text(10_000));
        }
    }

    @Test
    void twoMessagesInProgressOnOneThreadDoNotShareAnInflater() throws ProtocolException {
        byte[] a = text(30_000);
        byte[] b = Arrays.copyOf(HELLO, 5);
        byte[] ca = compress(a);
        try (MessageInflater first = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 100_000);
                MessageInflater second = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 100_000)) {
            Bytes.Recorder sa = new Bytes.Recorder();
            first.inflate(ByteBuffer.wrap(ca, 0, ca.length / 2), false, sa);
            assertThat(inflate(second, compress(b))).isEqualTo(b);
            first.inflate(ByteBuffer.wrap(ca, ca.length / 2, ca.length - ca.length / 2), true, sa);
            assertThat(sa.take()).isEqualTo(a);
        }
    }

    @Test
    void aSinkMayInflateAnotherMessageOnTheSameThread() throws ProtocolException {
        byte[] outer = text(50_000);
        byte[] inner = text(20_000);
        byte[] innerCompressed = compress(inner);
        try (MessageInflater first = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 100_000);
                MessageInflater second = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 100_000)) {
            Bytes.Recorder innerSink = new Bytes.Recorder();
            Bytes.Recorder outerSink = new Bytes.Recorder();
            first.inflate(ByteBuffer.wrap(compress(outer)), true, chunk -> {
                outerSink.accept(chunk);
                second.inflate(ByteBuffer.wrap(innerCompressed), true, innerSink);
            });
            assertThat(outerSink.take()).isEqualTo(outer);
            byte[] all = innerSink.take();
            assertThat(Arrays.copyOf(all, inner.length)).isEqualTo(inner);
        }
    }

    @Test
    void aMessageMayBeFinishedOnAnotherThread() throws Exception {
        byte[] message = text(30_000);
        byte[] compressed = compress(message);
        try (MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 100_000)) {
            Bytes.Recorder sink = new Bytes.Recorder();
            inflater.inflate(ByteBuffer.wrap(compressed, 0, 100), false, sink);
            CompletableFuture.runAsync(() -> {
                        try {
                            inflater.inflate(ByteBuffer.wrap(compressed, 100, compressed.length - 100), true, sink);
                        } catch (ProtocolException e) {
                            throw new AssertionError(e);
                        }
                    })
                    .get();
            assertThat(sink.take()).isEqualTo(message);
            assertThat(inflate(inflater, Bytes.hex(HELLO_DEFLATED))).isEqualTo(HELLO);
        }
    }

    @Test
    void aThrowingSinkFailsTheInflater() {
        MessageInflater inflater = MessageInflater.create(TAKEOVER, Role.CLIENT, 1000);
        ProtocolException utf8 = new ProtocolException(ProtocolViolation.INVALID_UTF8, "0xff");
        assertThatThrownBy(() -> inflater.inflate(ByteBuffer.wrap(Bytes.hex(HELLO_DEFLATED)), true, chunk -> {
                    throw utf8;
                }))
                .isSameAs(utf8);
        assertThat(inflater.holdsInflater()).isFalse();
        assertThatThrownBy(() -> inflate(inflater, Bytes.hex(HELLO_DEFLATED)))
                .isInstanceOf(IllegalStateException.class);
    }

    @Test
    void closingInTheMiddleOfAMessageReleasesTheInflater() throws ProtocolException {
        MessageInflater inflater = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 1000);
        inflater.inflate(ByteBuffer.wrap(Bytes.hex("f2 48")), false, new Bytes.Recorder());
        inflater.close();
        assertThat(inflater.holdsInflater()).isFalse();
        // The thread's spare inflater was reset on its way back: a new message inflates cleanly.
        try (MessageInflater next = MessageInflater.create(NO_TAKEOVER, Role.CLIENT, 1000)) {
            assertThat(hex(inflate(next, Bytes.hex(HELLO_DEFLATED)))).isEqualTo(hex(HELLO));
        }
    }

    @Test
    void negativeLimitIsMisuse() {
        assertThatThrownBy(() -> MessageInflater.create(TAKEOVER, Role.CLIENT, -1))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
