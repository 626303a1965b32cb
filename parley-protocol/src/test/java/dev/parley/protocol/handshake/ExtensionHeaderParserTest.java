package dev.parley.protocol.handshake;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.handshake.ExtensionOffer.Parameter;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class ExtensionHeaderParserTest {

    private static ExtensionOffer offer(String name, String... nameValuePairs) {
        Parameter[] parameters = new Parameter[nameValuePairs.length / 2];
        for (int i = 0; i < parameters.length; i++) {
            parameters[i] = new Parameter(nameValuePairs[2 * i], nameValuePairs[2 * i + 1]);
        }
        return new ExtensionOffer(name, Arrays.asList(parameters));
    }

    @Test
    void parsesOneExtensionWithoutParameters() throws Exception {
        assertThat(ExtensionHeaderParser.parse("permessage-deflate")).containsExactly(offer("permessage-deflate"));
    }

    @Test
    void parsesRfc7692OfferWithFallbacks() throws Exception {
        // RFC 7692 §5.2 / §7.1.1 example: the same extension offered twice, in order of preference.
        List<ExtensionOffer> offers = ExtensionHeaderParser.parse(
                "permessage-deflate; client_max_window_bits; server_max_window_bits=10, permessage-deflate;"
                        + " client_max_window_bits");

        assertThat(offers)
                .containsExactly(
                        offer("permessage-deflate", "client_max_window_bits", null, "server_max_window_bits", "10"),
                        offer("permessage-deflate", "client_max_window_bits", null));
    }

    @Test
    void parsesRfc7692QuotedWindowBits() throws Exception {
        // RFC 7692 §7.1.2.1: client_max_window_bits="10" is the same as client_max_window_bits=10.
        assertThat(ExtensionHeaderParser.parse("permessage-deflate; client_max_window_bits=\"10\""))
                .containsExactly(offer("permessage-deflate", "client_max_window_bits", "10"));
    }

    @Test
    void unescapesBackslashesInQuotedStrings() throws Exception {
        assertThat(ExtensionHeaderParser.parse("x; a=\"1\\0\"; b=\"\\a\\b\""))
                .containsExactly(offer("x", "a", "10", "b", "ab"));
    }

    @Test
    void acceptsOptionalWhitespaceEverywhereTheGrammarAllowsIt() throws Exception {
        assertThat(ExtensionHeaderParser.parse(" \tfoo ;\ta = 1 ; b\t, bar ; c = \"2\" \t"))
                .containsExactly(offer("foo", "a", "1", "b", null), offer("bar", "c", "2"));
    }

    @Test
    void combinesSeveralHeaderLinesInOrder() throws Exception {
        assertThat(ExtensionHeaderParser.parse(List.of("a; x", "b, c")))
                .containsExactly(offer("a", "x", null), offer("b"), offer("c"));
    }

    @Test
    void ignoresEmptyListElements() throws Exception {
        // RFC 9110 §5.6.1: a recipient MUST accept and ignore empty list elements.
        assertThat(ExtensionHeaderParser.parse(", a ,, b,")).containsExactly(offer("a"), offer("b"));
    }

    @Test
    void keepsParametersWithoutValueApartFromEmptyOnes() throws Exception {
        ExtensionOffer parsed = ExtensionHeaderParser.parse("x; flag").get(0);

        assertThat(parsed.parameter("FLAG")).isEqualTo(new Parameter("flag", null));
        assertThat(parsed.parameter("other")).isNull();
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "", // 1#extension needs one
                " , ",
                "x;", // a parameter name is required after ';'
                "x; ;y",
                "x; a=", // a value is required after '='
                "x; a=\"\"", // "" unescaped is not a token (RFC 6455 §9.1)
                "x; a=\"1 2\"", // nor is "1 2"
                "x; a=\"1,2\"",
                "x; a=\"10", // unterminated
                "x; a=\"10\\", // escape at the end
                "x; a=\"1\u00012\"", // control character
                "x y",
                "x; a b",
                "x; a=1=2",
                "x(y)",
                ";x",
                "=x",
                "x; a=@",
                "\u20ac"
            })
    void refusesBadSyntaxWith400(String value) {
        assertThatThrownBy(() -> ExtensionHeaderParser.parse(value))
                .isInstanceOf(HandshakeException.class)
                .satisfies(e -> assertThat(((HandshakeException) e).status()).isEqualTo(400))
                .hasMessageStartingWith("Sec-WebSocket-Extensions");
    }

    @Test
    void errorNamesThePositionAndWhatWasFound() {
        assertThatThrownBy(() -> ExtensionHeaderParser.parse("foo; a=1 b"))
                .hasMessage("Sec-WebSocket-Extensions \"foo; a=1 b\" is malformed at offset 9:"
                        + " expected ',' or ';', found 'b'.");
        assertThatThrownBy(() -> ExtensionHeaderParser.parse("foo; a=\"x y\""))
                .hasMessageContaining("at offset 7: expected a quoted value that is a token once unescaped");
    }

    @Test
    void rendersOffersSoThatTheyParseBack() throws Exception {
        List<ExtensionOffer> offers = List.of(
                offer("permessage-deflate", "client_max_window_bits", null, "server_max_window_bits", "10"),
                offer("x-other"));

        String rendered = ExtensionHeaderParser.render(offers);

        assertThat(rendered)
                .isEqualTo("permessage-deflate; client_max_window_bits; server_max_window_bits=10, x-other");
        assertThat(ExtensionHeaderParser.parse(rendered)).isEqualTo(offers);
    }

    @Test
    void offersRefuseNamesAndValuesOutsideTheGrammar() {
        assertThatThrownBy(() -> new ExtensionOffer("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Parameter("a;", null)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Parameter("a", "1\r\n")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void runsInLinearTimeOnLongInput() throws Exception {
        String many = "x; a=1, ".repeat(20_000);

        assertThat(ExtensionHeaderParser.parse(many)).hasSize(20_000);
    }
}
