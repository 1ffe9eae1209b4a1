package dev.keyhaven.client;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** A list response: the folder's own secrets, the imports (when asked for) and the ETag. */
public record SecretList(List<Secret> secrets, List<SecretImport> imports, String etag) {

    /**
     * Key to value with imports merged the way the Infisical CLI merges them: the folder's own
     * keys win, then imports from the last to the first (a later import wins over an earlier one).
     * With a recursive list the first occurrence of a key wins.
     */
    public Map<String, String> merged() {
        Map<String, String> out = new LinkedHashMap<>();
        for (Secret s : secrets) {
            out.putIfAbsent(s.key(), s.value());
        }
        for (int i = imports.size() - 1; i >= 0; i--) {
            for (Secret s : imports.get(i).secrets()) {
                out.putIfAbsent(s.key(), s.value());
            }
        }
        return out;
    }

    /** The merged secrets as objects (own secrets first, then the imported ones that are not shadowed). */
    public List<Secret> mergedSecrets() {
        Map<String, Secret> out = new LinkedHashMap<>();
        for (Secret s : secrets) {
            out.putIfAbsent(s.key(), s);
        }
        for (int i = imports.size() - 1; i >= 0; i--) {
            for (Secret s : imports.get(i).secrets()) {
                out.putIfAbsent(s.key(), s);
            }
        }
        return List.copyOf(out.values());
    }
}
