package dev.parley.bench;

import dev.parley.protocol.Limits;
import dev.parley.protocol.Opcode;
import dev.parley.protocol.ProtocolException;
import dev.parley.protocol.Role;
import dev.parley.protocol.frame.FrameDecoder;
import dev.parley.protocol.frame.FrameHandler;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of {@link FrameDecoder#decode} on the server side: masked binary client frames, header
 * checks, unmasking and one handler call per event, with a handler that hands each payload to a
 * Blackhole. Scores are nanoseconds per frame: one 32-byte frame, one 4 KiB frame, and 64 frames of
 * 32 bytes in one buffer decoded by one call (reported per frame via {@code
 * OperationsPerInvocation}).
 *
 * <p><b>Resetting the input.</b> The decoder unmasks the payload in place, so the second decode of
 * the same bytes sees a masked header over an unmasked payload. Because masking is its own
 * inverse, decoding that again simply masks the payload back: every invocation does exactly the
 * same work (same headers, same lengths, same XOR) and the input needs no restoring, so no copy
 * cost is mixed into the figure. The handler sees plain and masked payloads alternately, which is
 * harmless for binary frames (nothing inspects their content). The decoder itself is reused: it is
 * back between frames after each call.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameDecodeBenchmark {
    static final int BATCH = 64;

    private final FrameDecoder decoder = new FrameDecoder(Role.SERVER, Limits.defaults());
    private ByteBuffer one32;
    private ByteBuffer one4k;
    private ByteBuffer batch32;
    final SinkHandler handler = new SinkHandler();

    @Setup
    public void setup(Blackhole blackhole) {
        handler.blackhole = blackhole;
        one32 = ByteBuffer.wrap(Frames.clientFrames(Opcode.BINARY, Texts.ascii(32, 1), 1));
        one4k = ByteBuffer.wrap(Frames.clientFrames(Opcode.BINARY, Texts.ascii(4096, 2), 1));
        batch32 = ByteBuffer.wrap(Frames.clientFrames(Opcode.BINARY, Texts.ascii(32, 3), BATCH));
    }

    @Benchmark
    public void frame32() throws ProtocolException {
        one32.clear();
        decoder.decode(one32, handler);
    }

    @Benchmark
    public void frame4k() throws ProtocolException {
        one4k.clear();
        decoder.decode(one4k, handler);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void frames64x32() throws ProtocolException {
        batch32.clear();
        decoder.decode(batch32, handler);
    }

    ByteBuffer one32ForTest() {
        return one32;
    }

    ByteBuffer batch32ForTest() {
        return batch32;
    }

    /**
     * The least a real handler does: look at the header and touch the payload. It counts frames
     * and payload bytes (for the test) and sinks the payload's length and first byte.
     */
    static final class SinkHandler implements FrameHandler {
        Blackhole blackhole;
        long frames;
        long payloadBytes;

        @Override
        public void frameStart(Opcode opcode, boolean fin, int rsv, long length) {
            blackhole.consume(opcode);
            blackhole.consume(length);
        }

        @Override
        public void framePayload(ByteBuffer payload) {
            payloadBytes += payload.remaining();
            blackhole.consume(payload.get(payload.position()));
        }

        @Override
        public void frameEnd() {
            frames++;
        }
    }
}
