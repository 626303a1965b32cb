package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.deflate.PerMessageDeflate.Agreement;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@link PerMessageDeflate#accept}: which offer a server takes, what it answers, and what that means. */
class ServerNegotiationTest {
    /** Asks for nothing, so the response mirrors what the offer obliges us to say. */
    private static final DeflateConfig PLAIN = DeflateConfig.defaults()
            .withSharing(DeflateConfig.Sharing.DEDICATED)
            .withLocalNoContextTakeover(false)
            .withPeerNoContextTakeover(false);

    private static Optional<Agreement> accept(String header, DeflateConfig config) {
        return PerMessageDeflate.accept(Header.parse(header), config);
    }

    private static String response(String header, DeflateConfig config) {
        return accept(header, config).map(a -> a.response().toString()).orElse("DECLINED");
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate                                         | permessage-deflate
            permessage-deflate; server_no_context_takeover             | permessage-deflate; server_no_context_takeover
            permessage-deflate; client_no_context_takeover             | permessage-deflate; client_no_context_takeover
            permessage-deflate; server_max_window_bits=15              | permessage-deflate; server_max_window_bits=15
            permessage-deflate; server_max_window_bits="15"            | permessage-deflate; server_max_window_bits=15
            permessage-deflate; client_max_window_bits                 | permessage-deflate
            permessage-deflate; client_max_window_bits=8               | permessage-deflate
            permessage-deflate; client_max_window_bits=10              | permessage-deflate
            permessage-deflate; client_max_window_bits=15              | permessage-deflate
            permessage-deflate; client_max_window_bits="9"             | permessage-deflate
            PerMessage-Deflate; Server_No_Context_Takeover             | permessage-deflate; server_no_context_takeover
            permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15; client_max_window_bits=12 | permessage-deflate; server_no_context_takeover; client_no_context_takeover; server_max_window_bits=15
            """)
    void acceptsValidOffersAndAnswersWhatTheyOblige(String offer, String expected) {
        assertThat(response(offer, PLAIN)).isEqualTo(expected);
    }

    @ParameterizedTest(name = "{0}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate; server_max_window_bits=14              | JDK Deflater only compresses with 15 bits
            permessage-deflate; server_max_window_bits=8               | JDK Deflater only compresses with 15 bits
            permessage-deflate; server_max_window_bits                 | value required
            permessage-deflate; server_max_window_bits=16              | out of range
            permessage-deflate; server_max_window_bits=7               | out of range
            permessage-deflate; server_max_window_bits=015             | leading zero
            permessage-deflate; server_max_window_bits=0x0f            | not decimal
            permessage-deflate; client_max_window_bits=7               | out of range
            permessage-deflate; client_max_window_bits=16              | out of range
            permessage-deflate; client_max_window_bits=09              | leading zero
            permessage-deflate; client_max_window_bits=+9              | sign
            permessage-deflate; client_max_window_bits=abc             | not a number
            permessage-deflate; server_no_context_takeover=true        | flag with a value
            permessage-deflate; client_no_context_takeover=1           | flag with a value
            permessage-deflate; mux                                    | unknown parameter
            permessage-deflate; x=1                                    | unknown parameter with value
            permessage-deflate; server_no_context_takeover; server_no_context_takeover | duplicate flag
            permessage-deflate; client_no_context_takeover; Client_No_Context_Takeover | duplicate flag, other case
            permessage-deflate; server_max_window_bits=15; server_max_window_bits=15   | duplicate window
            permessage-deflate; client_max_window_bits; client_max_window_bits=10      | duplicate window
            x-webkit-deflate-frame                                     | another extension
            permessage-deflate-x                                       | another extension
            """)
    void declinesInvalidOrUnsupportedOffers(String offer, String why) {
        assertThat(accept(offer, PLAIN)).as(why).isEmpty();
        assertThat(accept(offer, DeflateConfig.defaults())).as(why).isEmpty();
    }

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource(delimiter = '|', textBlock = """
            permessage-deflate; server_max_window_bits=10, permessage-deflate; client_max_window_bits | permessage-deflate
            foo, permessage-deflate; bogus, permessage-deflate; server_no_context_takeover | permessage-deflate; server_no_context_takeover
            permessage-deflate; client_no_context_takeover, permessage-deflate           | permessage-deflate; client_no_context_takeover
            permessage-deflate, permessage-deflate; client_no_context_takeover           | permessage-deflate
            foo; a=1, bar                                                                | DECLINED
            permessage-deflate; server_max_window_bits=9, permessage-deflate; x          | DECLINED
            """)
    void takesTheFirstAcceptableOfSeveralOffers(String header, String expected) {
        assertThat(response(header, PLAIN)).isEqualTo(expected);
    }

