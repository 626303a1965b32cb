package dev.parley.app;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.TreeSet;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Settings from the environment and from a configuration file, under the command line: a flag
 * wins over an environment variable, which wins over the file, which wins over the built-in
 * default. For the option {@code --tls-cert}, the variable is {@code PARLEY_TLS_CERT} and the
 * file's key is {@code tls-cert}. The file is a Java properties file named by {@code --config FILE}
 * or {@code PARLEY_CONFIG}.
 */
final class ConfigDefaults implements CommandLine.IDefaultValueProvider {
    private final Map<String, String> env;
    private final Properties file;

    private ConfigDefaults(Map<String, String> env, Properties file) {
        this.env = env;
        this.file = file;
    }

    /**
     * The defaults for one command: reads the file that {@code args} or the environment name, and
     * checks that every key in it is one of the command's options.
     *
     * @throws IllegalArgumentException a clear sentence when the file cannot be read or names an
     *     unknown setting
     */
    static ConfigDefaults load(String[] args, Map<String, String> env, CommandLine command) {
        String path = env.get("PARLEY_CONFIG");
        for (int i = 0; i < args.length; i++) {
            if (args[i].equals("--config") && i + 1 < args.length) {
                path = args[i + 1];
            } else if (args[i].startsWith("--config=")) {
                path = args[i].substring("--config=".length());
            }
        }
        Properties file = new Properties();
        if (path != null) {
            Path p = Path.of(path);
            try (Reader in = Files.newBufferedReader(p, StandardCharsets.UTF_8)) {
                file.load(in);
            } catch (IOException e) {
                throw new IllegalArgumentException("cannot read the configuration file " + path);
            }
            Set<String> known = new TreeSet<>();
            for (OptionSpec o : command.getCommandSpec().options()) {
                known.add(key(o));
            }
            for (String k : file.stringPropertyNames()) {
                if (!known.contains(k)) {
                    throw new IllegalArgumentException(
                            "unknown setting '" + k + "' in " + path + "; known settings: " + String.join(", ", known));
                }
            }
        }
        return new ConfigDefaults(env, file);
    }

    @Override
    public String defaultValue(ArgSpec spec) {
        if (!(spec instanceof OptionSpec option)) {
            return null;
        }
        String key = key(option);
        String fromEnv = env.get("PARLEY_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
        if (fromEnv != null) {
            return fromEnv;
        }
        return file.getProperty(key);
    }

    /** {@code --tls-cert} is {@code tls-cert}. */
    static String key(OptionSpec option) {
        return option.longestName().replaceFirst("^-+", "");
    }
}
