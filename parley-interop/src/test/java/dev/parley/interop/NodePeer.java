package dev.parley.interop;

import static org.assertj.core.api.Assertions.fail;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.junit.jupiter.api.Assumptions;

/**
 * {@code src/test/node/peer.js} as a child process: commands go to its stdin, its stdout lines come
 * back through {@link #next} and {@link #await}. Node and the {@code ws} package it needs are
 * required: a machine without Node fails these tests with a message saying so, unless {@code
 * PARLEY_SKIP_NODE=1} is set, which skips them. {@code node_modules} is installed from the
 * committed lockfile when missing.
 */
final class NodePeer implements AutoCloseable {
    static final Path DIR = Path.of("src", "test", "node").toAbsolutePath();
    private static final Duration INSTALL_TIMEOUT = Duration.ofSeconds(180);
    private static volatile boolean ready;

    private final Process process;
    private final Writer stdin;
    private final LinkedBlockingQueue<String> lines = new LinkedBlockingQueue<>();
    private final StringBuffer stderr = new StringBuffer();

    private NodePeer(List<String> command) throws IOException {
        process = new ProcessBuilder(command).directory(DIR.toFile()).start();
        stdin = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
        pump(
                "node-peer-stdout",
                new BufferedReader(new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8)),
                lines::add);
        pump(
                "node-peer-stderr",
                new BufferedReader(new InputStreamReader(process.getErrorStream(), StandardCharsets.UTF_8)),
                l -> stderr.append(l).append('\n'));
    }

    /**
     * Starts {@code node peer.js <mode> <args...>} after making sure Node and {@code ws} are there;
     * {@code server <cert.pem> <key.pem>} serves wss.
     */
    static NodePeer start(String mode, String... args) throws Exception {
        requireNode();
        List<String> command = new ArrayList<>(List.of("node", "peer.js", mode));
        command.addAll(List.of(args));
        return new NodePeer(command);
    }

    private static void pump(String name, BufferedReader reader, java.util.function.Consumer<String> sink) {
        Thread t = new Thread(
                () -> {
                    try (reader) {
                        for (String line; (line = reader.readLine()) != null; ) {
                            sink.accept(line);
                        }
                    } catch (IOException e) {
                        // the process ended
                    }
                },
                name);
        t.setDaemon(true);
        t.start();
    }

    /** Checks for Node, then installs {@code node_modules} from the lockfile if it is missing. */
    static synchronized void requireNode() throws Exception {
        if ("1".equals(System.getenv("PARLEY_SKIP_NODE"))) {
            Assumptions.abort("PARLEY_SKIP_NODE=1: skipping the tests against Node's ws");
        }
        if (ready) {
            return;
        }
        List<String> version = run(Duration.ofSeconds(20), "node", "--version");
        if (version == null) {
            fail("Node.js is needed for the interop tests against the ws package, but `node` is not on the PATH."
                    + " Install it (apt-get install -y nodejs npm; .ci/run does this),"
                    + " or set PARLEY_SKIP_NODE=1 to skip these tests locally.");
        }
        if (!Files.isRegularFile(DIR.resolve("node_modules/ws/package.json"))) {
            List<String> out = run(INSTALL_TIMEOUT, "npm", "ci", "--no-audit", "--no-fund");
            if (out == null || !Files.isRegularFile(DIR.resolve("node_modules/ws/package.json"))) {
                fail("could not install the Node peer's dependencies with `npm ci` in " + DIR
                        + (out == null ? " (is npm installed?)" : ":\n" + String.join("\n", out)));
            }
        }
        ready = true;
    }

    /** Runs a command in {@link #DIR}; its output, or null if it could not start or failed. */
    private static List<String> run(Duration timeout, String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(DIR.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            return null;
        }
        List<String> out = new ArrayList<>();
        pump(
                command[0] + "-output",
                new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8)),
                line -> {
                    synchronized (out) {
                        out.add(line);
                    }
                });
        p.getOutputStream().close();
        if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within " + timeout);
        }
        synchronized (out) {
            return p.exitValue() == 0 ? List.copyOf(out) : withExit(out, p.exitValue());
        }
    }

    private static List<String> withExit(List<String> out, int code) {
        List<String> copy = new ArrayList<>(out);
        copy.add("(exit code " + code + ")");
        return copy;
    }

    /** Sends one command line. */
    void send(String command) throws IOException {
        stdin.write(command + "\n");
        stdin.flush();
    }

    /** The next line the peer prints, within {@code timeout}. */
    String next(Duration timeout) throws InterruptedException {
        String line = lines.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
        if (line == null) {
            fail("the Node peer printed nothing within " + timeout + (process.isAlive() ? "" : " (it exited)")
                    + "; its stderr:\n" + stderr);
        }
        return line;
    }

    String next() throws InterruptedException {
        return next(Duration.ofSeconds(10));
    }

    /** The first line that matches, within {@code timeout}; lines before it are dropped. */
    String await(Predicate<String> wanted, Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            String line = left > 0 ? lines.poll(left, TimeUnit.NANOSECONDS) : null;
            if (line == null) {
                fail("no expected line from the Node peer within " + timeout + "; its stderr:\n" + stderr);
            }
            if (wanted.test(line)) {
                return line;
            }
        }
    }

    /** Lines printed but not taken yet. */
    List<String> pending() {
        List<String> rest = new ArrayList<>();
        lines.drainTo(rest);
        return rest;
    }

    /** Ends the child: closing stdin makes the script exit; it is destroyed if it does not. */
    @Override
    public void close() throws InterruptedException {
        try {
            stdin.close();
        } catch (IOException e) {
            // already gone
        }
        if (!process.waitFor(3, TimeUnit.SECONDS)) {
            process.destroy();
            if (!process.waitFor(3, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        }
    }
}
