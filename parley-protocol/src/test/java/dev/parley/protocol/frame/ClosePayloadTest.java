package dev.parley.protocol.frame;

import static dev.parley.protocol.frame.Hex.hex;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** {@link ClosePayload}: the body of a close frame, RFC 6455 §5.5.1 and §7.4. */
class ClosePayloadTest {

    private static ProtocolException parseFailure(ByteBuffer payload) {
        try {
            ClosePayload.parse(payload);
        } catch (ProtocolException e) {
            return e;
        }
        throw new AssertionError("accepted " + payload);
    }

    @Test
    void emptyPayloadIsNoStatusReceived() throws ProtocolException {
        assertThat(ClosePayload.parse(ByteBuffer.allocate(0)))
                .isEqualTo(new Event.Close(CloseStatus.NO_STATUS_RECEIVED, ""));
    }

    @Test
    void oneBytePayloadFailsWith1002() {
        ProtocolException e = parseFailure(ByteBuffer.wrap(hex("03"))); // half a code

        assertThat(e.violation()).isEqualTo(ProtocolViolation.CLOSE_PAYLOAD_TOO_SHORT);
        assertThat(e.closeStatus().code()).isEqualTo(1002);
    }

    @Test
    void everyCodeIsAcceptedExactlyWhenItMayBeSent() throws ProtocolException {
        byte[] payload = new byte[2];
        for (int code = 0; code <= 0xFFFF; code++) {
            payload[0] = (byte) (code >>> 8);
            payload[1] = (byte) code;
            if (CloseStatus.isValidOnWire(code)) {
                assertThat(ClosePayload.parse(ByteBuffer.wrap(payload)).status().code())
                        .isEqualTo(code);
            } else {
                ProtocolException e = parseFailure(ByteBuffer.wrap(payload));
                assertThat(e.violation()).as("code %d", code).isEqualTo(ProtocolViolation.INVALID_CLOSE_CODE);
                assertThat(e.closeStatus().code()).isEqualTo(1002);
            }
        }
    }

    @Test
    void codesValidOnTheWireMatchRfc6455AndTheIanaRegistry() {
        // §7.4.1 and §7.4.2, and the IANA registry for 1012-1014.
        assertThat(IntStream.rangeClosed(0, 0xFFFF).filter(CloseStatus::isValidOnWire))
                .containsExactlyElementsOf(IntStream.concat(
                                IntStream.concat(IntStream.rangeClosed(1000, 1003), IntStream.rangeClosed(1007, 1014)),
                                IntStream.rangeClosed(3000, 4999))
                        .boxed()
                        .toList());
        for (int invalid : new int[] {0, 999, 1004, 1005, 1006, 1015, 1016, 2000, 2999, 5000, 65535}) {
            assertThat(CloseStatus.isValidOnWire(invalid)).as("%d", invalid).isFalse();
        }
    }

    @Test
    void codeAndReasonAreParsedWithoutMovingTheBuffer() throws ProtocolException {
        ByteBuffer payload = ByteBuffer.wrap(hex("ff 0fa0 cebae1bdb9cf83cebcceb5 ff"), 1, 13); // 4000 "κόσμε"

        Event.Close close = ClosePayload.parse(payload);

        assertThat(close).isEqualTo(new Event.Close(CloseStatus.of(4000), "\u03ba\u1f79\u03c3\u03bc\u03b5"));
        assertThat(payload.position()).isEqualTo(1);
        assertThat(payload.remaining()).isEqualTo(13);
    }

    @ParameterizedTest(name = "reason {0}")
    @ValueSource(strings = {"ff", "c0af", "eda080", "f4908080", "ce"})
    void invalidUtf8ReasonFailsWith1007(String reason) {
        ProtocolException e = parseFailure(ByteBuffer.wrap(hex("03e8" + reason))); // 1000, bad reason

        assertThat(e.violation()).isEqualTo(ProtocolViolation.INVALID_UTF8);
        assertThat(e.closeStatus().code()).isEqualTo(1007);
    }

