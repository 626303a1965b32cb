package dev.parley.protocol.connection;

import dev.parley.protocol.Event;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.ProtocolViolation;
import dev.parley.protocol.deflate.MessageInflater;
import dev.parley.protocol.frame.ClosePayload;
import dev.parley.protocol.frame.FrameBits;
import dev.parley.protocol.frame.FrameDecoder;
import dev.parley.protocol.frame.FrameHandler;
import dev.parley.protocol.frame.Utf8Validator;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.function.Consumer;

/**
 * The receiving half of a {@link Connection}: turns decoded frames into events. Text is validated
 * as it arrives, so invalid UTF-8 fails the connection at the first bad byte rather than at the end
 * of the message (RFC 6455 §8.1). A control frame's payload is collected in an array of its
 * declared size, which becomes the event's buffer, so an idle connection holds no array.
 *
 * <p>An Inbound without an inflater can rest between messages (see {@link #atRest()}); its
 * connection then lends it, with its decoder, to {@link Spares} and borrows one again when bytes
 * arrive, so that idle connections hold no receiving state at all.
 */
final class Inbound implements FrameHandler {
    /** The decoder feeding this Inbound: both hold the receiving state of one connection. */
    final FrameDecoder decoder;

    private Connection connection;
    private boolean streaming;
    /** Made on the first text message: a connection that never receives one never holds it. */
    private Utf8Validator utf8;
    /** Made when a message arrives in pieces, dropped when it is delivered: idle connections hold none. */
    private MessageBuffer message;
    /** The payload of the control frame being received, sized to its declared length (<= 125). */
    private byte[] control;

    /** Where events go during one {@link Connection#receive} call. */
    Consumer<? super Event> events;

    private Opcode frameOpcode;
    private boolean frameFin;
    private long frameLength;
    /** The current frame was a whole message delivered straight from the input. */
    private boolean delivered;

