package dev.parley.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.IntRange;
import net.jqwik.api.statistics.Statistics;

/**
 * Properties of the encoder and decoder together: whatever one endpoint encodes, the other decodes
 * to the same frames, however the stream is cut; and no byte stream makes the decoder do anything
 * but report legal frames or fail with a {@link ProtocolException} (the fuzzing invariant of
 * {@link DecoderFuzzTarget}).
 */
class FrameCodecPropertiesTest {
    private static final Limits ROOMY = new Limits(1 << 17, 1 << 20, 64);

    /** Bytes for the decoder, and its settings as {@link DecoderFuzzTarget#run} reads them. */
    record FuzzCase(String kind, int settings, byte[] bytes) {
        @Override
        public String toString() {
            return kind + " settings=0x" + Integer.toHexString(settings) + " bytes=" + Hex.hex(bytes);
        }
    }

    /** A frame to send: the fields the decoder must report back. */
    record Spec(Opcode opcode, boolean fin, int rsv, int length) {}

    @Provide
    Arbitrary<Integer> lengths() {
        return Arbitraries.frequencyOf(
                Tuple.of(4, Arbitraries.of(0, 1, 125, 126, 127, 65535, 65536)),
                Tuple.of(6, Arbitraries.integers().between(0, 300)));
    }

    @Provide
    Arbitrary<List<Spec>> streams() {
        return streams(lengths(), 3);
    }

