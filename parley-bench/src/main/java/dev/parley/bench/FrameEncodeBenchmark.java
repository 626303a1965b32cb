package dev.parley.bench;

import dev.parley.protocol.Opcode;
import dev.parley.protocol.Role;
import dev.parley.protocol.frame.FrameEncoder;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Cost of {@link FrameEncoder#encode(Opcode, boolean, int, ByteBuffer, ByteBuffer)} writing one
 * binary frame of {@link #size} payload bytes into a reused heap buffer: a server frame (header
 * and copy) and a client frame (header, a fresh key from {@code MaskKeys}, copy and masking).
 * {@link #clientFixedKey} encodes the client frame with a key read from a field instead, so that
 * the difference to {@link #client} is the cost of drawing a key from {@code MaskKeys}.
 * Scores are nanoseconds per frame. The output's position goes to JMH's implicit Blackhole; the
 * writes into the output buffer are heap side effects and cannot be eliminated.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class FrameEncodeBenchmark {
    @Param({"32", "4096"})
    public int size;

    private final FrameEncoder server = new FrameEncoder(Role.SERVER);
    private final FrameEncoder client = new FrameEncoder(Role.CLIENT);
    private int key = Frames.KEY;
    private final FrameEncoder clientFixedKey = new FrameEncoder(Role.CLIENT, () -> key);
    private ByteBuffer payload;
    private ByteBuffer out;

    @Setup
    public void setup() {
        payload = ByteBuffer.wrap(Texts.ascii(size, 5));
        out = ByteBuffer.allocate(client.frameSize(size));
    }

    @Benchmark
    public int server() {
        out.clear();
        server.encode(Opcode.BINARY, true, 0, payload, out);
        return out.position();
    }

    @Benchmark
    public int client() {
        out.clear();
        client.encode(Opcode.BINARY, true, 0, payload, out);
        return out.position();
    }

    @Benchmark
    public int clientFixedKey() {
        out.clear();
        clientFixedKey.encode(Opcode.BINARY, true, 0, payload, out);
        return out.position();
    }

    ByteBuffer outForTest() {
        return out;
    }
}
