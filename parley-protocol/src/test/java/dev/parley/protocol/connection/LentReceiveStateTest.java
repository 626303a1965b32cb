package dev.parley.protocol.connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.DeflateParameters;
import dev.parley.protocol.frame.FrameEncoder;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A connection resting between messages holds no receiving state of its own: it lends it to the
 * thread's spares and borrows a set again when bytes arrive. These tests pin down both halves:
 * what is held when, and that a borrowed set decodes for its new connection exactly as a new one
 * would, whatever connection (role, limits, streaming) used it last.
 */
class LentReceiveStateTest {

    /** The frames a client connection sends for these events, as one buffer. */
    private static ByteBuffer fromClient(Event... events) {
        Connection client = new Connection(Role.CLIENT);
        for (Event e : events) {
            client.send(e);
        }
        return client.takeOutputJoined();
    }

    private static List<Event> receive(Connection c, ByteBuffer bytes) {
        List<Event> out = new ArrayList<>();
        c.receive(bytes, out::add);
        return out;
    }

    @Test
    void anIdleConnectionHoldsNoReceiveStateBeforeOrAfterWholeMessages() {
        Connection server = new Connection(Role.SERVER);
        assertThat(server.holdsReceiveState()).as("before any input").isFalse();

        assertThat(receive(server, fromClient(new Event.Text("one"), new Event.Ping(ByteBuffer.allocate(3)))))
                .hasSize(2);
        assertThat(server.holdsReceiveState()).as("after whole frames").isFalse();
    }

    @Test
    void aFrameSplitAcrossReadsIsHeldUntilItEnds() {
        Connection server = new Connection(Role.SERVER);
        ByteBuffer frame = fromClient(new Event.Text("hello, world"));
        byte[] all = new byte[frame.remaining()];
        frame.get(all);

        for (int split : new int[] {1, 4, 9}) { // inside the header, at the mask, inside the payload
            assertThat(receive(server, ByteBuffer.wrap(Arrays.copyOfRange(all, 0, split))))
                    .isEmpty();
            assertThat(server.holdsReceiveState()).as("split at %d", split).isTrue();

            // Another connection on this thread reads meanwhile: it must not get the held set.
            Connection other = new Connection(Role.SERVER);
            assertThat(receive(other, fromClient(new Event.Text("other")))).containsExactly(new Event.Text("other"));

            assertThat(receive(server, ByteBuffer.wrap(Arrays.copyOfRange(all, split, all.length))))
                    .containsExactly(new Event.Text("hello, world"));
            assertThat(server.holdsReceiveState()).isFalse();
        }
    }

    @Test
    void aFragmentedMessageIsHeldUntilItsLastFrame() {
        Connection client = new Connection(Role.CLIENT);
        Connection server = new Connection(Role.SERVER);
        client.send(new Event.Text("frag", false));
        assertThat(receive(server, client.takeOutputJoined())).isEmpty();
        assertThat(server.holdsReceiveState()).as("inside the message").isTrue();

        Connection other = new Connection(Role.SERVER);
        assertThat(receive(other, fromClient(new Event.Text("between")))).containsExactly(new Event.Text("between"));

        client.send(new Event.Text("ment", true));
        assertThat(receive(server, client.takeOutputJoined())).containsExactly(new Event.Text("fragment"));
        assertThat(server.holdsReceiveState()).isFalse();
    }

    @Test
    void aBorrowedSetAppliesTheLimitsOfItsNewConnection() {
        Connection strict =
                new Connection(Role.SERVER, ConnectionConfig.defaults().withLimits(limits(8)));
        Connection roomy =
                new Connection(Role.SERVER, ConnectionConfig.defaults().withLimits(limits(1024)));

        // roomy lends its set after a message; strict borrows it and must still refuse 16 bytes.
        assertThat(receive(roomy, sixteen())).containsExactly(new Event.Binary(new byte[16]));
        List<Event> atStrict = receive(strict, sixteen());
        assertThat(atStrict)
                .singleElement()
                .isInstanceOfSatisfying(
                        Event.Failure.class,
                        f -> assertThat(f.violation()).isEqualTo(ProtocolViolation.MESSAGE_TOO_BIG));
        assertThat(strict.closeSent().status()).isEqualTo(CloseStatus.MESSAGE_TOO_BIG);

        // And the other way: a set last used under the strict limit accepts what roomy allows.
        Connection strict2 =
                new Connection(Role.SERVER, ConnectionConfig.defaults().withLimits(limits(8)));
        assertThat(receive(strict2, fromClient(new Event.Binary(new byte[4])))).hasSize(1);
        assertThat(receive(roomy, sixteen())).containsExactly(new Event.Binary(new byte[16]));
    }

