package dev.parley.app;

import java.io.PrintWriter;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code parley} command: {@code parley serve}, and more subcommands as the layers arrive. */
@Command(
        name = "parley",
        mixinStandardHelpOptions = true,
        version = "parley 0.1.0-SNAPSHOT",
        description = "Parley: real-time communication on WebSockets.",
        subcommands = {ServeCommand.class, ClientCommand.class, CommandLine.HelpCommand.class})
public final class Main implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        if (status != ServeCommand.KEEP_RUNNING) {
            System.exit(status);
        }
    }

    /** Runs the command line; returns the exit status (or KEEP_RUNNING for a server started). */
    static int run(String[] args, PrintWriter out, PrintWriter err) {
        return run(args, out, err, System.getenv());
    }

    /** Like {@link #run(String[], PrintWriter, PrintWriter)} with the given environment variables. */
    static int run(String[] args, PrintWriter out, PrintWriter err, java.util.Map<String, String> environment) {
        CommandLine cli = new CommandLine(new Main());
        cli.setOut(out);
        cli.setErr(err);
        // A mistake on the command line is one clear sentence plus usage, never a stack trace.
        cli.setParameterExceptionHandler((e, a) -> {
            err.println("parley: " + e.getMessage());
            e.getCommandLine().usage(err);
            return 2;
        });
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            err.println("parley: " + (e.getMessage() == null ? e.toString() : e.getMessage()));
            return 1;
        });
        try {
            CommandLine serve = cli.getSubcommands().get("serve");
            serve.setDefaultValueProvider(ConfigDefaults.load(args, environment, serve));
        } catch (IllegalArgumentException e) {
            err.println("parley: " + e.getMessage());
            return 1;
        }
        return cli.execute(args);
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getErr());
        throw new CommandLine.ParameterException(
                spec.commandLine(), "a command is required, for example: parley serve");
    }
}
