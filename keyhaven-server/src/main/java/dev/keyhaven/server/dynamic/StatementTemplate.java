package dev.keyhaven.server.dynamic;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A creation, revocation or renewal statement in Infisical's template syntax: statements separated
 * by {@code ;}, with {@code {{variable}}} placeholders. Only the variables a provider documents are
 * accepted (anything else is refused when the dynamic secret is saved), and the values put in are
 * the ones Keyhaven generates and checks ({@link Generated}): a username and password from a
 * restricted alphabet, a timestamp, a checked database name. No value a caller sends (a name, an
 * identity name, metadata) is ever put into a statement.
 */
public final class StatementTemplate {
    public static final int MAX_LENGTH = 8192;
    public static final int MAX_STATEMENTS = 32;
    private static final Pattern VARIABLE = Pattern.compile("\\{\\{\\s*([^{}]*?)\\s*}}");
    private static final Pattern SAFE_VALUE = Pattern.compile("[A-Za-z0-9_:.$+\\-]*");

    private final List<String> statements;

    private StatementTemplate(List<String> statements) {
        this.statements = statements;
    }

    /** Parses and checks a template; {@link DynamicSecretException} names the first problem. */
    public static StatementTemplate parse(String field, String template, Set<String> allowed) {
        if (template == null || template.isBlank()) {
            throw new DynamicSecretException(field + " is required");
        }
        if (template.length() > MAX_LENGTH) {
            throw new DynamicSecretException(field + " must be at most " + MAX_LENGTH + " characters");
        }
        Matcher m = VARIABLE.matcher(template);
        while (m.find()) {
            if (!allowed.contains(m.group(1))) {
                throw new DynamicSecretException(field + " uses the variable {{" + m.group(1)
                        + "}}, which is not one of "
                        + allowed.stream().sorted().map(v -> "{{" + v + "}}").toList());
            }
        }
        String rest = VARIABLE.matcher(template).replaceAll("");
        if (rest.contains("{{") || rest.contains("}}")) {
            throw new DynamicSecretException(field + " has an unclosed {{ variable }}");
        }
        List<String> statements = new ArrayList<>();
        for (String s : template.split(";")) {
            if (!s.isBlank()) {
                statements.add(s.strip());
            }
        }
        if (statements.isEmpty() || statements.size() > MAX_STATEMENTS) {
            throw new DynamicSecretException(field + " must hold between 1 and " + MAX_STATEMENTS + " statements");
        }
        return new StatementTemplate(List.copyOf(statements));
    }

    /**
     * The statements with the values put in. Every value is checked against a narrow alphabet
     * first, so even a provider bug cannot put a quote or a {@code ;} into a statement.
     */
    public List<String> render(Map<String, String> values) {
        values.forEach((k, v) -> {
            if (!SAFE_VALUE.matcher(v).matches()) {
                throw new IllegalArgumentException("unsafe value for {{" + k + "}}");
            }
        });
        List<String> out = new ArrayList<>(statements.size());
        for (String s : statements) {
            Matcher m = VARIABLE.matcher(s);
            out.add(m.replaceAll(r -> Matcher.quoteReplacement(values.getOrDefault(r.group(1), ""))));
        }
        return out;
    }
}
