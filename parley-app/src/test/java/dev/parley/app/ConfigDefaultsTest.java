package dev.parley.app;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags win over PARLEY_* variables, which win over the configuration file, which wins over defaults. */
class ConfigDefaultsTest {
    @TempDir
    Path dir;

    private ServeCommand parse(Map<String, String> env, String... args) {
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve);
        cli.setDefaultValueProvider(ConfigDefaults.load(args, env, cli));
        cli.parseArgs(args);
        return serve;
    }

    @Test
    void theFileSetsWhatNoFlagOrVariableSets() throws Exception {
        Path file = Files.writeString(dir.resolve("parley.properties"), "port=9001\nhost=127.0.0.2\n");
        ServeCommand serve = parse(Map.of(), "--config", file.toString());
        assertThat(serve.port).isEqualTo(9001);
        assertThat(serve.host).isEqualTo("127.0.0.2");
    }

    @Test
    void aVariableOverridesTheFileAndAFlagOverridesBoth() throws Exception {
        Path file = Files.writeString(dir.resolve("parley.properties"), "port=9001\nhost=127.0.0.2\n");
        Map<String, String> env = Map.of("PARLEY_CONFIG", file.toString(), "PARLEY_PORT", "9002");
        assertThat(parse(env).port).isEqualTo(9002);
        assertThat(parse(env).host).isEqualTo("127.0.0.2");
        assertThat(parse(env, "--port", "9003").port).isEqualTo(9003);
    }

    @Test
    void withNothingSetTheBuiltInDefaultsHold() {
        ServeCommand serve = parse(Map.of());
        assertThat(serve.port).isEqualTo(8080);
        assertThat(serve.host).isEqualTo("0.0.0.0");
    }

    @Test
    void anUnknownSettingOrAMissingFileIsOneClearSentence() throws Exception {
        Path file = Files.writeString(dir.resolve("bad.properties"), "prot=9001\n");
        StringWriter err = new StringWriter();
        int status = Main.run(
                new String[] {"serve", "--config", file.toString()},
                new PrintWriter(new StringWriter()),
                new PrintWriter(err, true),
                Map.of());
        assertThat(status).isEqualTo(1);
        assertThat(err.toString())
                .startsWith("parley: unknown setting 'prot' in ")
                .contains("port")
                .doesNotContain("\tat ");

        StringWriter err2 = new StringWriter();
        status = Main.run(
                new String[] {
                    "serve", "--config", dir.resolve("none.properties").toString()
                },
                new PrintWriter(new StringWriter()),
                new PrintWriter(err2, true),
                Map.of());
        assertThat(status).isEqualTo(1);
        assertThat(err2.toString()).startsWith("parley: cannot read the configuration file ");
    }
}
