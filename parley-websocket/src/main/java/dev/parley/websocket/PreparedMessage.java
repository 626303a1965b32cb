package dev.parley.websocket;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.frame.TextEncoding;
import dev.parley.websocket.internal.Broadcast;
import java.nio.ByteBuffer;

/**
 * A message framed once for sending to many sessions: each server session that takes it queues a
 * view of the same frame (or of the same compressed frame, for every session that compresses
 * without a kept context or adaptively, the default) instead of encoding the message again. This
 * is how a pub/sub layer fans one publication out to thousands of subscribers at the cost of one
 * encoding.
 *
 * <p>Immutable and thread-safe. Frames are made on first use. A client session, whose frames must
 * be masked one by one, sends the message as an ordinary one.
 */
public sealed interface PreparedMessage permits Broadcast {
    /** A text message. */
    static PreparedMessage text(String text) {
        return new Broadcast(Opcode.TEXT, ByteBuffer.wrap(TextEncoding.encode(text)));
    }

    /** A binary message; the bytes are copied. */
    static PreparedMessage binary(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data.duplicate()).flip();
        return new Broadcast(Opcode.BINARY, copy);
    }

    /** The payload's length in bytes. */
    int length();
}
