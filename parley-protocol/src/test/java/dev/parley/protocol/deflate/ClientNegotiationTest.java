package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.handshake.ExtensionOffer;
import dev.parley.protocol.handshake.HandshakeException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PerMessageDeflate#offer} and {@link PerMessageDeflate#validateResponse}. */
class ClientNegotiationTest {
    /** Asks for nothing and offers no window parameter. */
    private static final DeflateConfig PLAIN = DeflateConfig.defaults()
            .withSharing(DeflateConfig.Sharing.DEDICATED)
            .withLocalNoContextTakeover(false)
            .withPeerNoContextTakeover(false);

    private static final DeflateConfig OFFERS_WINDOW = PLAIN.withOfferClientMaxWindowBits(true);

    private static DeflateParameters validate(String response, DeflateConfig config) throws HandshakeException {
        return PerMessageDeflate.validateResponse(Header.parseOne(response), config);
    }

    @Test
    void defaultOfferPromisesNothingAndAsksNothing() {
        assertThat(PerMessageDeflate.offer(DeflateConfig.defaults()).toString()).isEqualTo("permessage-deflate");
    }

    @Test
    void promisingNoContextTakeoverOffersClientNoContextTakeover() {
        assertThat(PerMessageDeflate.offer(DeflateConfig.defaults().withLocalNoContextTakeover(true))
                        .toString())
                .isEqualTo("permessage-deflate; client_no_context_takeover");
    }

    @Test
    void askingThePeerForNoContextTakeoverOffersServerNoContextTakeover() {
        assertThat(PerMessageDeflate.offer(DeflateConfig.defaults().withPeerNoContextTakeover(true))
                        .toString())
                .isEqualTo("permessage-deflate; server_no_context_takeover");
    }

    @Test
    void plainOfferIsBare() {
        assertThat(PerMessageDeflate.offer(PLAIN).toString()).isEqualTo("permessage-deflate");
    }

    @Test
    void clientMaxWindowBitsIsOfferedWithoutAValueOnlyWhenConfigured() {
        assertThat(PerMessageDeflate.offer(OFFERS_WINDOW).toString())
                .isEqualTo("permessage-deflate; client_max_window_bits");
    }

    @Test
    void noConfigurationOffersAWindowValue() {
        for (boolean local : new boolean[] {false, true}) {
            for (boolean peer : new boolean[] {false, true}) {
                for (boolean window : new boolean[] {false, true}) {
                    DeflateConfig config = PLAIN.withLocalNoContextTakeover(local)
                            .withPeerNoContextTakeover(peer)
                            .withOfferClientMaxWindowBits(window);
                    assertThat(PerMessageDeflate.offer(config).parameters())
                            .allSatisfy(p -> assertThat(p.value()).isNull());
                }
            }
        }
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate                                   | false | false | 15 | 15
            permessage-deflate; server_no_context_takeover       | true  | false | 15 | 15
            permessage-deflate; client_no_context_takeover       | false | true  | 15 | 15
            permessage-deflate; server_max_window_bits=8         | false | false |  8 | 15
            permessage-deflate; server_max_window_bits=10        | false | false | 10 | 15
            permessage-deflate; server_max_window_bits="12"      | false | false | 12 | 15
            permessage-deflate; server_max_window_bits=15        | false | false | 15 | 15
            Permessage-Deflate; SERVER_NO_CONTEXT_TAKEOVER; client_no_context_takeover; server_max_window_bits=9 | true | true | 9 | 15
            """)
    void acceptsValidResponses(String response, boolean serverNct, boolean clientNct, int serverBits, int clientBits)
            throws HandshakeException {
        assertThat(validate(response, PLAIN))
                .isEqualTo(new DeflateParameters(serverNct, clientNct, serverBits, clientBits));
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate; mux                                          | mux is not a permessage-deflate parameter
            permessage-deflate; x=1                                          | x is not a permessage-deflate parameter
            permessage-deflate; server_no_context_takeover=1                 | server_no_context_takeover takes no value
            permessage-deflate; client_no_context_takeover=yes               | client_no_context_takeover takes no value
            permessage-deflate; server_no_context_takeover; server_no_context_takeover | server_no_context_takeover appears twice
            permessage-deflate; server_max_window_bits=10; server_max_window_bits=10   | server_max_window_bits appears twice
            permessage-deflate; server_max_window_bits                       | server_max_window_bits needs a value
            permessage-deflate; server_max_window_bits=16                    | server_max_window_bits must be 8..15
            permessage-deflate; server_max_window_bits=7                     | server_max_window_bits must be 8..15
            permessage-deflate; server_max_window_bits=010                   | server_max_window_bits must be 8..15 without leading zeros
            permessage-deflate; client_max_window_bits=15                    | client_max_window_bits, which the client did not offer
            permessage-deflate; client_max_window_bits                       | client_max_window_bits needs a value
            """)
    void rejectsInvalidResponses(String response, String message) {
        assertThatThrownBy(() -> validate(response, PLAIN))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining(message)
                .satisfies(e -> assertThat(((HandshakeException) e).status()).isZero());
    }

