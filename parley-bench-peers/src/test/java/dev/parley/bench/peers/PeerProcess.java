package dev.parley.bench.peers;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/**
 * A peer server as the benchmark runner starts it: a child process ({@code java -jar
 * target/peers.jar NAME ...} or {@code node node/echo.js ...}) on a free port, whose first stdout
 * line must be {@code READY <port>}. {@link #close()} sends SIGTERM and expects the process to end
 * within a few seconds.
 */
final class PeerProcess implements AutoCloseable {
    static final Path JAR = Path.of("target", "peers.jar").toAbsolutePath();
    static final Path NODE_DIR = Path.of("node").toAbsolutePath();

    final int port;
    private final Process process;
    private final LinkedBlockingQueue<String> stdout = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private PeerProcess(List<String> command, Path directory) throws Exception {
        process = new ProcessBuilder(command).directory(directory.toFile()).start();
        process.getOutputStream().close();
        pump(process.getInputStream(), stdout::add);
        pump(process.getErrorStream(), line -> stderr.append(line).append('\n'));
        String first = stdout.poll(30, TimeUnit.SECONDS);
        if (first == null || !first.matches("READY \\d+")) {
            process.destroyForcibly();
            throw new AssertionError("expected READY <port> from " + command + ", got " + first
                    + (process.isAlive() ? "" : " (it exited)") + "; stderr:\n" + stderr);
        }
        port = Integer.parseInt(first.substring("READY ".length()));
    }

    /** Starts a server by its name in {@code Peers}, or {@code node} for node/echo.js. */
    static PeerProcess start(String name, String... flags) throws Exception {
        List<String> command = new ArrayList<>();
        Path directory;
        if (name.equals("node")) {
            command.add("node");
            command.add("echo.js");
            directory = NODE_DIR;
        } else {
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            // Quick start-up for a smoke test; the benchmark runner chooses its own flags.
            command.add("-XX:TieredStopAtLevel=1");
            command.add("-Xmx256m");
            command.add("-jar");
            command.add(JAR.toString());
            command.add(name);
            directory = JAR.getParent();
        }
        command.add("--port");
        command.add("0");
        command.addAll(List.of(flags));
        return new PeerProcess(command, directory);
    }

    private static void pump(java.io.InputStream in, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(() -> {
            try (BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
                for (String line; (line = r.readLine()) != null; ) {
                    sink.accept(line);
                }
            } catch (IOException e) {
                // the process ended
            }
        });
        t.setDaemon(true);
        t.start();
    }

    String stderr() {
        return stderr.toString();
    }

    /** SIGTERM; the process must end within 10 s (graceful stop), else it is killed and this fails. */
    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(10, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("the peer did not stop within 10 s of SIGTERM; stderr:\n" + stderr);
        }
        String extra = stdout.poll();
        if (extra != null) {
            throw new AssertionError("the peer printed more than READY on stdout: " + extra);
        }
    }
}
