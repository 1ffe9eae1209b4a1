package dev.keyhaven.cli;

import dev.keyhaven.client.Json;
import dev.keyhaven.client.Secret;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

/** Output formats (table, json, dotenv, yaml, csv) and the dotenv / JSON readers used by {@code set --file}. */
final class Formats {
    private static final Pattern PLAIN_YAML_KEY = Pattern.compile("[A-Za-z_][A-Za-z0-9_.-]*");
    private static final Pattern PLAIN_DOTENV = Pattern.compile("[A-Za-z0-9_./:@+,-]*");

    private Formats() {}

    // ---- key/value maps (export, run) ------------------------------------------------------

    static String dotenv(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach((k, v) -> b.append(k).append('=').append(dotenvValue(v)).append('\n'));
        return b.toString();
    }

    /** Plain when safe, single quotes when possible (literal), else double quotes with escapes. */
    static String dotenvValue(String v) {
        if (!v.isEmpty() && PLAIN_DOTENV.matcher(v).matches()) {
            return v;
        }
        if (v.indexOf('\'') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return "'" + v + "'";
        }
        StringBuilder b = new StringBuilder("\"");
        for (char c : v.toCharArray()) {
            switch (c) {
                case '\\' -> b.append("\\\\");
                case '"' -> b.append("\\\"");
                case '\n' -> b.append("\\n");
                case '\r' -> b.append("\\r");
                case '$' -> b.append("\\$");
                default -> b.append(c);
            }
        }
        return b.append('"').toString();
    }

    static String json(Map<String, String> values) {
        ObjectNode n = Json.Databind.MAPPER.createObjectNode();
        values.forEach(n::put);
        return Json.Databind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(n) + "\n";
    }

    static String yaml(Map<String, String> values) {
        StringBuilder b = new StringBuilder();
        values.forEach(
                (k, v) -> b.append(yamlKey(k)).append(": ").append(quoted(v)).append('\n'));
        return b.toString();
    }

    static String csv(Map<String, String> values) {
        StringBuilder b = new StringBuilder("Key,Value\n");
        values.forEach(
                (k, v) -> b.append(csvField(k)).append(',').append(csvField(v)).append('\n'));
        return b.toString();
    }

    // ---- secret lists (secrets list / get) -------------------------------------------------

    static String secrets(List<Secret> secrets, String format, boolean withPath) {
        return switch (format) {
            case "json" -> {
                ArrayNode arr = Json.Databind.MAPPER.createArrayNode();
                for (Secret s : secrets) {
                    arr.addObject()
                            .put("key", s.key())
                            .put("value", s.value())
                            .put("comment", s.comment())
                            .put("environment", s.environment())
                            .put("path", s.secretPath())
                            .put("version", s.version())
                            .put("type", s.type());
                }
                yield Json.Databind.MAPPER.writerWithDefaultPrettyPrinter().writeValueAsString(arr) + "\n";
            }
            case "dotenv" -> dotenv(toMap(secrets));
            case "yaml" -> yaml(toMap(secrets));
            case "table" -> table(secrets, withPath);
            default ->
                throw new KeyhavenCli.UserError("Unknown format '" + format + "': use table, json, dotenv or yaml.");
        };
    }

    static Map<String, String> toMap(List<Secret> secrets) {
        Map<String, String> m = new LinkedHashMap<>();
        secrets.forEach(s -> m.putIfAbsent(s.key(), s.value()));
        return m;
    }

    static String table(List<Secret> secrets, boolean withPath) {
        List<String[]> rows = new ArrayList<>();
        rows.add(withPath ? new String[] {"KEY", "VALUE", "PATH"} : new String[] {"KEY", "VALUE"});
        for (Secret s : secrets) {
            String v = s.value().replace("\\", "\\\\").replace("\n", "\\n").replace("\r", "\\r");
            rows.add(withPath ? new String[] {s.key(), v, s.secretPath()} : new String[] {s.key(), v});
        }
        return table(rows);
    }

