package dev.keyhaven.cli.agent;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

/**
 * One node of the agent's YAML config, read with SnakeYAML's composer only: no object is
 * constructed from the YAML, and every scalar is kept as the text that was written, so
 * {@code mode: 0640} means the octal mode 0640 (not YAML 1.1's decimal 416). Each accessor names
 * the file, the line and the dotted field when it fails, so a mistake is found at once.
 */
final class ConfigNode {
    private final Path file;
    private final String field;
    private final Node node;

    private ConfigNode(Path file, String field, Node node) {
        this.file = file;
        this.field = field;
        this.node = node;
    }

    /** The top-level mapping of a YAML file. */
    static ConfigNode load(Path file) {
        String text;
        try {
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new AgentConfigException("Cannot read the agent config " + file + ": " + e.getMessage());
        }
        LoaderOptions options = new LoaderOptions();
        options.setMaxAliasesForCollections(20);
        options.setAllowDuplicateKeys(false);
        Node root;
        try (Reader r = new java.io.StringReader(text)) {
            root = new Yaml(options).compose(r);
        } catch (MarkedYAMLException e) {
            throw new AgentConfigException(
                    file + " line " + (e.getProblemMark().getLine() + 1) + ": not valid YAML: " + e.getProblem());
        } catch (YAMLException | IOException e) {
            throw new AgentConfigException(file + ": not valid YAML: " + e.getMessage());
        }
        if (root == null) {
            throw new AgentConfigException(
                    file + " is empty; see `keyhaven agent --help` and docs/cli.md for an example.");
        }
        ConfigNode top = new ConfigNode(file, "", root);
        top.requireMapping();
        return top;
    }

    /** Fails on a key that is not one of {@code allowed} (a typo would otherwise be silently ignored). */
    ConfigNode allowOnly(Set<String> allowed) {
        for (NodeTuple t : requireMapping().getValue()) {
            String key = keyOf(t);
            if (!allowed.contains(key)) {
                throw new AgentConfigException(at(t.getKeyNode()) + "unknown key '" + child(key) + "'; expected one of "
                        + String.join(", ", allowed) + ".");
            }
        }
        return this;
    }

    boolean has(String key) {
        Node v = value(key);
        return v != null && !isNull(v);
    }

    /** A scalar as written, or null when the key is missing or null. */
    String text(String key) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return null;
        }
        if (!(v instanceof ScalarNode s)) {
            throw new AgentConfigException(at(v) + child(key) + " must be a single value, not a list or a map.");
        }
        return s.getValue();
    }

    String requiredText(String key, String hint) {
        String t = text(key);
        if (t == null || t.isBlank()) {
            throw new AgentConfigException(at(node) + (field.isEmpty() ? "" : field + ": ") + "'" + key
                    + "' is required" + (hint == null ? "." : "; " + hint));
        }
        return t;
    }

    /** A nested mapping, or null when the key is missing. */
    ConfigNode mapping(String key) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return null;
        }
        ConfigNode c = new ConfigNode(file, child(key), v);
        c.requireMapping();
        return c;
    }

    /** The items of a list (empty when the key is missing). */
    List<ConfigNode> list(String key) {
        Node v = value(key);
        if (v == null || isNull(v)) {
            return List.of();
        }
        if (!(v instanceof SequenceNode seq)) {
            throw new AgentConfigException(at(v) + child(key) + " must be a list (items starting with '- ').");
        }
        List<ConfigNode> out = new ArrayList<>();
        for (Node item : seq.getValue()) {
            out.add(new ConfigNode(file, child(key) + "[" + out.size() + "]", item));
        }
        return out;
    }

    /** An error about {@code key} of this node, with the file, line and field. */
    AgentConfigException error(String key, String problem) {
        Node v = value(key);
        return new AgentConfigException(at(v != null ? v : node) + child(key) + ": " + problem);
    }

    /** An error about this node as a whole. */
    AgentConfigException error(String problem) {
        return new AgentConfigException(at(node) + (field.isEmpty() ? "" : field + ": ") + problem);
    }

    String field() {
        return field;
    }

    Path file() {
        return file;
    }

    private MappingNode requireMapping() {
        if (!(node instanceof MappingNode m)) {
            throw new AgentConfigException(
                    at(node) + (field.isEmpty() ? "the config" : field) + " must be a map of 'key: value' lines.");
        }
        return m;
    }

    private Node value(String key) {
        Map<String, Node> entries = new LinkedHashMap<>();
        for (NodeTuple t : requireMapping().getValue()) {
            entries.put(keyOf(t), t.getValueNode());
        }
        return entries.get(key);
    }

    private String keyOf(NodeTuple t) {
        if (!(t.getKeyNode() instanceof ScalarNode k)) {
            throw new AgentConfigException(at(t.getKeyNode()) + "a key must be plain text.");
        }
        return k.getValue();
    }

    private static boolean isNull(Node v) {
        return Tag.NULL.equals(v.getTag());
    }

    private String child(String key) {
        return field.isEmpty() ? key : field + "." + key;
    }

    private String at(Node n) {
        return file.getFileName() + " line " + (n.getStartMark().getLine() + 1) + ": ";
    }
}
