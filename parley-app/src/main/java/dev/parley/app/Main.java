package dev.parley.app;

import java.io.PrintStream;
import java.util.Arrays;

/** The {@code parley} command. Subcommands arrive with the layers they run. */
public final class Main {
    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs the command; returns the process exit status. */
    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("--help") || args[0].equals("-h") || args[0].equals("help")) {
            out.print(usage());
            return args.length == 0 ? 2 : 0;
        }
        switch (args[0]) {
            case "serve" -> {
                if (Arrays.asList(args).contains("--help")) {
                    out.println("Usage: parley serve [--port N] [--host H] [--tls-cert PEM --tls-key PEM]");
                    out.println("Starts the Parley server. Not available yet: see below.");
                }
                err.println("parley serve: the WebSocket server (parley-websocket) is not built yet;");
                err.println("this build contains the protocol core only. The server arrives with the next layer.");
                return 3;
            }
            default -> {
                err.println("parley: unknown command '" + args[0] + "'");
                err.print(usage());
                return 2;
            }
        }
    }

    static String usage() {
        return """
                Usage: parley <command> [options]

                Commands:
                  serve     start the server (chat demo, dashboard, /echo, /hub)
                  help      show this text
                """;
    }
}
