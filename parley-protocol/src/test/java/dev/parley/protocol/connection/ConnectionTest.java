package dev.parley.protocol.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import dev.parley.protocol.connection.Connection.Initiator;
import dev.parley.protocol.connection.Connection.State;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Client and server connections wired back to back in memory: no sockets, real bytes. */
class ConnectionTest {
    private Connection client = new Connection(Role.CLIENT);
    private Connection server = new Connection(Role.SERVER);
    private final List<Event> atClient = new ArrayList<>();
    private final List<Event> atServer = new ArrayList<>();

    /** Every event must have been asserted and taken. */
    @AfterEach
    void nothingUnasserted() {
        assertThat(atClient).as("events at client").isEmpty();
        assertThat(atServer).as("events at server").isEmpty();
    }

    private void toServer() {
        server.receive(client.takeOutputJoined(), atServer::add);
    }

    private void toClient() {
        client.receive(server.takeOutputJoined(), atClient::add);
    }

    private static Event take(List<Event> events) {
        assertThat(events).as("an event").isNotEmpty();
        return events.remove(0);
    }

    private static ByteBuffer bytes(String hex) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(hex.replace(" ", "")));
    }

    private static ByteBuffer utf8(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void textAndBinaryTravelBothWays() {
        client.send(new Event.Text("hello"));
        client.send(new Event.Binary(new byte[] {1, 2, 3}));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Text("hello"));
        assertThat(take(atServer)).isEqualTo(new Event.Binary(new byte[] {1, 2, 3}));

        server.send(new Event.Text("κόσμε"));
        toClient();
        assertThat(take(atClient)).isEqualTo(new Event.Text("κόσμε"));
    }

    @Test
    void clientFramesAreMaskedAndServerFramesAreNot() {
        client.send(new Event.Text("hi"));
        ByteBuffer fromClient = client.takeOutputJoined();
        assertThat(fromClient.get(1) & 0x80)
                .as("client MASK bit, RFC 6455 §5.1")
                .isEqualTo(0x80);
        server.send(new Event.Text("hi"));
        assertThat(server.takeOutputJoined()).isEqualTo(bytes("81 02 6869")); // unmasked text "hi"
    }

    @Test
    void piecesSentWithLastFalseArriveAsOneMessage() {
        client.send(new Event.Text("Hel", false));
        client.send(new Event.Ping(utf8("between fragments")));
        client.send(new Event.Text("lo", true));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Ping(utf8("between fragments")));
        assertThat(take(atServer)).isEqualTo(new Event.Text("Hello"));
        toClient(); // the automatic pong
        assertThat(take(atClient)).isEqualTo(new Event.Pong(utf8("between fragments")));
    }

    @Test
    void streamingDeliversOneEventPerFrameAndKeepsSplitCodePointsTogether() {
        server = new Connection(Role.SERVER, ConnectionConfig.defaults().withStreaming(true));
        byte[] euro = "€".getBytes(StandardCharsets.UTF_8); // E2 82 AC
        client.send(new Event.Binary(ByteBuffer.wrap(new byte[] {'a', euro[0]}), false));
        assertThatThrownBy(() -> client.send(new Event.Text("x")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("fragmented BINARY");
        client.send(new Event.Binary(ByteBuffer.wrap(new byte[] {euro[1], euro[2]}), true));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Binary(ByteBuffer.wrap(new byte[] {'a', euro[0]}), false));
        assertThat(take(atServer)).isEqualTo(new Event.Binary(ByteBuffer.wrap(new byte[] {euro[1], euro[2]}), true));

        // The same bytes as text: the first piece must not carry half of the euro sign.
        ByteBuffer frames = ByteBuffer.allocate(64);
        frames.put(bytes("01 82 00000000 61e2")); // TEXT, not final, masked with key 0: "a" + E2
        frames.put(bytes("80 82 00000000 82ac")); // CONTINUATION, final: 82 AC
        server.receive(frames.flip(), atServer::add);
        assertThat(take(atServer)).isEqualTo(new Event.Text("a", false));
        assertThat(take(atServer)).isEqualTo(new Event.Text("€", true));
    }

    @Test
    void outboundFrameSizeSplitsLargeMessages() {
        client = new Connection(Role.CLIENT, ConnectionConfig.defaults().withOutboundFrameSize(4));
        client.send(new Event.Text("0123456789"));
        ByteBuffer wire = client.takeOutputJoined();
        assertThat(wire.get(0) & 0xFF).as("first frame: TEXT, not final").isEqualTo(0x01);
        assertThat(wire.remaining())
                .as("three masked frames of 4, 4 and 2 bytes")
                .isEqualTo(3 * 6 + 10);
        server.receive(wire, atServer::add);
        assertThat(take(atServer)).isEqualTo(new Event.Text("0123456789"));
    }

    @Test
    void pingIsAnsweredWithAPongCarryingTheSameData() {
        client.send(new Event.Ping(utf8("rtt-1")));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Ping(utf8("rtt-1")));
        assertThat(server.takeOutputJoined()).isEqualTo(bytes("8a05 7274742d31")); // PONG "rtt-1"
    }

    @Test
    void severalPingsBeforeTheOutputIsTakenAreAnsweredOnlyOnceWithTheLatest() {
        client.send(new Event.Ping(utf8("1")));
        client.send(new Event.Ping(utf8("2")));
        client.send(new Event.Ping(utf8("3")));
        toServer();
        assertThat(List.of(take(atServer), take(atServer), take(atServer)))
                .containsExactly(new Event.Ping(utf8("1")), new Event.Ping(utf8("2")), new Event.Ping(utf8("3")));
        assertThat(server.takeOutputJoined()).as("RFC 6455 §5.5.3").isEqualTo(bytes("8a01 33"));
    }

    @Test
    void aHeldBackPongIsReplacedByTheNextPing() {
        client.send(new Event.Ping(utf8("old")));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Ping(utf8("old")));
        assertThat(server.onlyPongPending()).isTrue(); // a transport that is behind leaves it here
        client.send(new Event.Ping(utf8("new")));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Ping(utf8("new")));
        assertThat(server.takeOutputJoined()).isEqualTo(bytes("8a03 6e6577")); // one PONG "new"
        server.send(new Event.Text("x"));
        assertThat(server.onlyPongPending()).isFalse();
        server.takeOutput();
    }

    @Test
    void autoPongCanBeTurnedOff() {
        server = new Connection(Role.SERVER, ConnectionConfig.defaults().withAutoPong(false));
        client.send(new Event.Ping(utf8("x")));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Ping(utf8("x")));
        assertThat(server.hasOutput()).isFalse();
    }

    @Test
    void closeStartedByTheClientIsEchoedAndTracksWhoClosedFirst() {
        client.send(new Event.Close(CloseStatus.NORMAL, "bye"));
        assertThat(client.state()).isEqualTo(State.LOCAL_CLOSING);
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Close(CloseStatus.NORMAL, "bye"));
        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(server.closeInitiator()).isEqualTo(Initiator.REMOTE);
        toClient();
        assertThat(take(atClient)).isEqualTo(new Event.Close(CloseStatus.NORMAL, ""));
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(client.closeInitiator()).isEqualTo(Initiator.LOCAL);
        assertThat(client.failure()).isNull();
    }

    @Test
    void closeStartedByTheServerWithAnApplicationCode() {
        server.send(new Event.Close(CloseStatus.of(4001), "kicked"));
        toClient();
        assertThat(take(atClient)).isEqualTo(new Event.Close(CloseStatus.of(4001), "kicked"));
        assertThat(client.closeInitiator()).isEqualTo(Initiator.REMOTE);
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Close(CloseStatus.of(4001), ""));
        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(server.closeInitiator()).isEqualTo(Initiator.LOCAL);
    }

    @Test
    void bothSidesClosingAtOnceEndClosedWithoutASecondReply() {
        client.send(new Event.Close(CloseStatus.NORMAL));
        server.send(new Event.Close(CloseStatus.GOING_AWAY));
        toServer();
        toClient();
        assertThat(take(atServer)).isEqualTo(new Event.Close(CloseStatus.NORMAL));
        assertThat(take(atClient)).isEqualTo(new Event.Close(CloseStatus.GOING_AWAY));
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(client.hasOutput()).isFalse();
        assertThat(server.hasOutput()).isFalse();
        assertThat(client.closeInitiator()).isEqualTo(Initiator.LOCAL);
        assertThat(server.closeInitiator()).isEqualTo(Initiator.LOCAL);
    }

    @Test
    void closeWithoutCodeIsReportedAs1005AndAnsweredWithoutCode() {
        server.receive(bytes("88 80 00000000"), atServer::add); // masked empty CLOSE
        assertThat(take(atServer)).isEqualTo(new Event.Close(CloseStatus.NO_STATUS_RECEIVED));
        assertThat(server.takeOutputJoined()).as("1005 is never sent, §7.4.1").isEqualTo(bytes("8800"));
    }

    @Test
    void withoutAutoCloseReplyTheApplicationAnswers() {
        server = new Connection(Role.SERVER, ConnectionConfig.defaults().withAutoCloseReply(false));
        client.send(new Event.Close(CloseStatus.NORMAL));
        toServer();
        assertThat(take(atServer)).isEqualTo(new Event.Close(CloseStatus.NORMAL));
        assertThat(server.state()).isEqualTo(State.REMOTE_CLOSING);
        assertThat(server.hasOutput()).isFalse();
        server.send(new Event.Text("last words")); // allowed: §5.5.1 lets the current message finish
        server.send(new Event.Close(CloseStatus.NORMAL, "done"));
        assertThat(server.state()).isEqualTo(State.CLOSED);
        toClient();
        assertThat(take(atClient)).isEqualTo(new Event.Text("last words"));
        assertThat(take(atClient)).isEqualTo(new Event.Close(CloseStatus.NORMAL, "done"));
    }

    @Test
    void nothingButCloseRepliesMayBeSentAfterOwnClose() {
        client.send(new Event.Close(CloseStatus.NORMAL));
        assertThatThrownBy(() -> client.send(new Event.Text("late")))
                .isInstanceOf(IllegalStateException.class)
                .hasMessage("send TEXT in state LOCAL_CLOSING");
        assertThatThrownBy(() -> client.send(new Event.Ping(utf8("late")))).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> client.send(new Event.Close(CloseStatus.NORMAL)))
                .isInstanceOf(IllegalStateException.class);
        client.takeOutput();
    }

    @Test
    void framesAfterAReceivedCloseAreIgnored() {
        ByteBuffer wire = ByteBuffer.allocate(64);
        wire.put(bytes("88 82 00000000 03e8")); // CLOSE 1000
        wire.put(bytes("81 82 00000000 6869")); // TEXT "hi" after it
        wire.put(bytes("ff ff ff")); // and garbage
        server.receive(wire.flip(), atServer::add);
        assertThat(take(atServer)).isEqualTo(new Event.Close(CloseStatus.NORMAL));
        assertThat(server.state()).isEqualTo(State.CLOSED);
        server.receive(bytes("81 82 00000000 6869"), atServer::add);
    }

    @Test
    void protocolErrorYieldsFailureAndA1002CloseAndRefusesFurtherInput() {
        server.receive(bytes("81 02 6869"), atServer::add); // unmasked TEXT from a client
        Event.Failure failure = (Event.Failure) take(atServer);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.UNMASKED_CLIENT_FRAME);
        assertThat(failure.status()).isEqualTo(CloseStatus.PROTOCOL_ERROR);
        assertThat(server.state()).isEqualTo(State.CLOSED);
        assertThat(server.failure()).isEqualTo(failure);
        ByteBuffer close = server.takeOutputJoined();
        assertThat(close.get(0) & 0xFF).isEqualTo(0x88);
        assertThat(close.getShort(2)).isEqualTo((short) 1002);

        server.receive(bytes("81 82 00000000 6869"), atServer::add);
        assertThat(server.hasOutput()).isFalse();
    }

    @Test
    void invalidUtf8FailsAtTheFirstBadByteBeforeTheMessageEnds() {
        // First fragment of a text message holding ED A0 80 (a surrogate): fail with 1007 now,
        // without waiting for the rest of the message.
        server.receive(bytes("01 84 00000000 61eda080"), atServer::add);
        Event.Failure failure = (Event.Failure) take(atServer);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.INVALID_UTF8);
        assertThat(failure.status()).isEqualTo(CloseStatus.INVALID_PAYLOAD);
        assertThat(failure.message()).contains("at byte 2");
        assertThat(server.takeOutputJoined().getShort(2)).isEqualTo((short) 1007);
    }

    @Test
    void textEndingInsideACodePointIs1007() {
        server.receive(bytes("81 82 00000000 61e2"), atServer::add);
        assertThat(((Event.Failure) take(atServer)).violation()).isEqualTo(ProtocolViolation.INVALID_UTF8);
    }

    @Test
    void messageOverTheLimitAcrossFragmentsIs1009() {
        server = new Connection(
                Role.SERVER,
                ConnectionConfig.defaults().withLimits(Limits.defaults().withMaxMessageSize(4)));
        server.receive(bytes("02 83 00000000 010203"), atServer::add);
        assertThat(atServer).isEmpty();
        server.receive(bytes("80 82 00000000 0405"), atServer::add);
        Event.Failure failure = (Event.Failure) take(atServer);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.MESSAGE_TOO_BIG);
        assertThat(failure.message()).contains("5 bytes > limit 4");
        assertThat(server.takeOutputJoined().getShort(2)).isEqualTo((short) 1009);
    }

    @Test
    void invalidCloseCodesAndOneByteCloseArePrototolErrors() {
        server.receive(bytes("88 82 00000000 03ed"), atServer::add); // CLOSE 1005: never on the wire
        assertThat(((Event.Failure) take(atServer)).violation()).isEqualTo(ProtocolViolation.INVALID_CLOSE_CODE);

        Connection other = new Connection(Role.SERVER);
        List<Event> events = new ArrayList<>();
        other.receive(bytes("88 81 00000000 03"), events::add);
        assertThat(((Event.Failure) events.get(0)).violation()).isEqualTo(ProtocolViolation.CLOSE_PAYLOAD_TOO_SHORT);
    }

    @Test
    void closeReasonMustBeValidUtf8() {
        server.receive(bytes("88 84 00000000 03e8 c0af"), atServer::add);
        Event.Failure failure = (Event.Failure) take(atServer);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.INVALID_UTF8);
        assertThat(failure.message()).contains("close reason");
    }

    @Test
    void failureAfterOwnCloseDoesNotSendASecondClose() {
        server.send(new Event.Close(CloseStatus.NORMAL));
        server.takeOutput();
        server.receive(bytes("83 80 00000000"), atServer::add); // reserved opcode 3
        assertThat(((Event.Failure) take(atServer)).violation()).isEqualTo(ProtocolViolation.RESERVED_OPCODE);
        assertThat(server.hasOutput()).isFalse();
        assertThat(server.state()).isEqualTo(State.CLOSED);
    }

    @Test
    void transportLostBeforeTheCloseHandshakeIs1006() {
        client.send(new Event.Text("unsent"));
        assertThat(client.transportClosed()).isEqualTo(new Event.Close(CloseStatus.ABNORMAL_CLOSURE));
        assertThat(client.state()).isEqualTo(State.CLOSED);
        assertThat(client.hasOutput()).isFalse();
    }

    @Test
    void transportClosedAfterTheHandshakeRepeatsTheReceivedClose() {
        server.send(new Event.Close(CloseStatus.GOING_AWAY, "restart"));
        toClient();
        assertThat(take(atClient)).isEqualTo(new Event.Close(CloseStatus.GOING_AWAY, "restart"));
        assertThat(client.transportClosed()).isEqualTo(new Event.Close(CloseStatus.GOING_AWAY, "restart"));
    }

    @Test
    void sendRefusesWhatMayNotTravel() {
        assertThatThrownBy(() -> client.send(new Event.Close(CloseStatus.ABNORMAL_CLOSURE)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("1006");
        assertThatThrownBy(() -> client.send(new Event.Close(CloseStatus.NORMAL, "x".repeat(124))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("124 bytes");
        assertThatThrownBy(() -> client.send(new Event.Ping(ByteBuffer.allocate(126))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("125");
        assertThatThrownBy(() -> client.send(new Event.Text("bad \uD800 surrogate")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("unpaired surrogate");
        assertThatThrownBy(() -> client.send(new Event.Failure(ProtocolViolation.INVALID_UTF8, "x")))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(client.state()).isEqualTo(State.OPEN);
        assertThat(client.hasOutput()).isFalse();
    }

    @Test
    void everySplitOfTheInputGivesTheSameEvents() {
        client.send(new Event.Text("split me", false));
        client.send(new Event.Ping(utf8("p")));
        client.send(new Event.Text(" anywhere", true));
        client.send(new Event.Binary(new byte[300]));
        client.send(new Event.Close(CloseStatus.NORMAL, "end"));
        byte[] wire = toArray(client.takeOutputJoined());
        List<Event> expected = new Connection(Role.SERVER).receive(ByteBuffer.wrap(wire.clone()));
        assertThat(expected).hasSize(4);
        for (int cut = 0; cut <= wire.length; cut++) {
            Connection s = new Connection(Role.SERVER);
            List<Event> got = new ArrayList<>(s.receive(ByteBuffer.wrap(wire.clone(), 0, cut)));
            got.addAll(s.receive(ByteBuffer.wrap(wire.clone(), cut, wire.length - cut)));
            assertThat(got).as("split at %d", cut).isEqualTo(expected);
        }
        Connection s = new Connection(Role.SERVER);
        List<Event> got = new ArrayList<>();
        byte[] copy = wire.clone();
        for (int i = 0; i < copy.length; i++) {
            got.addAll(s.receive(ByteBuffer.wrap(copy, i, 1)));
        }
        assertThat(got).as("byte by byte").isEqualTo(expected);
    }

    private static byte[] toArray(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }

    @Test
    void aConnectionThatNeverSentHasNoOutputInEveryForm() {
        assertThat(server.hasOutput()).isFalse();
        assertThat(server.onlyPongPending()).isFalse();
        assertThat(server.takeOutput()).isEmpty();
        List<ByteBuffer> taken = new ArrayList<>();
        server.takeOutput(taken::add);
        assertThat(taken).isEmpty();
        assertThat(server.takeOutputJoined().remaining()).isZero();
        assertThat(server.outputBytes()).isZero();

        // after the transport closed, output starts afresh
        server.transportClosed();
        assertThat(server.hasOutput()).isFalse();
        assertThat(server.takeOutput()).isEmpty();
    }

    @Test
    void twoServerConnectionsEachFrameTheirOwnSendsUnmasked() {
        Connection other = new Connection(Role.SERVER);
        server.send(new Event.Text("a"));
        other.send(new Event.Text("bc"));

        assertThat(HexFormat.of().formatHex(bytes(server.takeOutputJoined()))).isEqualTo("810161");
        assertThat(HexFormat.of().formatHex(bytes(other.takeOutputJoined()))).isEqualTo("81026263");
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.get(out);
        return out;
    }
}
