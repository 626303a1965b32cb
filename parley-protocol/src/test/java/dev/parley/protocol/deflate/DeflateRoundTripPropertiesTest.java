package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.From;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.constraints.Size;

/** Deflate then inflate is the identity, whatever the messages, modes and frame splits. */
class DeflateRoundTripPropertiesTest {

    enum Mode {
        SHARED_NO_TAKEOVER(DeflateConfig.defaults(), new DeflateParameters(true, true, 15, 15)),
        DEDICATED_NO_TAKEOVER(
                DeflateConfig.defaults().withSharing(DeflateConfig.Sharing.DEDICATED),
                new DeflateParameters(true, true, 15, 15)),
        DEDICATED_TAKEOVER(DeflateConfig.defaults().withLocalNoContextTakeover(false), DeflateParameters.defaults()),
        /** The server keeps context, the client does not: each direction on its own. */
        MIXED(DeflateConfig.defaults().withLocalNoContextTakeover(false), new DeflateParameters(false, true, 15, 15));

        final DeflateConfig config;
        final DeflateParameters parameters;

        Mode(DeflateConfig config, DeflateParameters parameters) {
            this.config = config;
            this.parameters = parameters;
        }
    }

    @Provide
    Arbitrary<byte[]> messages() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(3000);
        // Few distinct bytes and long repeats: what compresses, and what back-references across
        // messages when context is kept.
        Arbitrary<byte[]> repetitive = Arbitraries.bytes()
                .between((byte) 'a', (byte) 'd')
                .array(byte[].class)
                .ofMaxSize(16)
                .flatMap(unit -> Arbitraries.integers().between(0, 80_000).map(n -> repeat(unit, n)));
        return Arbitraries.frequencyOf(
                Tuple.of(3, random), Tuple.of(2, repetitive), Tuple.of(1, Arbitraries.just(new byte[0])));
    }

    private static byte[] repeat(byte[] unit, int length) {
        byte[] out = new byte[unit.length == 0 ? 0 : length];
        for (int i = 0; i < out.length; i++) {
            out[i] = unit[i % unit.length];
        }
        return out;
    }

    @Property(tries = 200)
    void inflateOfDeflateIsIdentityAcrossMessagesAndSplits(
            @ForAll @Size(min = 1, max = 6) List<@From("messages") byte[]> messages,
            @ForAll Mode mode,
            @ForAll Role sender,
            @ForAll long splitSeed)
            throws ProtocolException {
        Random splits = new Random(splitSeed);
        try (MessageDeflater deflater = MessageDeflater.create(mode.parameters, sender, mode.config);
                MessageInflater inflater = MessageInflater.create(mode.parameters, sender.peer(), 100_000)) {
            for (byte[] message : messages) {
                byte[] compressed = Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
                Bytes.Recorder sink = new Bytes.Recorder();
                List<ByteBuffer> pieces = split(compressed, splits);
                for (int i = 0; i < pieces.size(); i++) {
                    inflater.inflate(pieces.get(i), i == pieces.size() - 1, sink);
                }
                assertThat(sink.take()).isEqualTo(message);
            }
        }
    }

    /** Pieces covering {@code bytes} in order, some empty, the last ending the message. */
    private static List<ByteBuffer> split(byte[] bytes, Random random) {
        List<ByteBuffer> pieces = new ArrayList<>();
        int at = 0;
        while (at < bytes.length) {
            int n = random.nextInt(4) == 0
                    ? 0
                    : 1 + random.nextInt(Math.min(bytes.length - at, 1 + random.nextInt(2000)));
            if (n > 0) {
                pieces.add(ByteBuffer.wrap(bytes, at, n));
                at += n;
            } else if (at > 0) {
                pieces.add(ByteBuffer.wrap(bytes, at, 0));
            }
        }
        return pieces;
    }

    @Property(tries = 150)
    void aMessagePassesExactlyWhenItFitsTheLimitAndTheSinkNeverSeesMore(
            @ForAll @From("messages") byte[] message,
            @ForAll @IntRange(max = 90_000) int limit,
            @ForAll long splitSeed) {
        byte[] compressed;
        try (MessageDeflater deflater =
                MessageDeflater.create(Mode.SHARED_NO_TAKEOVER.parameters, Role.SERVER, DeflateConfig.defaults())) {
            compressed = Bytes.toArray(deflater.compress(ByteBuffer.wrap(message)));
        }
        Bytes.Recorder sink = new Bytes.Recorder();
        ProtocolException failure = null;
        try (MessageInflater inflater =
                MessageInflater.create(Mode.SHARED_NO_TAKEOVER.parameters, Role.CLIENT, limit)) {
            List<ByteBuffer> pieces = split(compressed, new Random(splitSeed));
            for (int i = 0; i < pieces.size(); i++) {
                inflater.inflate(pieces.get(i), i == pieces.size() - 1, sink);
            }
        } catch (ProtocolException e) {
            failure = e;
        }
        assertThat(sink.delivered).isLessThanOrEqualTo(limit);
        if (message.length <= limit) {
            assertThat(failure).isNull();
            assertThat(sink.take()).isEqualTo(message);
        } else {
            assertThat(failure).isNotNull();
            assertThat(failure.violation()).isEqualTo(ProtocolViolation.MESSAGE_TOO_BIG);
        }
    }

    @Property(tries = 100)
    void sharedAndDedicatedDeflatersAgreeWithoutContextTakeover(
            @ForAll @Size(min = 1, max = 6) List<@From("messages") byte[]> messages) {
        DeflateParameters noTakeover = new DeflateParameters(true, true, 15, 15);
        DeflateConfig dedicatedConfig = DeflateConfig.defaults().withSharing(DeflateConfig.Sharing.DEDICATED);
        try (MessageDeflater shared = MessageDeflater.create(noTakeover, Role.SERVER, DeflateConfig.defaults());
                MessageDeflater dedicated = MessageDeflater.create(noTakeover, Role.SERVER, dedicatedConfig)) {
            for (byte[] message : messages) {
                assertThat(shared.compress(ByteBuffer.wrap(message)))
                        .isEqualTo(dedicated.compress(ByteBuffer.wrap(message)));
            }
        }
    }
}