    private int controlLength;
    private Opcode messageType;
    private boolean compressed;
    private final MessageInflater inflater;
    /** Receives inflated bytes: validated and appended like uncompressed payload; null without an inflater. */
    private final MessageInflater.Sink inflated;

    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0);

    Inbound(Connection connection, ConnectionConfig config, MessageInflater inflater) {
        this.connection = connection;
        this.streaming = config.streaming();
        this.inflater = inflater;
        this.inflated = inflater == null ? null : this::accept;
        this.decoder = new FrameDecoder(connection.role(), config.limits());
        if (inflater != null) {
            decoder.grantReservedBits(FrameBits.B0_FLAG_RSV1, true);
        }
    }

    /**
     * Whether nothing of the stream is held: the input so far ends between frames, outside a
     * fragmented message, and no inflater keeps a compression window. Such an Inbound can serve
     * another connection.
     */
    boolean atRest() {
        return inflater == null && message == null && decoder.isAtFrameBoundary() && !decoder.isInMessage();
    }

    /** Readies an Inbound at rest to receive for another connection, as a new one would. */
    void reuse(Connection connection, ConnectionConfig config) {
        decoder.reuse(connection.role(), config.limits());
        this.connection = connection;
        this.streaming = config.streaming();
    }

    /** Forgets the connection it served, once lent out: a spare must not keep a session alive. */
    void detach() {
        this.connection = null;
    }

    @Override
    public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {
        if (connection.closeReceived() != null) {
            frameOpcode = null; // §5.5.1: frames after a close frame are ignored
            return;
        }
        frameOpcode = opcode;
        frameFin = fin;
        frameLength = length;
        delivered = false;
        if (opcode.isControl()) {
            control = new byte[(int) length]; // at most 125: the decoder has checked
            controlLength = 0;
        } else if (opcode != Opcode.CONTINUATION) {
            messageType = opcode;
            compressed = (rsv & FrameBits.B0_FLAG_RSV1) != 0;
            if (utf8 != null) {
                utf8.reset();
            }
        }
    }

    @Override
    public void framePayload(ByteBuffer payload) throws ProtocolException {
        if (frameOpcode == null) {
            return;
        }
        if (frameOpcode.isControl()) {
            int n = payload.remaining();
            payload.get(control, controlLength, n);
            controlLength += n;
            return;
        }
        if (compressed) {
            inflater.inflate(payload, false, inflated);
            return;
        }
        if (frameFin && frameOpcode != Opcode.CONTINUATION && payload.remaining() == frameLength && !streaming) {
            deliverDirect(payload); // the common case: a whole message in one frame, all here
            return;
        }
        accept(payload);
    }

    /** Validates (text) and keeps a run of message bytes. */
    private void accept(ByteBuffer payload) throws ProtocolException {
        if (message == null) {
            message = new MessageBuffer();
        }
        if (messageType == Opcode.TEXT) {
            int bad = utf8().validate(payload);
            if (bad >= 0) {
                throw new ProtocolException(
                        ProtocolViolation.INVALID_UTF8,
                        "in text message at byte " + (message.size() + bad - payload.position()));
            }
        }
        message.append(payload);
    }

    @Override
    public void frameEnd() throws ProtocolException {
        if (frameOpcode == null) {
            return;
        }
        if (frameOpcode.isControl()) {
            endControl();
            return;
        }
        if (delivered) {
            return;
        }
        if (compressed && frameFin) {
            inflater.inflate(NO_BYTES.duplicate(), true, inflated);
        }
        if (frameFin && messageType == Opcode.TEXT && utf8 != null && !utf8.isComplete()) {
            throw new ProtocolException(ProtocolViolation.INVALID_UTF8, "text message ends inside a code point");
        }
        if (streaming) {
            emitPiece();
        } else if (frameFin) {
            emitWhole();
        }
    }

    /** Builds the event from the input itself, skipping the message buffer's two copies. */
    private void deliverDirect(ByteBuffer payload) throws ProtocolException {
        int length = payload.remaining();
        byte[] array;
        int offset;
        if (payload.hasArray()) {
            array = payload.array();
            offset = payload.arrayOffset() + payload.position();
        } else {
            array = new byte[length];
            payload.get(payload.position(), array);
            offset = 0;
        }
        if (messageType == Opcode.TEXT) {
            Utf8Validator validator = utf8();
            int bad = validator.validate(array, offset, length);
            if (bad >= 0) {
                throw new ProtocolException(
                        ProtocolViolation.INVALID_UTF8, "in text message at byte " + (bad - offset));
            }
            if (!validator.isComplete()) {
                throw new ProtocolException(ProtocolViolation.INVALID_UTF8, "text message ends inside a code point");
            }
            events.accept(new Event.Text(new String(array, offset, length, StandardCharsets.UTF_8), true));
        } else {
            byte[] copy = offset == 0 && array.length == length && !payload.hasArray()
                    ? array
                    : java.util.Arrays.copyOfRange(array, offset, offset + length);
            events.accept(new Event.Binary(ByteBuffer.wrap(copy), true));
        }
        delivered = true;
    }

    private Utf8Validator utf8() {
        if (utf8 == null) {
            utf8 = new Utf8Validator();
        }
        return utf8;
    }

    private void emitWhole() {
        byte[] bytes = message == null ? new byte[0] : message.take();
        message = null;
        if (messageType == Opcode.TEXT) {
            events.accept(new Event.Text(new String(bytes, StandardCharsets.UTF_8), true));
        } else {
            events.accept(new Event.Binary(ByteBuffer.wrap(bytes), true));
        }
    }

    /** Streaming: one event per frame; text keeps a trailing partial code point for the next. */
    private void emitPiece() {
        if (message == null) {
            message = new MessageBuffer(); // an empty frame: an empty piece
        }
        if (messageType == Opcode.BINARY) {
            events.accept(new Event.Binary(ByteBuffer.wrap(message.take()), frameFin));
            return;
        }
        int end = frameFin ? message.size() : completeCodePoints(message.array(), message.size());
        String text = new String(message.array(), 0, end, StandardCharsets.UTF_8);
        if (end == message.size()) {
            message.clear();
        } else {
            message.discard(end);
        }
        events.accept(new Event.Text(text, frameFin));
    }

    /** The length of the longest prefix of valid UTF-8 that ends on a code point boundary. */
    private static int completeCodePoints(byte[] bytes, int size) {
        // The validator has accepted everything, so at most the last 3 bytes are a partial point.
        for (int back = 1; back <= Math.min(3, size); back++) {
            int b = bytes[size - back] & 0xFF;
            if (b < 0x80) {
                return size;
            }
            if (b >= 0xC0) { // lead byte: complete only if all its continuation bytes are here
                int length = b >= 0xF0 ? 4 : b >= 0xE0 ? 3 : 2;
                return back == length ? size : size - back;
            }
        }
        return size;
    }

    private void endControl() throws ProtocolException {
        ByteBuffer data = ByteBuffer.wrap(control);
        control = null;
        switch (frameOpcode) {
            case PING -> connection.onPing(data, events);
            case PONG -> events.accept(new Event.Pong(data));
            case CLOSE -> connection.onClose(ClosePayload.parse(data), events);
            default -> throw new AssertionError(frameOpcode);
        }
    }

    /** Drops a partial message, releasing its memory. */
    void reset() {
        message = null;
        if (utf8 != null) {
            utf8.reset();
        }
        messageType = null;
        compressed = false;
    }

    /** Ends the inflater's native memory; nothing more will be received. */
    void release() {
        if (inflater != null) {
            inflater.close();
        }
    }
}
