package dev.parley.bench;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.SplittableRandom;

/** Deterministic UTF-8 inputs for the benchmarks. */
final class Texts {
    private static final String CYRILLIC = "абвгдеёжзийклмнопрстуфхцчшщъыьэюя"; // 2 bytes each
    private static final String CJK = "的一是不了人我在有他这中大来上国个到说们为子和你地出道也时年"; // 3 bytes each
    private static final int[] EMOJI = {0x1F600, 0x1F680, 0x1F389, 0x1F44D, 0x1F525, 0x1F30D}; // 4 bytes each

    private Texts() {}

    /** {@code size} bytes of printable ASCII. */
    static byte[] ascii(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = (byte) random.nextInt(0x20, 0x7F);
        }
        return bytes;
    }

    /**
     * Exactly {@code size} bytes of valid UTF-8 in which 80% of the code points are ASCII and the
     * rest are Cyrillic, CJK and emoji in equal shares (so about 45% of the bytes are ASCII).
     */
    static byte[] mixed(int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder text = new StringBuilder();
        int bytes = 0;
        while (true) {
            int roll = random.nextInt(100);
            int codePoint;
            int width;
            if (roll < 80) {
                codePoint = random.nextInt(0x20, 0x7F);
                width = 1;
            } else if (roll < 87) {
                codePoint = CYRILLIC.charAt(random.nextInt(CYRILLIC.length()));
                width = 2;
            } else if (roll < 94) {
                codePoint = CJK.charAt(random.nextInt(CJK.length()));
                width = 3;
            } else {
                codePoint = EMOJI[random.nextInt(EMOJI.length)];
                width = 4;
            }
            if (bytes + width > size) {
                break;
            }
            text.appendCodePoint(codePoint);
            bytes += width;
        }
        byte[] encoded = Arrays.copyOf(text.toString().getBytes(StandardCharsets.UTF_8), size);
        Arrays.fill(encoded, bytes, size, (byte) 'x'); // pad the last few bytes with ASCII
        return encoded;
    }
}
