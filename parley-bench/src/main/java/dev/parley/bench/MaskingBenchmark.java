package dev.parley.bench;

import dev.parley.protocol.frame.Masking;
import java.nio.ByteBuffer;
import java.util.SplittableRandom;
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
 * Cost of {@link Masking#mask} (RFC 6455 §5.3) over a whole payload of {@link #size} bytes held in
 * a {@code byte[]}, a heap {@code ByteBuffer} and a direct {@code ByteBuffer}, against {@link
 * #naiveArray}, the textbook byte-at-a-time loop. Scores are nanoseconds per payload: bytes / ns is
 * GB/s.
 *
 * <p>Every operation masks the same memory in place, so the data alternates between two states;
 * the work is identical each time and the writes to a heap or direct buffer cannot be eliminated.
 * The key is a non-final field so that it is not folded into the loop as a constant. The returned
 * phase goes to JMH's implicit Blackhole.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MaskingBenchmark {
    @Param({"32", "4096", "65536"})
    public int size;

    private int key;
    private byte[] array;
    private ByteBuffer heap;
    private ByteBuffer direct;

    @Setup
    public void setup() {
        SplittableRandom random = new SplittableRandom(42);
        key = random.nextInt() | 1; // never zero
        array = new byte[size];
        for (int i = 0; i < size; i++) {
            array[i] = (byte) random.nextInt();
        }
        heap = ByteBuffer.wrap(array.clone());
        direct = ByteBuffer.allocateDirect(size);
        direct.put(0, array, 0, size);
    }

    @Benchmark
    public int array() {
        return Masking.mask(array, 0, size, key, 0);
    }

    @Benchmark
    public int heapBuffer() {
        return Masking.mask(heap, 0, size, key, 0);
    }

    @Benchmark
    public int directBuffer() {
        return Masking.mask(direct, 0, size, key, 0);
    }

    /** The baseline: one XOR per byte with the key byte picked by the index, as RFC 6455 §5.3 reads. */
    @Benchmark
    public int naiveArray() {
        return naiveMask(array, 0, size, key, 0);
    }

    static int naiveMask(byte[] data, int offset, int length, int key, int phase) {
        for (int i = 0; i < length; i++) {
            int j = (phase + i) & 3;
            data[offset + i] ^= (byte) (key >>> (24 - (j << 3)));
        }
        return (phase + length) & 3;
    }

    byte[] arrayForTest() {
        return array;
    }

    ByteBuffer heapForTest() {
        return heap;
    }

    ByteBuffer directForTest() {
        return direct;
    }
}
