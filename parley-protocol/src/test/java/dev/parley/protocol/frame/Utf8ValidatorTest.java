package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.concat;
import static dev.parley.protocol.frame.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.List;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.constraints.Size;

/**
 * {@link Utf8Validator} (RFC 3629, RFC 6455 §8.1) against the JDK's strict decoder, on inputs
 * biased towards the hard cases, split anywhere; and the fail-fast index against a reference that
 * asks the JDK whether a prefix can still be completed.
 */
class Utf8ValidatorTest {
    private static final byte[] KOSME = hex("ceba e1bdb9 cf83 cebc ceb5"); // "κόσμε", RFC 3629's example

    /** The JDK's verdict on a whole message: strict, with malformed input reported. */
    static boolean jdkAccepts(byte[] bytes) {
        CharsetDecoder decoder = StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            decoder.decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }

    /**
     * Whether some valid UTF-8 starts with {@code prefix}: at most three more continuation bytes
     * complete any code point, and each allowed range (80-8F, 90-9F, A0-BF or unions of them)
     * holds one of 80, 90, A0.
     */
    static boolean canBeCompleted(byte[] prefix) {
        if (jdkAccepts(prefix)) {
            return true;
        }
        byte[] candidates = {(byte) 0x80, (byte) 0x90, (byte) 0xA0};
        for (int extra = 1; extra <= 3; extra++) {
            int combinations = (int) Math.pow(3, extra);
            for (int c = 0; c < combinations; c++) {
                byte[] completed = java.util.Arrays.copyOf(prefix, prefix.length + extra);
                for (int i = 0, rest = c; i < extra; i++, rest /= 3) {
                    completed[prefix.length + i] = candidates[rest % 3];
                }
                if (jdkAccepts(completed)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** The index of the first byte after which no valid UTF-8 can follow, or -1. */
    static int firstInvalidIndex(byte[] bytes) {
        for (int i = 0; i < bytes.length; i++) {
            if (!canBeCompleted(java.util.Arrays.copyOf(bytes, i + 1))) {
                return i;
            }
        }
        return -1;
    }

    /** Feeds {@code bytes} in pieces through the array and buffer APIs alternately. */
    static int validateInPieces(Utf8Validator validator, byte[] bytes, List<Integer> cuts) {
        int from = 0;
        int piece = 0;
        for (int cut : cuts) {
            int to = Math.min(bytes.length, from + cut);
            int bad = validatePiece(validator, bytes, from, to, piece++);
            if (bad >= 0) {
                return bad;
            }
            from = to;
        }
        return validatePiece(validator, bytes, from, bytes.length, piece);
    }

    private static int validatePiece(Utf8Validator validator, byte[] bytes, int from, int to, int piece) {
        switch (piece % 3) {
            case 0:
                return validator.validate(bytes, from, to - from);
            case 1:
                ByteBuffer heap = ByteBuffer.wrap(bytes, from, to - from);
                int bad = validator.validate(heap);
                assertThat(heap.position()).isEqualTo(from);
                return bad;
            default:
                ByteBuffer direct =
                        ByteBuffer.allocateDirect(bytes.length).put(bytes).clear();
                direct.position(from).limit(to);
                int index = validator.validate(direct);
                assertThat(direct.position()).isEqualTo(from);
                return index;
        }
    }

    @Provide
    Arbitrary<byte[]> utf8ish() {
        Arbitrary<byte[]> random = Arbitraries.bytes().array(byte[].class).ofMaxSize(4);
        Arbitrary<byte[]> valid = Arbitraries.strings()
                .all()
                .ofMaxLength(3)
                .filter(s -> s.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF))
                .map(s -> s.getBytes(StandardCharsets.UTF_8));
        Arbitrary<byte[]> ascii =
                Arbitraries.strings().ascii().ofMaxLength(12).map(s -> s.getBytes(StandardCharsets.US_ASCII));
        Arbitrary<byte[]> tricky = Arbitraries.of(
                hex("c080"), // overlong NUL
                hex("c1bf"), // overlong
                hex("e08080"), // overlong 3-byte
                hex("e09fbf"), // overlong 3-byte, top
                hex("e0a080"), // smallest valid 3-byte
                hex("eda080"), // surrogate D800
                hex("edbfbf"), // surrogate DFFF
                hex("ed9fbf"), // U+D7FF
                hex("ee8080"), // U+E000
                hex("f08080 80"), // overlong 4-byte
                hex("f0908080"), // U+10000
                hex("f48fbfbf"), // U+10FFFF
                hex("f4908080"), // above U+10FFFF
                hex("f5808080"), // lead above F4
                hex("ff"),
                hex("80"), // lone continuation
                hex("bf"),
                hex("e2"), // truncated 3-byte
                hex("e282"), // truncated 3-byte
                hex("f09f"), // truncated 4-byte
                hex("f09f98"), // truncated 4-byte
                hex("efbfbf"), // U+FFFF, a noncharacter but valid
                hex("00"));
        return Arbitraries.frequencyOf(Tuple.of(3, tricky), Tuple.of(3, valid), Tuple.of(2, ascii), Tuple.of(2, random))
                .list()
                .ofMaxSize(8)
                .map(parts -> {
                    ByteArrayOutputStream out = new ByteArrayOutputStream();
                    parts.forEach(out::writeBytes);
                    return out.toByteArray();
                });
    }

    @Provide
    Arbitrary<List<Integer>> cuts() {
        return Arbitraries.integers().between(0, 10).list().ofMaxSize(6);
    }

    @Property(tries = 2000)
    void agreesWithTheJdkStrictDecoderInAnyPieces(@ForAll("utf8ish") byte[] bytes, @ForAll("cuts") List<Integer> cuts) {
        Utf8Validator validator = new Utf8Validator();

        boolean valid = validateInPieces(validator, bytes, cuts) < 0 && validator.isComplete();

        assertThat(valid).as(Hex.hex(bytes)).isEqualTo(jdkAccepts(bytes));
        assertThat(Utf8Validator.isValid(bytes, 0, bytes.length)).isEqualTo(valid);
    }

    @Property(tries = 500)
    void reportsTheFirstByteThatMakesTheSequenceInvalid(
            @ForAll("utf8ish") byte[] bytes, @ForAll("cuts") List<Integer> cuts) {
        int expected = firstInvalidIndex(bytes);

        assertThat(validateInPieces(new Utf8Validator(), bytes, cuts))
                .as(Hex.hex(bytes))
                .isEqualTo(expected);
    }

    @Property(tries = 300)
    void acceptsEveryValidStringSplitAnywhere(@ForAll @Size(max = 20) String text, @ForAll("cuts") List<Integer> cuts) {
        byte[] bytes = TextEncodingTest.strictOrNull(text);
        if (bytes == null) {
            return; // unpaired surrogates: not a valid string
        }
        Utf8Validator validator = new Utf8Validator();

        assertThat(validateInPieces(validator, bytes, cuts)).isEqualTo(-1);
        assertThat(validator.isComplete()).isTrue();
    }

    @Example
    void surrogateAfterKosmeIsReportedAtItsSecondByte() {
        byte[] bytes = concat(KOSME, hex("eda080")); // "κόσμε" then ED A0 80 (U+D800)

        assertThat(new Utf8Validator().validate(bytes, 0, bytes.length)).isEqualTo(KOSME.length + 1);
        assertThat(new Utf8Validator().validate(ByteBuffer.wrap(bytes))).isEqualTo(KOSME.length + 1);
    }

    @Example
    void leadBytesThatCanNeverStartACodePointAreReportedAtTheirOwnIndex() {
        for (String bad : List.of("c0", "c1", "f5", "f8", "ff", "80", "bf")) {
            byte[] bytes = concat(hex("41 cebc"), hex(bad)); // "Aμ" then the byte

            assertThat(new Utf8Validator().validate(bytes, 0, bytes.length))
                    .as(bad)
                    .isEqualTo(3);
        }
    }

    @Example
    void narrowedContinuationRangesAreReportedAtTheContinuation() {
        assertThat(new Utf8Validator().validate(hex("e0 80 80"), 0, 3)).isEqualTo(1); // overlong
        assertThat(new Utf8Validator().validate(hex("ed bf bf"), 0, 3)).isEqualTo(1); // surrogate
        assertThat(new Utf8Validator().validate(hex("f0 8f bf bf"), 0, 4)).isEqualTo(1); // overlong
        assertThat(new Utf8Validator().validate(hex("f4 90 80 80"), 0, 4)).isEqualTo(1); // > U+10FFFF
        assertThat(new Utf8Validator().validate(hex("e2 82 41"), 0, 3)).isEqualTo(2); // ASCII too early
    }

    @Example
    void indexIsAbsoluteInTheBufferAndTheArray() {
        byte[] bytes = hex("ff ff 41 c0 41");
        ByteBuffer buffer = ByteBuffer.wrap(bytes, 2, 3);
        ByteBuffer direct = ByteBuffer.allocateDirect(5).put(bytes).position(2);

        assertThat(new Utf8Validator().validate(buffer)).isEqualTo(3);
        assertThat(new Utf8Validator().validate(buffer.slice())).isEqualTo(1);
        assertThat(new Utf8Validator().validate(direct)).isEqualTo(3);
        assertThat(new Utf8Validator().validate(bytes, 2, 3)).isEqualTo(3);
    }

    @Example
    void isCompleteOnlyAtACodePointBoundary() {
        Utf8Validator validator = new Utf8Validator();

        assertThat(validator.validate(hex("f09f"), 0, 2)).isEqualTo(-1); // half of U+1F600
        assertThat(validator.isComplete()).isFalse();
        assertThat(validator.validate(hex("98"), 0, 1)).isEqualTo(-1);
        assertThat(validator.isComplete()).isFalse();
        assertThat(validator.validate(hex("80"), 0, 1)).isEqualTo(-1);
        assertThat(validator.isComplete()).isTrue();
        assertThat(Utf8Validator.isValid(hex("f09f98"), 0, 3)).isFalse();
    }

    @Example
    void resetForgetsAPartialCodePoint() {
        Utf8Validator validator = new Utf8Validator();
        validator.validate(hex("ed"), 0, 1); // a lead byte that narrows the next byte to 80-9F

        validator.reset();

        assertThat(validator.isComplete()).isTrue();
        assertThat(validator.validate(hex("41"), 0, 1)).isEqualTo(-1);
        assertThat(validator.validate(hex("e0a080"), 0, 3)).isEqualTo(-1);
        validator.validate(hex("e0"), 0, 1);
        validator.reset();
        assertThat(validator.validate(hex("80"), 0, 1)).isEqualTo(0);
    }

    @Example
    void longAsciiRunsAroundAMultiByteSequence() {
        byte[] bytes = concat(hex("41".repeat(17)), KOSME, hex("42".repeat(19)), hex("c3"));

        Utf8Validator validator = new Utf8Validator();
        assertThat(validator.validate(bytes, 0, bytes.length)).isEqualTo(-1);
        assertThat(validator.isComplete()).isFalse();
    }
}
