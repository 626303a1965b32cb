package dev.parley.bench.peers;

import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Makes sure the Node peer can run: {@code node} on the PATH and {@code node/node_modules}
 * installed from the committed lockfile ({@code npm ci} when missing). {@code PARLEY_SKIP_NODE=1}
 * skips the Node cases instead.
 */
final class NodeModules {
    private static boolean ready;

    private NodeModules() {}

    static synchronized void require() throws Exception {
        if ("1".equals(System.getenv("PARLEY_SKIP_NODE"))) {
            Assumptions.abort("PARLEY_SKIP_NODE=1: skipping the Node peer");
        }
        if (ready) {
            return;
        }
        if (!Files.isRegularFile(PeerProcess.NODE_DIR.resolve("node_modules/ws/package.json"))) {
            String out = run("npm", "ci", "--no-audit", "--no-fund");
            if (!Files.isRegularFile(PeerProcess.NODE_DIR.resolve("node_modules/ws/package.json"))) {
                fail("could not install the Node peer's dependencies with `npm ci` in " + PeerProcess.NODE_DIR + ":\n"
                        + out);
            }
        }
        ready = true;
    }

    private static String run(String... command) throws Exception {
        Process p;
        try {
            p = new ProcessBuilder(command)
                    .directory(PeerProcess.NODE_DIR.toFile())
                    .redirectErrorStream(true)
                    .start();
        } catch (IOException e) {
            fail("Node.js and npm are needed for the Node peer (apt-get install -y nodejs npm),"
                    + " or set PARLEY_SKIP_NODE=1: " + e.getMessage());
            return "";
        }
        p.getOutputStream().close();
        byte[] out = p.getInputStream().readAllBytes();
        if (!p.waitFor(180, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            fail(String.join(" ", command) + " did not finish within 180 s");
        }
        return new String(out, StandardCharsets.UTF_8);
    }
}
