package dev.keyhaven.cli.agent;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

/**
 * The agent's configuration, read from its YAML file: the server, how to log in, how often to
 * poll, and the templates to render. Everything is checked while loading (templates are parsed,
 * credentials are read once) so that a mistake stops the agent at start-up with a message naming
 * the line and the field. Relative paths are relative to the config file's directory.
 */
public record AgentConfig(
        String url, AuthMethod auth, Duration pollInterval, Duration maxRetryInterval, List<TemplateConfig> templates) {

    /** One template: what to render, where, with which mode, and what to run after a change. */
    record TemplateConfig(
            String name,
            Template template,
            String projectId,
            Path destination,
            Set<PosixFilePermission> mode,
            PostRenderCommand command) {}

    public static final String DEFAULT_URL = "http://localhost:8080";
    static final Duration DEFAULT_POLL = Duration.ofSeconds(30);
    static final Duration DEFAULT_MAX_RETRY = Duration.ofMinutes(5);
    static final Duration DEFAULT_COMMAND_TIMEOUT = Duration.ofSeconds(30);
    static final Duration MIN_INTERVAL = Duration.ofMillis(50);

    private static final Set<String> TOP_KEYS =
            Set.of("url", "projectId", "auth", "pollInterval", "maxRetryInterval", "templates");
    private static final Set<String> TEMPLATE_KEYS =
            Set.of("source", "contents", "destination", "mode", "command", "commandTimeout", "projectId");
    private static final Pattern MODE = Pattern.compile("0?[0-7]{3}");
    private static final PosixFilePermission[] BITS = {
        PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE, PosixFilePermission.OTHERS_READ,
        PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE, PosixFilePermission.GROUP_READ,
        PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE, PosixFilePermission.OWNER_READ
    };

    /**
     * Loads {@code file}. The server URL is {@code urlOverride} (the --url option) when given,
     * else the config's {@code url}, else {@code KEYHAVEN_URL}, else {@link #DEFAULT_URL}.
     */
    public static AgentConfig load(Path file, Map<String, String> env, String urlOverride) {
        ConfigNode root = ConfigNode.load(file).allowOnly(TOP_KEYS);
        Path dir = file.toAbsolutePath().getParent();
        String url = firstNonBlank(urlOverride, root.text("url"), env.get("KEYHAVEN_URL"), DEFAULT_URL);
        ConfigNode authNode = root.mapping("auth");
        if (authNode == null) {
            throw root.error("'auth' is required, e.g. auth: {method: universal-auth, clientIdFile: ..., "
                    + "clientSecretFile: ...}.");
        }
        AuthMethod auth = AuthMethod.fromConfig(authNode, env);
        Duration poll = duration(root, "pollInterval", DEFAULT_POLL);
        Duration maxRetry = duration(root, "maxRetryInterval", DEFAULT_MAX_RETRY);
        if (maxRetry.compareTo(poll) < 0) {
            maxRetry = poll;
        }
        String projectId = root.text("projectId");
        List<ConfigNode> items = root.list("templates");
        if (items.isEmpty()) {
            throw root.error("'templates' is required: a list of at least one template (destination and source or "
                    + "contents).");
        }
        List<TemplateConfig> templates = new ArrayList<>();
        Set<Path> destinations = new HashSet<>();
        for (ConfigNode t : items) {
            TemplateConfig tc = template(t.allowOnly(TEMPLATE_KEYS), dir, projectId);
            if (!destinations.add(tc.destination())) {
                throw t.error("destination", tc.destination() + " is the destination of another template too.");
            }
            templates.add(tc);
        }
        return new AgentConfig(url, auth, poll, maxRetry, List.copyOf(templates));
    }

    private static TemplateConfig template(ConfigNode t, Path dir, String defaultProject) {
        String project = firstNonBlank(t.text("projectId"), defaultProject);
        if (project == null) {
            throw t.error("no project: set 'projectId' at the top of the config (or in this template).");
        }
        Path dest = dir.resolve(t.requiredText("destination", "the file to write, e.g. destination: /etc/app/db.env"))
                .normalize();
        String source = t.text("source");
        String contents = t.text("contents");
        if ((source == null) == (contents == null)) {
            throw t.error("give exactly one of 'source' (a template file) or 'contents' (the template text).");
        }
        String name;
        String text;
        if (source != null) {
            Path src = dir.resolve(source.trim()).normalize();
            name = src.toString();
            try {
                text = Files.readString(src, StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw t.error(
                        "source",
                        "cannot read the template " + src + " (" + e.getClass().getSimpleName() + ").");
            }
        } else {
            name = t.file().getFileName() + " " + t.field() + ".contents";
            text = contents;
        }
        Template template = Template.parse(text, name);
        Set<PosixFilePermission> mode = mode(t);
        Duration timeout = duration(t, "commandTimeout", DEFAULT_COMMAND_TIMEOUT);
        String cmd = t.text("command");
        PostRenderCommand command = cmd == null || cmd.isBlank() ? null : new PostRenderCommand(cmd, timeout, dir);
        return new TemplateConfig(name, template, project.trim(), dest, mode, command);
    }

    /** An octal mode such as 0600 or 640 (default 0600); set-id and sticky bits cannot be written. */
    private static Set<PosixFilePermission> mode(ConfigNode t) {
        String m = t.text("mode");
        if (m == null) {
            m = "0600";
        }
        if (!MODE.matcher(m.trim()).matches()) {
            throw t.error("mode", "'" + m + "' is not a file mode; write it in octal, e.g. mode: \"0640\".");
        }
        int bits = Integer.parseInt(m.trim(), 8);
        Set<PosixFilePermission> out = EnumSet.noneOf(PosixFilePermission.class);
        for (int i = 0; i < BITS.length; i++) {
            if ((bits & (1 << i)) != 0) {
                out.add(BITS[i]);
            }
        }
        if (!out.contains(PosixFilePermission.OWNER_READ)) {
            throw t.error(
                    "mode",
                    "'" + m + "' must let the owner read the file (the agent compares it with a new "
                            + "rendering), e.g. 0400, 0600 or 0640.");
        }
        return Set.copyOf(out);
    }

    /** A mode as chmod writes it, e.g. {@code 0640}. */
    static String octal(Set<PosixFilePermission> mode) {
        int bits = 0;
        for (int i = 0; i < BITS.length; i++) {
            if (mode.contains(BITS[i])) {
                bits |= 1 << i;
            }
        }
        return String.format("%04o", bits);
    }

    private static Duration duration(ConfigNode n, String key, Duration dflt) {
        String text = n.text(key);
        if (text == null) {
            return dflt;
        }
        Duration d = Durations.parse(text);
        if (d == null) {
            throw n.error(key, "'" + text + "' is not a duration; write e.g. 500ms, 30s, 5m or 1h.");
        }
        if (d.compareTo(MIN_INTERVAL) < 0) {
            throw n.error(key, "must be at least " + MIN_INTERVAL.toMillis() + "ms.");
        }
        return d;
    }

    private static String firstNonBlank(String... values) {
        for (String v : values) {
            if (v != null && !v.isBlank()) {
                return v.trim();
            }
        }
        return null;
    }
}
