package dev.parley.websocket.internal;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import dev.parley.protocol.deflate.DeflateConfig;
import dev.parley.protocol.deflate.DeflateParameters;
import dev.parley.protocol.deflate.MessageDeflater;
import dev.parley.protocol.frame.FrameBits;
import dev.parley.protocol.frame.FrameEncoder;
import java.nio.ByteBuffer;

/**
 * One message on its way to many server sessions, framed once: the plain frame and, for sessions
 * whose compressor accepts it ({@link MessageDeflater#acceptsSharedFrames()}: all but those that
 * keep their context for good), one frame compressed without context and shared by all of them.
 * Frames are made on first need by whichever loop needs them first. Thread-safe; the frames are read-only and each recipient queues a duplicate.
 */
public final class Broadcast implements dev.parley.websocket.PreparedMessage {
    private static final FrameEncoder SERVER = new FrameEncoder(Role.SERVER);

    private final Opcode opcode;
    private final ByteBuffer payload;
    private ByteBuffer plain;
    private ByteBuffer compressed;
    private int compressedLevel = -1;

    public Broadcast(Opcode opcode, ByteBuffer payload) {
        this.opcode = opcode;
        this.payload = payload.asReadOnlyBuffer();
    }

    @Override
    public int length() {
        return payload.remaining();
    }

    public Opcode opcode() {
        return opcode;
    }

    /** The payload, a read-only view. */
    public ByteBuffer payload() {
        return payload.duplicate();
    }

    /** The uncompressed frame. */
    public synchronized ByteBuffer plain() {
        if (plain == null) {
            plain = SERVER.encode(opcode, true, 0, payload.duplicate()).asReadOnlyBuffer();
        }
        return plain.duplicate();
    }

    /** The frame compressed without context at {@code level}, with RSV1 set (RFC 7692 §6). */
    public synchronized ByteBuffer compressed(int level) {
        if (compressed == null || compressedLevel != level) {
            DeflateParameters stateless = DeflateParameters.defaults().withNoContextTakeover(Role.SERVER, true);
            DeflateConfig config =
                    DeflateConfig.defaults().withCompressionLevel(level).withMinMessageSize(0);
            try (MessageDeflater deflater = MessageDeflater.create(stateless, Role.SERVER, config)) {
                ByteBuffer body = deflater.compress(payload.duplicate());
                compressed = SERVER.encode(opcode, true, FrameBits.B0_FLAG_RSV1, body)
                        .asReadOnlyBuffer();
                compressedLevel = level;
            }
        }
        return compressed.duplicate();
    }
}