    /** Valid frame sequences: messages of up to {@code maxFragments} frames, controls between. */
    static Arbitrary<List<Spec>> streams(Arbitrary<Integer> lengths, int maxFragments) {
        Arbitrary<Integer> controlLengths = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(0, 125)),
                Tuple.of(7, Arbitraries.integers().between(0, 125)));
        Arbitrary<Spec> control = Combinators.combine(
                        Arbitraries.of(Opcode.PING, Opcode.PONG, Opcode.CLOSE),
                        Arbitraries.of(0, 0x20, 0x10, 0x30),
                        controlLengths)
                .as((opcode, rsv, length) -> new Spec(opcode, true, rsv, length));
        Arbitrary<List<Spec>> message = Combinators.combine(
                        Arbitraries.of(Opcode.TEXT, Opcode.BINARY),
                        Arbitraries.of(0, 0x40, 0x20, 0x70),
                        lengths.list().ofMinSize(1).ofMaxSize(maxFragments),
                        control.optional().list().ofSize(maxFragments))
                .as((opcode, rsv, fragments, controls) -> {
                    List<Spec> frames = new ArrayList<>();
                    for (int i = 0; i < fragments.size(); i++) {
                        boolean first = i == 0;
                        boolean last = i == fragments.size() - 1;
                        // RSV1 only on the first frame (RFC 7692 §6.1); RSV2/RSV3 anywhere.
                        int frameRsv = first ? rsv : rsv & ~FrameBits.B0_FLAG_RSV1;
                        frames.add(new Spec(first ? opcode : Opcode.CONTINUATION, last, frameRsv, fragments.get(i)));
                        if (!last) {
                            controls.get(i).ifPresent(frames::add);
                        }
                    }
                    return frames;
                });
        return Arbitraries.oneOf(message, control.map(List::of))
                .list()
                .ofMinSize(1)
                .ofMaxSize(5)
                .map(parts -> parts.stream().flatMap(List::stream).toList());
    }

    @Property(tries = 500)
    void whatOneEndEncodesTheOtherDecodesHoweverTheStreamIsCut(
            @ForAll Role sender, @ForAll boolean granted, @ForAll("streams") List<Spec> specs, @ForAll long seed)
            throws ProtocolException {
        SplittableRandom random = new SplittableRandom(seed);
        FrameEncoder encoder = new FrameEncoder(sender, () -> random.nextInt());
        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        List<RecordedFrame> expected = new ArrayList<>();
        for (Spec spec : specs) {
            int rsv = granted ? spec.rsv() : 0;
            byte[] payload = new byte[spec.length()];
            for (int i = 0; i < payload.length; i++) {
                payload[i] = (byte) random.nextInt();
            }
            ByteBuffer frame = encoder.encode(spec.opcode(), spec.fin(), rsv, ByteBuffer.wrap(payload));
            byte[] bytes = new byte[frame.remaining()];
            frame.get(bytes);
            wire.writeBytes(bytes);
            expected.add(RecordedFrame.frame(spec.opcode(), spec.fin(), rsv, payload));
        }

        FrameDecoder decoder = new FrameDecoder(sender.peer(), ROOMY);
        if (granted) {
            decoder.grantReservedBits(FrameBits.B0_MASK_RSV, true);
        }
        RecordingHandler handler = RecordingHandler.untracked();
        byte[] stream = wire.toByteArray();
        for (int from = 0; from < stream.length; ) {
            int size = Math.min(
                    stream.length - from, random.nextInt(3) == 0 ? 1 + random.nextInt(20) : 1 + random.nextInt(70_000));
            ByteBuffer chunk = random.nextBoolean()
                    ? ByteBuffer.wrap(stream, from, size)
                    : ByteBuffer.allocateDirect(size)
                            .order(ByteOrder.LITTLE_ENDIAN)
                            .put(stream, from, size)
                            .flip();
            decoder.decode(chunk, handler);
            from += size;
        }

        assertThat(handler.all()).isEqualTo(expected);
        assertThat(decoder.isAtFrameBoundary()).isTrue();
        assertThat(decoder.isInMessage()).isFalse();
    }

    @Property(tries = 300)
    void everyLengthRoundTripsThroughTheHeader(
            @ForAll Role sender, @ForAll("lengths") int length, @ForAll @IntRange(min = 0, max = 3) int extra) {
        int total = length + extra;
        FrameEncoder encoder = new FrameEncoder(sender, () -> 0x5a5a5a5a);
        ByteBuffer frame = encoder.encode(Opcode.BINARY, true, 0, ByteBuffer.allocate(total));

        assertThat(frame.remaining()).isEqualTo(encoder.frameSize(total));
        assertThat(frame.remaining() - total).isEqualTo(FrameEncoder.headerSize(total, sender == Role.CLIENT));
    }

    /**
     * Inputs paired with decoder settings (see {@link DecoderFuzzTarget#run}): random bytes,
     * plausible headers, and valid streams near the fuzz limits with a few bits flipped, decoded
     * mostly by the right role with their reserved bits granted so that they get past the header.
     */
    @Provide
    Arbitrary<FuzzCase> fuzzInputs() {
        Arbitrary<Integer> anySettings = Arbitraries.integers().between(0, 0x7f);
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(300);
        Arbitrary<byte[]> headers = Arbitraries.frequencyOf(
                        Tuple.of(3, Arbitraries.bytes().array(byte[].class).ofSize(2)),
                        Tuple.of(
                                3,
                                Arbitraries.of(
                                        Hex.hex("81 7e"), // text, 16-bit length follows
                                        Hex.hex("82 7f"), // binary, 64-bit length follows
                                        Hex.hex("01 fe"), // text, not final, masked, 16-bit length
                                        Hex.hex("00 05"), // continuation, 5 bytes
                                        Hex.hex("89 85"), // ping, masked, 5 bytes
                                        Hex.hex("c1 7e"), // text, RSV1, 16-bit length
                                        Hex.hex("82 7e 0005"), // non-minimal 16-bit length
                                        Hex.hex("82 fe 0005"), // non-minimal 16-bit length, masked
                                        Hex.hex("82 7f 000000000000ffff"), // non-minimal 64-bit length
                                        Hex.hex("82 ff 4000000000000000"), // 2^62 bytes, masked
                                        Hex.hex("01 00 81 00"), // a new message inside a message
                                        Hex.hex("01 80 00000000 81 80"))), // the same, masked
                        Tuple.of(2, Arbitraries.bytes().array(byte[].class).ofMaxSize(12)))
                .list()
                .ofMaxSize(12)
                .map(parts -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    parts.forEach(out::writeBytes);
                    return out.toByteArray();
                });
        Arbitrary<Integer> nearLimits = Arbitraries.frequencyOf(
                Tuple.of(10, Arbitraries.integers().between(50, 100)),
                Tuple.of(6, Arbitraries.integers().between(0, 50)),
                Tuple.of(1, Arbitraries.integers().between(101, 200)),
                Tuple.of(1, Arbitraries.of(0, 125, 126)));
        Arbitrary<FuzzCase> mutated = Combinators.combine(
                        streams(nearLimits, 6),
                        // Not Arbitraries.longs(): its edge cases (-1, -2, ...) would dominate.
                        Arbitraries.randomValue(jdkRandom -> jdkRandom.nextLong()),
                        Arbitraries.integers().between(0, 3))
                .as((specs, seed, mutations) -> {
                    SplittableRandom r = new SplittableRandom(seed);
                    Role sender = r.nextBoolean() ? Role.CLIENT : Role.SERVER;
                    FrameEncoder encoder = new FrameEncoder(sender, r::nextInt);
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    // Dropping a frame breaks the order of fragments (RFC 6455 §5.4).
                    int dropped = specs.size() > 1 && r.nextInt(3) == 0 ? r.nextInt(specs.size()) : -1;
                    for (int f = 0; f < specs.size(); f++) {
                        if (f == dropped) {
                            continue;
                        }
                        Spec spec = specs.get(f);
                        ByteBuffer frame = encoder.encode(
                                spec.opcode(), spec.fin(), spec.rsv(), ByteBuffer.allocate(spec.length()));
                        byte[] bytes = new byte[frame.remaining()];
                        frame.get(bytes);
                        out.writeBytes(bytes);
                    }
                    byte[] bytes = out.toByteArray();
                    for (int i = 0; i < mutations && bytes.length > 0; i++) {
                        bytes[r.nextInt(bytes.length)] ^= (byte) (1 << r.nextInt(8));
                    }
                    int receiver = r.nextInt(10) == 0 ? r.nextInt(2) : sender == Role.CLIENT ? 1 : 0;
                    int grant = r.nextInt(10) == 0 ? r.nextInt(0x80) & 0x72 : 0x72;
                    return new FuzzCase("mutated", grant | receiver, bytes);
                });
        return Arbitraries.frequencyOf(
                Tuple.of(
                        2,
                        Combinators.combine(anySettings, random)
                                .as((settings, bytes) -> new FuzzCase("random", settings, bytes))),
                Tuple.of(
                        3,
                        Combinators.combine(anySettings, headers)
                                .as((settings, bytes) -> new FuzzCase("headers", settings, bytes))),
                Tuple.of(5, mutated));
    }

    @Property(tries = 2000)
    void arbitraryBytesInArbitraryChunksYieldLegalFramesOrAProtocolException(
            @ForAll("fuzzInputs") FuzzCase input, @ForAll long chunkSeed) {
        String outcome = DecoderFuzzTarget.run(input.bytes(), input.settings(), chunkSeed);

        Statistics.collect(outcome);
        Statistics.label("by kind").collect(input.kind(), outcome.startsWith("accepted") ? outcome : "failed");
        // The generators must reach deep enough for the invariant to mean something.
        Statistics.coverage(coverage -> {
            coverage.check("accepted").percentage(p -> p > 5);
            coverage.check("RESERVED_OPCODE").count(c -> c > 0);
            coverage.check("FRAME_TOO_BIG").count(c -> c > 0);
            coverage.check("MESSAGE_TOO_BIG").count(c -> c > 0);
            coverage.check("UNEXPECTED_CONTINUATION").count(c -> c > 0);
            coverage.check("NON_MINIMAL_LENGTH").count(c -> c > 0);
            coverage.check("TOO_MANY_FRAGMENTS").count(c -> c > 0);
            coverage.check("MASKED_SERVER_FRAME").count(c -> c > 0);
            coverage.check("UNMASKED_CLIENT_FRAME").count(c -> c > 0);
            coverage.check("EXPECTED_CONTINUATION").count(c -> c > 0);
        });
    }
}
