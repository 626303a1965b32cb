package dev.parley.protocol;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The shared vocabulary: {@link Opcode}, {@link CloseStatus}, {@link Limits}, violations, roles. */
class ProtocolVocabularyTest {

    @Test
    void opcodeOfKnowsTheSixOpcodesOfRfc6455() {
        assertThat(Opcode.of(0x0)).isEqualTo(Opcode.CONTINUATION);
        assertThat(Opcode.of(0x1)).isEqualTo(Opcode.TEXT);
        assertThat(Opcode.of(0x2)).isEqualTo(Opcode.BINARY);
        assertThat(Opcode.of(0x8)).isEqualTo(Opcode.CLOSE);
        assertThat(Opcode.of(0x9)).isEqualTo(Opcode.PING);
        assertThat(Opcode.of(0xA)).isEqualTo(Opcode.PONG);
        for (int code : new int[] {3, 4, 5, 6, 7, 0xB, 0xC, 0xD, 0xE, 0xF}) {
            assertThat(Opcode.of(code)).as("0x%X", code).isNull();
        }
        for (Opcode opcode : Opcode.values()) {
            assertThat(Opcode.of(opcode.code())).isSameAs(opcode);
        }
    }

    @Test
    void opcodeOfRefusesValuesOutsideFourBits() {
        assertThatThrownBy(() -> Opcode.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Opcode.of(16)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void controlOpcodesAreThoseWithTheHighBit() {
        assertThat(EnumSet.allOf(Opcode.class).stream().filter(Opcode::isControl))
                .containsExactlyInAnyOrder(Opcode.CLOSE, Opcode.PING, Opcode.PONG);
    }

    @Test
    void roleHasThePeer() {
        assertThat(Role.CLIENT.peer()).isEqualTo(Role.SERVER);
        assertThat(Role.SERVER.peer()).isEqualTo(Role.CLIENT);
    }

    @Test
    void closeStatusIsAValueEqualByCode() {
        assertThat(CloseStatus.of(1000)).isSameAs(CloseStatus.NORMAL);
        assertThat(CloseStatus.of(1015)).isSameAs(CloseStatus.TLS_HANDSHAKE);
        assertThat(CloseStatus.of(4000)).isEqualTo(CloseStatus.of(4000)).hasSameHashCodeAs(CloseStatus.of(4000));
        assertThat(CloseStatus.of(4000)).isNotEqualTo(CloseStatus.of(4001));
        assertThat(CloseStatus.of(1004)).isEqualTo(CloseStatus.of(1004));
        assertThat(CloseStatus.of(1004).code()).isEqualTo(1004);
        assertThat(CloseStatus.NORMAL).hasToString("1000 (normal closure)");
        assertThat(CloseStatus.of(4000).description()).isEqualTo("application code");
        assertThat(CloseStatus.of(3000).description()).isEqualTo("registered code");
        assertThat(CloseStatus.of(1004).description()).isEqualTo("reserved code");
        assertThat(CloseStatus.of(0).code()).isZero();
        assertThat(CloseStatus.of(65535).code()).isEqualTo(65535);
    }

    @Test
    void closeStatusConstantsCarryTheirRfcCodes() {
        assertThat(Arrays.asList(
                                CloseStatus.NORMAL,
                                CloseStatus.GOING_AWAY,
                                CloseStatus.PROTOCOL_ERROR,
                                CloseStatus.UNSUPPORTED_DATA,
                                CloseStatus.NO_STATUS_RECEIVED,
                                CloseStatus.ABNORMAL_CLOSURE,
                                CloseStatus.INVALID_PAYLOAD,
                                CloseStatus.POLICY_VIOLATION,
                                CloseStatus.MESSAGE_TOO_BIG,
                                CloseStatus.MANDATORY_EXTENSION,
                                CloseStatus.INTERNAL_ERROR,
                                CloseStatus.SERVICE_RESTART,
                                CloseStatus.TRY_AGAIN_LATER,
                                CloseStatus.BAD_GATEWAY,
                                CloseStatus.TLS_HANDSHAKE)
                        .stream()
                        .map(CloseStatus::code))
                .containsExactly(
                        1000, 1001, 1002, 1003, 1005, 1006, 1007, 1008, 1009, 1010, 1011, 1012, 1013, 1014, 1015);
        assertThat(CloseStatus.NO_STATUS_RECEIVED.isValidOnWire()).isFalse();
        assertThat(CloseStatus.ABNORMAL_CLOSURE.isValidOnWire()).isFalse();
        assertThat(CloseStatus.TLS_HANDSHAKE.isValidOnWire()).isFalse();
        assertThat(CloseStatus.NORMAL.isValidOnWire()).isTrue();
    }

    @Test
    void closeStatusRefusesCodesOutsideTwoBytes() {
        assertThatThrownBy(() -> CloseStatus.of(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CloseStatus.of(65536)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void isValidOnWireRefusesEverythingOutsideItsRanges() {
        assertThat(IntStream.of(-1, 999, 1004, 1005, 1006, 1015, 1016, 2999, 5000, 65536, Integer.MAX_VALUE)
                        .filter(CloseStatus::isValidOnWire))
                .isEmpty();
    }

    @Test
    void limitsDefaultsAndWithers() {
        Limits defaults = Limits.defaults();

        assertThat(defaults).isEqualTo(new Limits(1 << 20, 1 << 20, 4096));
        assertThat(defaults.withMaxFramePayload(7)).isEqualTo(new Limits(7, 1 << 20, 4096));
        assertThat(defaults.withMaxMessageSize(8)).isEqualTo(new Limits(1 << 20, 8, 4096));
        assertThat(defaults.withMaxFragments(9)).isEqualTo(new Limits(1 << 20, 1 << 20, 9));
        assertThat(new Limits(0, 0, 1)).isNotNull();
    }

    @Test
    void limitsRefuseImpossibleValues() {
        assertThatThrownBy(() -> new Limits(-1, 1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(1, -1, 1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Limits(1, 1, 0)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Limits.defaults().withMaxFragments(-1)).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void violationsCloseWithTheirRfcCodes() {
        Set<ProtocolViolation> invalidPayload =
                EnumSet.of(ProtocolViolation.INVALID_UTF8, ProtocolViolation.INVALID_COMPRESSED_DATA);
        Set<ProtocolViolation> tooBig = EnumSet.of(
                ProtocolViolation.FRAME_TOO_BIG,
                ProtocolViolation.MESSAGE_TOO_BIG,
                ProtocolViolation.TOO_MANY_FRAGMENTS);
        for (ProtocolViolation violation : ProtocolViolation.values()) {
            int expected = invalidPayload.contains(violation) ? 1007 : tooBig.contains(violation) ? 1009 : 1002;
            assertThat(violation.closeStatus().code()).as(violation.name()).isEqualTo(expected);
        }
    }

    @ParameterizedTest
    @EnumSource(ProtocolViolation.class)
    void exceptionMessageFitsAsACloseReason(ProtocolViolation violation) {
        ProtocolException e = new ProtocolException(violation, "9223372036854775807 bytes > limit 9223372036854775806");

        assertThat(e.violation()).isEqualTo(violation);
        assertThat(e.closeStatus()).isEqualTo(violation.closeStatus());
        assertThat(e.getMessage()).startsWith(violation.description() + ": ");
        assertThat(e.getMessage().getBytes(StandardCharsets.UTF_8)).hasSizeLessThanOrEqualTo(123);
        assertThat(new ProtocolException(violation).getMessage()).isEqualTo(violation.description());
        assertThat(new ProtocolException(violation, "").getMessage()).isEqualTo(violation.description());
        assertThat(e.getStackTrace()).isEmpty();
    }
}