    @Test
    void aBorrowedSetDecodesForTheRoleOfItsNewConnection() {
        Connection server = new Connection(Role.SERVER);
        assertThat(receive(server, fromClient(new Event.Text("masked")))).hasSize(1);

        // A client decodes unmasked server frames and refuses masked ones (RFC 6455 §5.1).
        Connection client = new Connection(Role.CLIENT);
        Connection sender = new Connection(Role.SERVER);
        sender.send(new Event.Text("plain"));
        assertThat(receive(client, sender.takeOutputJoined())).containsExactly(new Event.Text("plain"));
        Connection client2 = new Connection(Role.CLIENT);
        assertThat(receive(client2, fromClient(new Event.Text("masked"))))
                .singleElement()
                .isInstanceOfSatisfying(
                        Event.Failure.class,
                        f -> assertThat(f.violation()).isEqualTo(ProtocolViolation.MASKED_SERVER_FRAME));
    }

    @Test
    void aBorrowedSetDeliversPiecesOnlyToAStreamingConnection() {
        Connection streaming =
                new Connection(Role.SERVER, ConnectionConfig.defaults().withStreaming(true));
        Connection whole = new Connection(Role.SERVER);
        Connection client = new Connection(Role.CLIENT);

        client.send(new Event.Text("ab", false));
        client.send(new Event.Text("cd", true));
        ByteBuffer twoFrames = client.takeOutputJoined();
        assertThat(receive(streaming, twoFrames.duplicate()))
                .containsExactly(new Event.Text("ab", false), new Event.Text("cd", true));
        assertThat(receive(whole, fromClient(new Event.Text("ab", false), new Event.Text("cd", true))))
                .containsExactly(new Event.Text("abcd", true));
        assertThat(receive(streaming, fromClient(new Event.Text("ef", false), new Event.Text("gh", true))))
                .containsExactly(new Event.Text("ef", false), new Event.Text("gh", true));
    }

    @Test
    void aFailedConnectionNeverLendsItsBrokenDecoder() {
        Connection broken = new Connection(Role.SERVER);
        ByteBuffer unmasked = ByteBuffer.wrap(new byte[] {(byte) 0x81, 0x01, 'x'});
        assertThat(receive(broken, unmasked)).singleElement().isInstanceOf(Event.Failure.class);
        assertThat(broken.holdsReceiveState()).isTrue();

        Connection next = new Connection(Role.SERVER);
        assertThat(receive(next, fromClient(new Event.Text("fine")))).containsExactly(new Event.Text("fine"));
    }

    @Test
    void aCompressingConnectionKeepsItsOwnSetForItsInflaterWindow() {
        Connection server = new Connection(
                Role.SERVER, ConnectionConfig.defaults(), DeflateParameters.defaults(), DeflateConfig.defaults());
        assertThat(server.holdsReceiveState()).isTrue();
        assertThat(receive(server, fromClient(new Event.Text("plain frames are fine too"))))
                .hasSize(1);
        assertThat(server.holdsReceiveState()).isTrue();
    }

    /** A client's frame of 16 bytes; a new one each time, since receiving unmasks it in place. */
    private static ByteBuffer sixteen() {
        return fromClient(new Event.Binary(new byte[16]));
    }

    private static Limits limits(long maxMessage) {
        return Limits.defaults().withMaxMessageSize(maxMessage);
    }

    @Test
    void theRoleComesFromTheEncoderWhichMustMatchIt() {
        assertThat(new Connection(Role.CLIENT).role()).isEqualTo(Role.CLIENT);
        assertThat(new Connection(Role.SERVER).role()).isEqualTo(Role.SERVER);
        assertThatThrownBy(
                        () -> new Connection(Role.SERVER, ConnectionConfig.defaults(), new FrameEncoder(Role.CLIENT)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("masks");
        assertThatThrownBy(
                        () -> new Connection(Role.CLIENT, ConnectionConfig.defaults(), new FrameEncoder(Role.SERVER)))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
