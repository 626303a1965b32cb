package dev.parley.bench.peers;

import java.nio.file.Path;
import java.util.List;

/**
 * The command line every peer takes: {@code <name> --port P [--tls-cert PEM --tls-key PEM]
 * [--deflate]}. Port 0 binds a free port; the server prints the one it got.
 *
 * @param tlsCert the certificate chain (PEM, the server's own first), or null for plain ws
 * @param tlsKey the unencrypted PKCS#8 key (PEM), or null
 * @param deflate whether permessage-deflate is offered to clients that ask for it
 */
record PeerOptions(String name, int port, Path tlsCert, Path tlsKey, boolean deflate) {
    /** Every message size limit is raised to this, so that 16 MiB messages pass on every server. */
    static final int MAX_MESSAGE = 32 << 20;

    /** The only address every peer binds: the benchmark runs on loopback. */
    static final String HOST = "127.0.0.1";

    boolean tls() {
        return tlsCert != null;
    }

    static PeerOptions parse(List<String> args) {
        if (args.isEmpty()) {
            throw new IllegalArgumentException("no server name");
        }
        String name = args.get(0);
        Integer port = null;
        Path cert = null;
        Path key = null;
        boolean deflate = false;
        for (int i = 1; i < args.size(); i++) {
            String arg = args.get(i);
            switch (arg) {
                case "--port" -> port = Integer.parseInt(value(args, ++i, arg));
                case "--tls-cert" -> cert = Path.of(value(args, ++i, arg));
                case "--tls-key" -> key = Path.of(value(args, ++i, arg));
                case "--deflate" -> deflate = true;
                default -> throw new IllegalArgumentException("unknown argument: " + arg);
            }
        }
        if (port == null || port < 0 || port > 65535) {
            throw new IllegalArgumentException("--port P (0-65535) is required");
        }
        if ((cert == null) != (key == null)) {
            throw new IllegalArgumentException("--tls-cert and --tls-key go together");
        }
        return new PeerOptions(name, port, cert, key, deflate);
    }

    private static String value(List<String> args, int i, String flag) {
        if (i >= args.size()) {
            throw new IllegalArgumentException(flag + " needs a value");
        }
        return args.get(i);
    }
}
