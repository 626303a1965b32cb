package dev.parley.protocol.connection;

import static org.assertj.core.api.Assertions.assertThat;

import dev.parley.protocol.CloseStatus;
import dev.parley.protocol.Event;
import dev.parley.protocol.Limits;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.Role;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.DeflateParameters;
import dev.parley.protocol.frame.FrameEncoder;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.HexFormat;
import java.util.List;
import java.util.zip.Deflater;
import org.junit.jupiter.api.Test;

/** permessage-deflate inside the connection: RSV1, inflation, limits (RFC 7692). */
class CompressedConnectionTest {
    private static final DeflateConfig EVERYTHING = DeflateConfig.defaults().withMinMessageSize(0);
    private static final DeflateParameters TAKEOVER = DeflateParameters.defaults();

    private static ByteBuffer hex(String s) {
        return ByteBuffer.wrap(HexFormat.of().parseHex(s.replace(" ", "")));
    }

    private static Connection client(DeflateParameters p, DeflateConfig c) {
        return new Connection(Role.CLIENT, ConnectionConfig.defaults(), p, c);
    }

    @Test
    void rfc7692Section723FramesAreUnderstoodByAClient() {
        Connection client = client(
                TAKEOVER,
                DeflateConfig.defaults()
                        .withLocalNoContextTakeover(false)
                        .withPeerNoContextTakeover(false)
                        .withSharing(DeflateConfig.Sharing.DEDICATED));
        // §7.2.3.1: a compressed "Hello" in one unmasked frame, then in two fragments.
        assertThat(client.receive(hex("c1 07 f248cdc9c90700"))).containsExactly(new Event.Text("Hello"));
        assertThat(client.receive(hex("41 03 f248cd 80 04 c9c90700"))).containsExactly(new Event.Text("Hello"));
    }

    @Test
    void rfc7692Section7232SecondMessageUsesTheSharedContext() {
        DeflateConfig takeover = DeflateConfig.defaults()
                .withLocalNoContextTakeover(false)
                .withPeerNoContextTakeover(false)
                .withSharing(DeflateConfig.Sharing.DEDICATED)
                .withMinMessageSize(0);
        Connection server = new Connection(Role.SERVER, ConnectionConfig.defaults(), TAKEOVER, takeover);
        server.send(new Event.Text("Hello"));
        server.send(new Event.Text("Hello"));
        assertThat(server.takeOutputJoined()).isEqualTo(hex("c1 07 f248cdc9c90700 c1 05 f200110000"));
    }

    @Test
    void compressedMessagesRoundTripBothWays() {
        Connection client = client(
                TAKEOVER.withNoContextTakeover(Role.CLIENT, true).withNoContextTakeover(Role.SERVER, true), EVERYTHING);
        Connection server = new Connection(
                Role.SERVER,
                ConnectionConfig.defaults(),
                TAKEOVER.withNoContextTakeover(Role.CLIENT, true).withNoContextTakeover(Role.SERVER, true),
                EVERYTHING);
        String text = "repetitive ".repeat(500);
        client.send(new Event.Text(text));
        ByteBuffer wire = client.takeOutputJoined();
        assertThat(wire.get(0) & 0x40).as("RSV1 on the first frame").isEqualTo(0x40);
        assertThat(wire.remaining()).as("compressed").isLessThan(text.length() / 10);
        assertThat(server.receive(wire)).containsExactly(new Event.Text(text));

        byte[] binary = new byte[70_000];
        server.send(new Event.Binary(binary));
        assertThat(client.receive(server.takeOutputJoined())).containsExactly(new Event.Binary(binary));
    }

    @Test
    void smallMessagesGoUncompressedWithRsv1Clear() {
        Connection client = client(TAKEOVER, DeflateConfig.defaults()); // default minimum 256 bytes
        client.send(new Event.Text("tiny"));
        assertThat(client.takeOutputJoined().get(0) & 0xFF).isEqualTo(0x81);
    }

    @Test
    void rsv1OnAContinuationFrameIsAProtocolError() {
        Connection client = client(TAKEOVER, EVERYTHING);
        List<Event> events = client.receive(hex("41 03 f248cd c0 04 c9c90700")); // RSV1 on the continuation
        assertThat(((Event.Failure) events.get(0)).violation()).isEqualTo(ProtocolViolation.RESERVED_BITS);
    }

    @Test
    void rsv1WithoutNegotiationIsAProtocolError() {
        Connection client = new Connection(Role.CLIENT);
        List<Event> events = client.receive(hex("c1 07 f248cdc9c90700"));
        assertThat(((Event.Failure) events.get(0)).violation()).isEqualTo(ProtocolViolation.RESERVED_BITS);
    }

    @Test
    void aCompressionBombIsRefusedWith1009AfterInflatingNoMoreThanTheLimit() {
        byte[] zeros = new byte[64 << 20]; // 64 MiB of zeros compress to about 64 KiB
        Deflater deflater = new Deflater(9, true);
        deflater.setInput(zeros);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[65536];
        int n;
        while ((n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH)) > 0) {
            out.write(buf, 0, n);
        }
        deflater.end();
        byte[] bomb = out.toByteArray();
        ByteBuffer frame = new FrameEncoder(Role.SERVER)
                .encode(dev.parley.protocol.Opcode.BINARY, true, 0x40, ByteBuffer.wrap(bomb, 0, bomb.length - 4));
        Connection client = new Connection(
                Role.CLIENT,
                ConnectionConfig.defaults().withLimits(Limits.defaults().withMaxMessageSize(1 << 20)),
                TAKEOVER,
                EVERYTHING);
        List<Event> events = client.receive(frame);
        Event.Failure failure = (Event.Failure) events.get(0);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.MESSAGE_TOO_BIG);
        Event.Close sent = (Event.Close)
                new Connection(Role.SERVER).receive(client.takeOutputJoined()).get(0);
        assertThat(sent.status()).isEqualTo(CloseStatus.MESSAGE_TOO_BIG);
    }

    @Test
    void invalidUtf8InsideACompressedTextIs1007() {
        byte[] bad = {'o', 'k', (byte) 0xC0, (byte) 0xAF};
        Deflater deflater = new Deflater(1, true);
        deflater.setInput(bad);
        byte[] buf = new byte[64];
        int n = deflater.deflate(buf, 0, buf.length, Deflater.SYNC_FLUSH);
        deflater.end();
        ByteBuffer frame = new FrameEncoder(Role.SERVER)
                .encode(dev.parley.protocol.Opcode.TEXT, true, 0x40, ByteBuffer.wrap(buf, 0, n - 4));
        Connection client = client(TAKEOVER, EVERYTHING);
        Event.Failure failure = (Event.Failure) client.receive(frame).get(0);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.INVALID_UTF8);
        assertThat(failure.status()).isEqualTo(CloseStatus.INVALID_PAYLOAD);
    }

    @Test
    void corruptCompressedDataIs1007() {
        Connection client = client(TAKEOVER, EVERYTHING);
        Event.Failure failure =
                (Event.Failure) client.receive(hex("c2 04 ffffffff")).get(0);
        assertThat(failure.violation()).isEqualTo(ProtocolViolation.INVALID_COMPRESSED_DATA);
        assertThat(failure.message()).startsWith("invalid compressed data");
    }
}
