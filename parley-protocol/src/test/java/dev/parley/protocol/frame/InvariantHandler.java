package dev.parley.protocol.frame;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import java.nio.ByteBuffer;

/**
 * A {@link FrameHandler} that holds the decoder to its promises whatever the input: frames in a
 * legal order (RFC 6455 §5.4, §5.5), no reserved bit beyond the grant, no frame or message above
 * the {@link Limits}, and never more payload than a frame declared. It keeps no payload, so
 * arbitrary streams cost nothing.
 */
final class InvariantHandler implements FrameHandler {
    private final Limits limits;
    private final int grantedRsv;
    private final boolean rsv1PerMessage;

    private boolean inFrame;
    private long declared;
    private long received;
    private boolean inMessage;
    private int fragments;
    private long messageBytes;
    private boolean compressed;
    private int frames;

    InvariantHandler(Limits limits, int grantedRsv, boolean rsv1PerMessage) {
        this.limits = limits;
        this.grantedRsv = grantedRsv;
        this.rsv1PerMessage = rsv1PerMessage;
    }

    int frames() {
        return frames;
    }

    @Override
    public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {
        check(!inFrame, "frameStart inside a frame");
        check(opcode != null, "null opcode");
        check((rsv & ~grantedRsv) == 0, "reserved bits 0x" + Integer.toHexString(rsv) + " not granted");
        check(length >= 0, "negative length " + length);
        boolean rsv1 = (rsv & FrameBits.B0_FLAG_RSV1) != 0;
        if (opcode.isControl()) {
            check(fin, "fragmented control frame");
            check(length <= FrameBits.MAX_CONTROL_PAYLOAD, "control frame of " + length + " bytes");
            check(!(rsv1PerMessage && rsv1), "RSV1 on a control frame");
        } else {
            check(length <= limits.maxFramePayload(), "frame of " + length + " bytes over the limit");
            if (opcode == Opcode.CONTINUATION) {
                check(inMessage, "continuation without a message");
                check(!(rsv1PerMessage && rsv1), "RSV1 on a continuation");
                fragments++;
                messageBytes += length;
            } else {
                check(!inMessage, "new message inside a message");
                fragments = 1;
                messageBytes = length;
                compressed = rsv1PerMessage && rsv1;
            }
            long max = limits.maxMessageSize();
            long wireMax = compressed ? max + (max >>> 10) + 64 : max;
            check(messageBytes <= wireMax, "message of " + messageBytes + " bytes over the limit");
            check(fragments <= limits.maxFragments(), fragments + " fragments over the limit");
            inMessage = !fin;
        }
        inFrame = true;
        declared = length;
        received = 0;
        frames++;
    }

    @Override
    public void framePayload(ByteBuffer payload) {
        check(inFrame, "framePayload outside a frame");
        check(payload.hasRemaining(), "empty payload run");
        received += payload.remaining();
        check(received <= declared, "payload of " + received + " bytes, " + declared + " declared");
        payload.position(payload.limit());
    }

    @Override
    public void frameEnd() {
        check(inFrame, "frameEnd outside a frame");
        check(received == declared, "frameEnd after " + received + " of " + declared + " bytes");
        inFrame = false;
    }

    private static void check(boolean condition, String message) {
        if (!condition) {
            throw new AssertionError(message);
        }
    }
}
