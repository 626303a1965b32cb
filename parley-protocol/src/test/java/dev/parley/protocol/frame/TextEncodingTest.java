package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.Size;
import net.jqwik.api.constraints.StringLength;

/** {@link TextEncoding}: UTF-8 that says what the application wrote, or an exception. */
class TextEncodingTest {

    /** The JDK's strict encoding, or null for a string with an unpaired surrogate. */
    static byte[] strictOrNull(String text) {
        try {
            var bytes = StandardCharsets.UTF_8
                    .newEncoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .encode(CharBuffer.wrap(text));
            byte[] array = new byte[bytes.remaining()];
            bytes.get(array);
            return array;
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    @Property(tries = 1000)
    void agreesWithTheJdkStrictEncoder(@ForAll @StringLength(max = 12) String text) {
        byte[] strict = strictOrNull(text);

        if (strict == null) {
            assertThatThrownBy(() -> TextEncoding.encode(text)).isInstanceOf(IllegalArgumentException.class);
        } else {
            assertThat(TextEncoding.encode(text)).isEqualTo(strict);
        }
    }

    @Property(tries = 500)
    void refusesAnUnpairedSurrogateAmongAscii(
            @ForAll @Size(max = 6) char[] before, @ForAll boolean high, @ForAll @Size(max = 6) char[] after) {
        String ascii1 = new String(before).replaceAll("[^\\x00-\\x7f]", "a");
        String ascii2 = new String(after).replaceAll("[^\\x00-\\x7f]", "b");
        String text = ascii1 + (high ? '\uD83D' : '\uDE00') + ascii2;

        assertThatThrownBy(() -> TextEncoding.encode(text)).isInstanceOf(IllegalArgumentException.class);
    }

    @Example
    void encodesAsciiMultiByteAndSupplementaryCharacters() {
        assertThat(TextEncoding.encode("")).isEmpty();
        assertThat(TextEncoding.encode("Hello")).isEqualTo(hex("48656c6c6f"));
        assertThat(TextEncoding.encode("\u03ba\u1f79\u03c3\u03bc\u03b5")) // "κόσμε" as in RFC 3629
                .isEqualTo(hex("ceba e1bdb9 cf83 cebc ceb5"));
        assertThat(TextEncoding.encode("\uD83D\uDE00")).isEqualTo(hex("f09f9880")); // U+1F600
        assertThat(TextEncoding.encode("?")).isEqualTo(hex("3f"));
    }

    @Example
    void refusesUnpairedSurrogates() {
        for (String text :
                new String[] {"\uD800", "\uDC00", "a\uD800", "\uDC00b", "\uDE00\uD83D", "é\uD800", "\uD83D?"}) {
            assertThatThrownBy(() -> TextEncoding.encode(text))
                    .as(text)
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessageContaining("unpaired surrogate");
        }
    }
}
