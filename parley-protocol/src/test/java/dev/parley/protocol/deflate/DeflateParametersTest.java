package dev.parley.protocol.deflate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.Role;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DeflateParametersTest {

    @Test
    void defaultsAreContextTakeoverAndFifteenBitWindowsBothWays() {
        DeflateParameters d = DeflateParameters.defaults();
        assertThat(d).isEqualTo(new DeflateParameters(false, false, 15, 15));
    }

    @Test
    void askingBySenderPicksTheRightSide() {
        DeflateParameters p = new DeflateParameters(true, false, 10, 12);
        assertThat(p.noContextTakeover(Role.SERVER)).isTrue();
        assertThat(p.noContextTakeover(Role.CLIENT)).isFalse();
        assertThat(p.maxWindowBits(Role.SERVER)).isEqualTo(10);
        assertThat(p.maxWindowBits(Role.CLIENT)).isEqualTo(12);
    }

    @Test
    void withersChangeOnlyTheNamedSender() {
        DeflateParameters d = DeflateParameters.defaults();
        assertThat(d.withNoContextTakeover(Role.CLIENT, true)).isEqualTo(new DeflateParameters(false, true, 15, 15));
        assertThat(d.withNoContextTakeover(Role.SERVER, true)).isEqualTo(new DeflateParameters(true, false, 15, 15));
        assertThat(d.withMaxWindowBits(Role.CLIENT, 9)).isEqualTo(new DeflateParameters(false, false, 15, 9));
        assertThat(d.withMaxWindowBits(Role.SERVER, 9)).isEqualTo(new DeflateParameters(false, false, 9, 15));
    }

    @ParameterizedTest
    @ValueSource(ints = {-1, 0, 7, 16})
    void windowBitsOutside8To15AreMisuse(int bits) {
        assertThatThrownBy(() -> new DeflateParameters(false, false, bits, 15))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("serverMaxWindowBits");
        assertThatThrownBy(() -> new DeflateParameters(false, false, 15, bits))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("clientMaxWindowBits");
    }
}