    @Test
    void clientMaxWindowBitsFifteenIsFineWhenOffered() throws HandshakeException {
        assertThat(validate("permessage-deflate; client_max_window_bits=15", OFFERS_WINDOW))
                .isEqualTo(DeflateParameters.defaults());
    }

    @ParameterizedTest
    @CsvSource({"8", "9", "14"})
    void clientMaxWindowBitsBelowFifteenCannotBeHonouredByTheJdkDeflater(String bits) {
        assertThatThrownBy(() -> validate("permessage-deflate; client_max_window_bits=" + bits, OFFERS_WINDOW))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("client_max_window_bits to " + bits)
                .hasMessageContaining("JDK Deflater");
    }

    @Test
    void clientMaxWindowBitsWithoutValueIsInvalidEvenWhenOffered() {
        assertThatThrownBy(() -> validate("permessage-deflate; client_max_window_bits", OFFERS_WINDOW))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("needs a value");
    }

    @Test
    void serverMustRepeatTheServerNoContextTakeoverWeOffered() {
        assertThatThrownBy(() ->
                        validate("permessage-deflate", DeflateConfig.defaults().withPeerNoContextTakeover(true)))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("server_no_context_takeover");
    }

    @Test
    void byDefaultAServerThatKeepsItsContextIsAccepted() throws HandshakeException {
        assertThat(validate("permessage-deflate", DeflateConfig.defaults())).isEqualTo(DeflateParameters.defaults());
    }

    @Test
    void ourOfferedClientNoContextTakeoverHoldsEvenIfTheServerDoesNotRepeatIt() throws HandshakeException {
        assertThat(validate(
                        "permessage-deflate; server_no_context_takeover",
                        DeflateConfig.defaults().withLocalNoContextTakeover(true)))
                .isEqualTo(new DeflateParameters(true, true, 15, 15));
    }

    @Test
    void responseOfAnotherExtensionIsCallerMisuse() {
        assertThatThrownBy(() -> validate("x-webkit-deflate-frame", PLAIN))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void responseListWithoutPermessageDeflateMeansDeclined() throws HandshakeException {
        assertThat(PerMessageDeflate.validateResponse(Header.parse("foo; a=1"), PLAIN))
                .isEmpty();
        assertThat(PerMessageDeflate.validateResponse(List.of(), PLAIN)).isEmpty();
    }

    @Test
    void responseListFindsPermessageDeflateAmongOtherExtensions() throws HandshakeException {
        assertThat(PerMessageDeflate.validateResponse(
                        Header.parse("foo, permessage-deflate; server_no_context_takeover"), PLAIN))
                .contains(new DeflateParameters(true, false, 15, 15));
    }

    @Test
    void responseListWithPermessageDeflateTwiceFails() {
        assertThatThrownBy(() -> PerMessageDeflate.validateResponse(
                        Header.parse("permessage-deflate, permessage-deflate"), PLAIN))
                .isInstanceOf(HandshakeException.class)
                .hasMessageContaining("twice");
    }

    @Test
    void serverAndClientAgreeOnTheSameParametersForEveryConfiguration() throws HandshakeException {
        List<DeflateConfig> configs = List.of(
                PLAIN,
                OFFERS_WINDOW,
                DeflateConfig.defaults(),
                PLAIN.withPeerNoContextTakeover(true),
                PLAIN.withLocalNoContextTakeover(true),
                DeflateConfig.defaults().withOfferClientMaxWindowBits(true));
        for (DeflateConfig client : configs) {
            for (DeflateConfig server : configs) {
                ExtensionOffer offer = PerMessageDeflate.offer(client);
                PerMessageDeflate.Agreement agreement =
                        PerMessageDeflate.accept(List.of(offer), server).orElseThrow();
                assertThat(PerMessageDeflate.validateResponse(agreement.response(), client))
                        .as("client %s, server %s", client, server)
                        .isEqualTo(agreement.parameters());
            }
        }
    }
}
