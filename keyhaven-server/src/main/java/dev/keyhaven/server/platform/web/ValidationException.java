package dev.keyhaven.server.platform.web;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A request that does not fit its schema: rendered as 422 {@code ValidationFailure} with a list of
 * zod-style issues ({@code code, path, message}), each naming the offending field.
 */
public class ValidationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final List<Map<String, Object>> issues;

    private ValidationException(List<Map<String, Object>> issues) {
        super(
                issues.isEmpty()
                        ? "invalid request"
                        : String.valueOf(issues.get(0).get("message")));
        this.issues = issues;
    }

    public static ValidationException field(String field, String message) {
        return of("custom", List.of((Object[]) field.split("\\.")), message);
    }

    public static ValidationException invalidType(String field, String expected, String received) {
        Map<String, Object> issue = issue(
                "invalid_type",
                field == null || field.isEmpty() ? List.of() : List.of(field.split("\\.")),
                "Expected " + expected + ", received " + received);
        issue.put("expected", expected);
        issue.put("received", received);
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(issue);
        return new ValidationException(list);
    }

    public static ValidationException required(String field) {
        Map<String, Object> issue = issue("invalid_type", List.of(field.split("\\.")), "Required");
        issue.put("expected", "string");
        issue.put("received", "undefined");
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(issue);
        return new ValidationException(list);
    }

    private static ValidationException of(String code, List<Object> path, String message) {
        List<Map<String, Object>> list = new ArrayList<>();
        list.add(issue(code, path, message));
        return new ValidationException(list);
    }

    private static Map<String, Object> issue(String code, List<?> path, String message) {
        Map<String, Object> issue = new LinkedHashMap<>();
        issue.put("code", code);
        issue.put("path", path);
        issue.put("message", message);
        return issue;
    }

    public List<Map<String, Object>> issues() {
        return issues;
    }
}
