package dev.parley.protocol.frame;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.SplittableRandom;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.RepetitionInfo;

/**
 * The validator against a byte-at-a-time model of Unicode Table 3-7 and the JDK's strict decoder,
 * on random inputs fed whole, in random pieces and from direct memory. Guards the ASCII skipping
 * and table lookup, which must report exactly the first byte that makes the input invalid.
 */
class Utf8ValidatorModelTest {
    private static final byte[] ALPHABET = {
        'a',
        ' ',
        0x7F,
        (byte) 0x80,
        (byte) 0x8F,
        (byte) 0x90,
        (byte) 0x9F,
        (byte) 0xA0,
        (byte) 0xBF,
        (byte) 0xC0,
        (byte) 0xC1,
        (byte) 0xC2,
        (byte) 0xDF,
        (byte) 0xE0,
        (byte) 0xE1,
        (byte) 0xED,
        (byte) 0xEF,
        (byte) 0xF0,
        (byte) 0xF3,
        (byte) 0xF4,
        (byte) 0xF5,
        (byte) 0xFF
    };

    @RepeatedTest(2000)
    void agreesWithTheModelWhateverTheSplits(RepetitionInfo repetition) throws Exception {
        SplittableRandom random = new SplittableRandom(repetition.getCurrentRepetition());
        byte[] input = randomInput(random);
        int expected = firstInvalid(input);
        boolean expectComplete = expected < 0 && endsComplete(input);

        Utf8Validator whole = new Utf8Validator();
        assertThat(whole.validate(input, 0, input.length)).isEqualTo(expected);
        if (expected < 0) {
            assertThat(whole.isComplete()).isEqualTo(expectComplete);
        }

        Utf8Validator pieces = new Utf8Validator();
        ByteBuffer direct = ByteBuffer.allocateDirect(input.length).put(input).flip();
        Utf8Validator directPieces = new Utf8Validator();
        int bad = -1;
        int badDirect = -1;
        for (int at = 0; at < input.length && bad < 0; ) {
            int n = 1 + random.nextInt(Math.min(40, input.length - at));
            bad = pieces.validate(input, at, n);
            badDirect = directPieces.validate(direct.limit(at + n).position(at));
            assertThat(badDirect).isEqualTo(bad);
            at += n;
        }
        assertThat(bad).isEqualTo(expected);
        if (expected < 0) {
            assertThat(pieces.isComplete()).isEqualTo(expectComplete);
            assertThat(directPieces.isComplete()).isEqualTo(expectComplete);
        }
        assertThat(expectComplete).isEqualTo(jdkAccepts(input));
    }

    private static byte[] randomInput(SplittableRandom random) {
        byte[] bytes = new byte[random.nextInt(1, 200)];
        int asciiRun = random.nextInt(0, 64);
        for (int i = 0; i < bytes.length; i++) {
            if (i < asciiRun || random.nextInt(4) == 0) {
                bytes[i] = (byte) random.nextInt(0x80);
            } else if (random.nextInt(3) == 0) {
                bytes[i] = ALPHABET[random.nextInt(ALPHABET.length)];
            } else { // a whole, valid code point
                int cp = random.nextInt(0x80, 0x110000);
                if (cp >= 0xD800 && cp <= 0xDFFF) {
                    cp = 0xE000;
                }
                byte[] enc = new String(Character.toChars(cp)).getBytes(StandardCharsets.UTF_8);
                if (random.nextInt(4) == 0) { // spoil one byte: errors inside an otherwise good sequence
                    enc[random.nextInt(enc.length)] = ALPHABET[random.nextInt(ALPHABET.length)];
                }
                int n = Math.min(enc.length, bytes.length - i);
                System.arraycopy(enc, 0, bytes, i, n);
                i += n - 1;
            }
        }
        return bytes;
    }

    /** The model: Unicode Table 3-7, one byte at a time; the index of the first bad byte or -1. */
    private static int firstInvalid(byte[] bytes) {
        int need = 0;
        int low = 0x80;
        int high = 0xBF;
        for (int i = 0; i < bytes.length; i++) {
            int b = bytes[i] & 0xFF;
            if (need > 0) {
                if (b < low || b > high) {
                    return i;
                }
                need--;
                low = 0x80;
                high = 0xBF;
            } else if (b >= 0x80) {
                if (b >= 0xC2 && b <= 0xDF) {
                    need = 1;
                } else if (b >= 0xE0 && b <= 0xEF) {
                    need = 2;
                    low = b == 0xE0 ? 0xA0 : 0x80;
                    high = b == 0xED ? 0x9F : 0xBF;
                } else if (b >= 0xF0 && b <= 0xF4) {
                    need = 3;
                    low = b == 0xF0 ? 0x90 : 0x80;
                    high = b == 0xF4 ? 0x8F : 0xBF;
                } else {
                    return i;
                }
            }
        }
        return -1;
    }

    private static boolean endsComplete(byte[] bytes) {
        // Valid so far: complete unless a lead byte's sequence runs past the end.
        for (int back = 1; back <= Math.min(3, bytes.length); back++) {
            int b = bytes[bytes.length - back] & 0xFF;
            if (b < 0x80) {
                return true;
            }
            if (b >= 0xC0) {
                int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return back == length;
            }
        }
        return true;
    }

    private static boolean jdkAccepts(byte[] bytes) {
        try {
            StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes));
            return true;
        } catch (CharacterCodingException e) {
            return false;
        }
    }
}