    static String table(List<String[]> rows) {
        int cols = rows.get(0).length;
        int[] w = new int[cols];
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                w[i] = Math.max(w[i], r[i].length());
            }
        }
        StringBuilder b = new StringBuilder();
        for (String[] r : rows) {
            for (int i = 0; i < cols; i++) {
                b.append(i == cols - 1 ? r[i] : String.format("%-" + w[i] + "s  ", r[i]));
            }
            b.append('\n');
        }
        return b.toString();
    }

    // ---- readers ----------------------------------------------------------------------------

    /** Reads a dotenv file: KEY=value, 'literal', "escaped", {@code export} prefix, # comments. */
    static Map<String, String> parseDotenv(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        int i = 0;
        int n = text.length();
        int line = 1;
        while (i < n) {
            int eol = text.indexOf('\n', i);
            if (eol < 0) {
                eol = n;
            }
            String raw = text.substring(i, eol).strip();
            if (raw.isEmpty() || raw.startsWith("#")) {
                i = eol + 1;
                line++;
                continue;
            }
            if (raw.startsWith("export ")) {
                raw = raw.substring(7).strip();
            }
            int eq = raw.indexOf('=');
            if (eq <= 0) {
                throw new KeyhavenCli.UserError("dotenv line " + line + " is not KEY=value");
            }
            String key = raw.substring(0, eq).strip();
            int vstart = text.indexOf('=', i) + 1;
            while (vstart < n && (text.charAt(vstart) == ' ' || text.charAt(vstart) == '\t')) {
                vstart++;
            }
            char q = vstart < n ? text.charAt(vstart) : '\n';
            if (q == '\'' || q == '"') {
                StringBuilder v = new StringBuilder();
                int j = vstart + 1;
                for (; j < n && text.charAt(j) != q; j++) {
                    char c = text.charAt(j);
                    if (c == '\n') {
                        line++;
                    }
                    if (q == '"' && c == '\\' && j + 1 < n) {
                        char e = text.charAt(++j);
                        v.append(
                                switch (e) {
                                    case 'n' -> '\n';
                                    case 'r' -> '\r';
                                    case 't' -> '\t';
                                    default -> e;
                                });
                    } else {
                        v.append(c);
                    }
                }
                if (j >= n) {
                    throw new KeyhavenCli.UserError("dotenv line " + line + ": missing closing " + q);
                }
                out.put(key, v.toString());
                int next = text.indexOf('\n', j);
                i = next < 0 ? n : next + 1;
            } else {
                String v = text.substring(vstart, eol);
                int hash = v.indexOf(" #");
                if (hash >= 0) {
                    v = v.substring(0, hash);
                }
                out.put(key, v.strip());
                i = eol + 1;
            }
            line++;
        }
        return out;
    }

    /** Reads a JSON object of key to value (the {@code export --format json} output). */
    static Map<String, String> parseJson(String text) {
        JsonNode n = Json.Databind.MAPPER.readTree(text);
        if (!n.isObject()) {
            throw new KeyhavenCli.UserError("The JSON file must be an object of KEY: \"value\" pairs.");
        }
        Map<String, String> out = new LinkedHashMap<>();
        n.properties().forEach(e -> out.put(e.getKey(), e.getValue().asString()));
        return out;
    }

    private static String yamlKey(String k) {
        return PLAIN_YAML_KEY.matcher(k).matches() ? k : quoted(k);
    }

    /** A JSON string literal, which is also a valid YAML double-quoted scalar. */
    private static String quoted(String v) {
        return Json.Databind.MAPPER.writeValueAsString(v);
    }

    private static String csvField(String v) {
        if (v.indexOf(',') < 0 && v.indexOf('"') < 0 && v.indexOf('\n') < 0 && v.indexOf('\r') < 0) {
            return v;
        }
        return "\"" + v.replace("\"", "\"\"") + "\"";
    }
}
