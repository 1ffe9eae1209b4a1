package dev.keyhaven.cli.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * A credential the config names in one of three ways: {@code <name>} (the value itself),
 * {@code <name>File} (a file holding it, e.g. a mounted Kubernetes secret; surrounding
 * whitespace and the final newline are dropped) or {@code <name>Env} (an environment variable).
 * It is read on every login, so a rotated file is picked up without a restart. Errors name the
 * file or the variable, never the value.
 */
final class Credential {
    private final String label;
    private final String inline;
    private final Path file;
    private final String envVar;

    private Credential(String label, String inline, Path file, String envVar) {
        this.label = label;
        this.inline = inline;
        this.file = file;
        this.envVar = envVar;
    }

    /** A credential in a fixed file, e.g. the default Kubernetes service-account token. */
    static Credential file(String label, Path file) {
        return new Credential(label, null, file, null);
    }

    /** Reads {@code name}, {@code nameFile} or {@code nameEnv} (exactly one) from the auth block. */
    static Credential fromConfig(ConfigNode auth, String name, String label, String exampleEnv) {
        String inline = auth.text(name);
        String file = auth.text(name + "File");
        String env = auth.text(name + "Env");
        int given = (inline != null ? 1 : 0) + (file != null ? 1 : 0) + (env != null ? 1 : 0);
        if (given == 0) {
            throw auth.error("the " + label + " is missing: set one of " + name + ", " + name + "File (a file that "
                    + "holds it) or " + name + "Env (e.g. " + name + "Env: " + exampleEnv + ").");
        }
        if (given > 1) {
            throw auth.error("give the " + label + " only one way: " + name + ", " + name + "File or " + name + "Env.");
        }
        Path path = null;
        if (file != null) {
            path = auth.file().toAbsolutePath().getParent().resolve(file.trim());
        }
        return new Credential(label, inline, path, env == null ? null : env.trim());
    }

    /** The current value; fails with a message naming where it was looked for. */
    String read(Map<String, String> env) {
        if (inline != null) {
            return inline;
        }
        if (file != null) {
            String v;
            try {
                v = Files.readString(file, StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new AgentConfigException("Cannot read the " + label + " from " + file + " ("
                        + e.getClass().getSimpleName() + ").");
            }
            if (v.isEmpty()) {
                throw new AgentConfigException("The " + label + " file " + file + " is empty.");
            }
            return v;
        }
        String v = env.get(envVar);
        if (v == null || v.isBlank()) {
            throw new AgentConfigException("The environment variable " + envVar + " (the " + label + ") is not set.");
        }
        return v.strip();
    }
}
