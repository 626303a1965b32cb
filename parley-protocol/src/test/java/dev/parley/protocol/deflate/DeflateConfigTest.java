package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.deflate.DeflateConfig.Sharing;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeflateConfigTest {

    @Test
    void defaultsAreTheDocumentedOnes() {
        DeflateConfig d = DeflateConfig.defaults();
        assertThat(d.compressionLevel()).isEqualTo(1);
        assertThat(d.localNoContextTakeover()).isFalse();
        assertThat(d.peerNoContextTakeover()).isFalse();
        assertThat(d.sharing()).isEqualTo(Sharing.ADAPTIVE);
        assertThat(d.minMessageSize()).isEqualTo(256);
        assertThat(d.offerClientMaxWindowBits()).isFalse();
        assertThat(d.maxKeptContexts()).isEqualTo(512);
    }

    @Test
    void sharedCompressorsNeedNoContextTakeoverOnOurSide() {
        assertThatThrownBy(() -> new DeflateConfig(1, false, true, Sharing.SHARED_PER_THREAD, 0, false, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("SHARED_PER_THREAD needs localNoContextTakeover");
    }

    @Test
    void keepingContextSwitchesSharedCompressorsToDedicatedOnes() {
        DeflateConfig c =
                DeflateConfig.defaults().withSharing(Sharing.SHARED_PER_THREAD).withLocalNoContextTakeover(false);
        assertThat(c.sharing()).isEqualTo(Sharing.DEDICATED);
        assertThat(c.localNoContextTakeover()).isFalse();
    }

    @Test
    void adaptiveSharingStaysWhateverOurSidePromises() {
        DeflateConfig c = DeflateConfig.defaults().withLocalNoContextTakeover(true);
        assertThat(c.sharing()).isEqualTo(Sharing.ADAPTIVE);
        assertThat(c.withLocalNoContextTakeover(false).sharing()).isEqualTo(Sharing.ADAPTIVE);
    }

    @Test
    void negativeKeptContextBoundIsMisuse() {
        assertThatThrownBy(() -> DeflateConfig.defaults().withMaxKeptContexts(-1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("maxKeptContexts");
    }

    @Test
    void sharingSwitchesContextTakeoverOff() {
        DeflateConfig c = DeflateConfig.defaults().withSharing(Sharing.SHARED_PER_THREAD);
        assertThat(c.localNoContextTakeover()).isTrue();
    }

    @Test
    void dedicatedCompressorsMayStillResetPerMessage() {
        DeflateConfig c =
                DeflateConfig.defaults().withLocalNoContextTakeover(true).withSharing(Sharing.DEDICATED);
        assertThat(c.localNoContextTakeover()).isTrue();
    }

    @Test
    void withersChangeOneSettingEach() {
        DeflateConfig d = DeflateConfig.defaults();
        assertThat(d.withCompressionLevel(9).compressionLevel()).isEqualTo(9);
        assertThat(d.withPeerNoContextTakeover(false).peerNoContextTakeover()).isFalse();
        assertThat(d.withMinMessageSize(0).minMessageSize()).isZero();
        assertThat(d.withMaxKeptContexts(3).maxKeptContexts()).isEqualTo(3);
        assertThat(d.withOfferClientMaxWindowBits(true).offerClientMaxWindowBits())
                .isTrue();
        assertThat(d.withCompressionLevel(9).withCompressionLevel(1)).isEqualTo(d);
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 10})
    void compressionLevelOutside0To9IsMisuse(int level) {
        assertThatThrownBy(() -> DeflateConfig.defaults().withCompressionLevel(level))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void negativeMinimumSizeIsMisuse() {
        assertThatThrownBy(() -> DeflateConfig.defaults().withMinMessageSize(-1))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void sharingIsRequired() {
        assertThatThrownBy(() -> new DeflateConfig(1, true, true, null, 0, false, 0))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