    @Test
    void buildWritesTheCodeAndTheReason() {
        assertThat(ClosePayload.build(CloseStatus.NORMAL, "bye")).isEqualTo(ByteBuffer.wrap(hex("03e8 627965")));
        assertThat(ClosePayload.build(CloseStatus.of(4999), "")).isEqualTo(ByteBuffer.wrap(hex("1387")));
    }

    @Test
    void buildWithNoStatusIsAnEmptyPayload() {
        assertThat(ClosePayload.build(CloseStatus.NO_STATUS_RECEIVED, "").remaining())
                .isZero();
        assertThatThrownBy(() -> ClosePayload.build(CloseStatus.NO_STATUS_RECEIVED, "why"))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "code {0}")
    @ValueSource(ints = {0, 999, 1004, 1006, 1015, 1016, 2999, 5000, 65535})
    void buildRefusesCodesThatMayNotBeSent(int code) {
        assertThatThrownBy(() -> ClosePayload.build(CloseStatus.of(code), ""))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void buildAcceptsA123ByteReasonAndRefuses124() {
        String accented = "é".repeat(61) + "a"; // 123 bytes of UTF-8 in 62 chars

        assertThat(ClosePayload.build(CloseStatus.NORMAL, "a".repeat(123)).remaining())
                .isEqualTo(125);
        assertThat(ClosePayload.build(CloseStatus.NORMAL, accented).remaining()).isEqualTo(125);
        assertThatThrownBy(() -> ClosePayload.build(CloseStatus.NORMAL, "a".repeat(124)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> ClosePayload.build(CloseStatus.NORMAL, "é".repeat(62)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @ParameterizedTest(name = "reason {0}")
    @ValueSource(strings = {"\uD800", "bye\uDC00", "\uDE00\uD83D", "é\uD800"})
    void buildRefusesUnpairedSurrogates(String reason) {
        assertThatThrownBy(() -> ClosePayload.build(CloseStatus.NORMAL, reason))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void builtPayloadsParseBack() throws ProtocolException {
        for (String reason : new String[] {"", "bye", "κόσμε", "\uD83D\uDE00", "x".repeat(123)}) {
            ByteBuffer payload = ClosePayload.build(CloseStatus.GOING_AWAY, reason);

            assertThat(ClosePayload.parse(payload)).isEqualTo(new Event.Close(CloseStatus.GOING_AWAY, reason));
        }
    }

    @Test
    void truncateKeepsShortReasonsAndCutsLongOnesAtACodePointBoundary() {
        assertThat(ClosePayload.truncate("short")).isEqualTo("short");
        assertThat(ClosePayload.truncate("a".repeat(123))).isEqualTo("a".repeat(123));
        assertThat(ClosePayload.truncate("a".repeat(200))).isEqualTo("a".repeat(123));
        assertThat(ClosePayload.truncate("é".repeat(100))).isEqualTo("é".repeat(61)); // 2-byte: 122 bytes
        assertThat(ClosePayload.truncate("€".repeat(100))).isEqualTo("€".repeat(41)); // 3-byte: 123 bytes
        assertThat(ClosePayload.truncate("\uD83D\uDE00".repeat(40))).isEqualTo("\uD83D\uDE00".repeat(30)); // 120
        assertThat(ClosePayload.truncate("ab" + "€".repeat(60))).isEqualTo("ab" + "€".repeat(40)); // 122
    }

    @Test
    void truncatedReasonsAlwaysBuild() {
        for (int prefix = 0; prefix < 4; prefix++) {
            for (String unit : new String[] {"é", "€", "\uD83D\uDE00"}) {
                String reason = "a".repeat(prefix) + unit.repeat(130);
                String cut = ClosePayload.truncate(reason);

                assertThat(reason).startsWith(cut);
                int bytes = cut.getBytes(StandardCharsets.UTF_8).length;
                assertThat(bytes).isBetween(ClosePayload.MAX_REASON_BYTES - 3, ClosePayload.MAX_REASON_BYTES);
                assertThat(ClosePayload.build(CloseStatus.NORMAL, cut).remaining())
                        .isEqualTo(2 + bytes);
            }
        }
    }
}