    @Test
    void noOffersMeansNoAgreement() {
        assertThat(PerMessageDeflate.accept(List.of(), DeflateConfig.defaults()))
                .isEmpty();
    }

    @Test
    void defaultsPromiseNothingAndAskNothing() {
        Agreement a = accept("permessage-deflate", DeflateConfig.defaults()).orElseThrow();
        assertThat(a.response().toString()).isEqualTo("permessage-deflate");
        assertThat(a.parameters()).isEqualTo(DeflateParameters.defaults());
    }

    @Test
    void promisingNoContextTakeoverSaysSo() {
        Agreement a = accept("permessage-deflate", DeflateConfig.defaults().withLocalNoContextTakeover(true))
                .orElseThrow();
        assertThat(a.response().toString()).isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(a.parameters()).isEqualTo(new DeflateParameters(true, false, 15, 15));
    }

    @Test
    void askingTheClientForNoContextTakeoverAddsItToABareOffer() {
        Agreement a = accept("permessage-deflate", DeflateConfig.defaults().withPeerNoContextTakeover(true))
                .orElseThrow();
        assertThat(a.response().toString()).isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(a.parameters()).isEqualTo(new DeflateParameters(false, true, 15, 15));
    }

    @Test
    void bareOfferWithPlainConfigKeepsContextTakeoverBothWays() {
        Agreement a = accept("permessage-deflate", PLAIN).orElseThrow();
        assertThat(a.parameters()).isEqualTo(DeflateParameters.defaults());
    }

    @Test
    void serverNoContextTakeoverInTheOfferIsHonouredEvenIfWeWouldKeepContext() {
        Agreement a =
                accept("permessage-deflate; server_no_context_takeover", PLAIN).orElseThrow();
        assertThat(a.parameters()).isEqualTo(new DeflateParameters(true, false, 15, 15));
    }

    @Test
    void clientNoContextTakeoverInTheOfferIsRecordedInTheParameters() {
        Agreement a =
                accept("permessage-deflate; client_no_context_takeover", PLAIN).orElseThrow();
        assertThat(a.parameters()).isEqualTo(new DeflateParameters(false, true, 15, 15));
    }

    @Test
    void clientMaxWindowBitsHintLeavesTheClientWindowAtFifteen() {
        // We do not answer the parameter; the client may still use any window up to 15 bits,
        // and our 15-bit inflater reads all of them.
        Agreement a =
                accept("permessage-deflate; client_max_window_bits=9", PLAIN).orElseThrow();
        assertThat(a.parameters().clientMaxWindowBits()).isEqualTo(15);
        assertThat(a.response().parameters()).isEmpty();
    }

    @Test
    void askingForPeerNoContextTakeoverAddsItToTheResponse() {
        Agreement a = accept("permessage-deflate", PLAIN.withPeerNoContextTakeover(true))
                .orElseThrow();
        assertThat(a.response().toString()).isEqualTo("permessage-deflate; client_no_context_takeover");
        assertThat(a.parameters()).isEqualTo(new DeflateParameters(false, true, 15, 15));
    }

    @Test
    void sharedCompressorsAlwaysAnswerServerNoContextTakeover() {
        DeflateConfig shared = PLAIN.withSharing(DeflateConfig.Sharing.SHARED_PER_THREAD);
        Agreement a = accept("permessage-deflate", shared).orElseThrow();
        assertThat(a.response().toString()).isEqualTo("permessage-deflate; server_no_context_takeover");
        assertThat(a.parameters().serverNoContextTakeover()).isTrue();
    }
}
