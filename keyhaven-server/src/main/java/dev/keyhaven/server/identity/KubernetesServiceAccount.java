package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.Glob;
import java.util.Arrays;
import java.util.List;

/**
 * The service account a Kubernetes token belongs to, as the API server (TokenReview) or the
 * token's own claims name it, with the audiences it was accepted for. The allow-lists of a
 * configuration are checked here the same way in both modes, as Infisical checks them: comma lists
 * whose entries match exactly or as a glob, an empty list allowing any.
 */
record KubernetesServiceAccount(String namespace, String name, List<String> audiences) {
    private static final String PREFIX = "system:serviceaccount:";

    /** Parses {@code system:serviceaccount:<namespace>:<name>}; throws when the user is not a service account. */
    static KubernetesServiceAccount fromUsername(String username, List<String> audiences) {
        String[] parts = username == null || !username.startsWith(PREFIX)
                ? new String[0]
                : username.substring(PREFIX.length()).split(":", -1);
        if (parts.length != 2 || parts[0].isEmpty() || parts[1].isEmpty()) {
            throw new KubernetesRejection("the token does not belong to a service account");
        }
        return new KubernetesServiceAccount(parts[0], parts[1], audiences);
    }

    /** Throws unless namespace, name and audience are allowed by the configuration. */
    void requireAllowed(String allowedNamespaces, String allowedNames, String allowedAudience) {
        if (!matchesAny(allowedNamespaces, namespace)) {
            throw new KubernetesRejection("namespace " + namespace + " is not allowed");
        }
        if (!matchesAny(allowedNames, name)) {
            throw new KubernetesRejection("service account " + name + " is not allowed");
        }
        if (!allowedAudience.isEmpty() && !audiences.contains(allowedAudience)) {
            throw new KubernetesRejection("audience is not allowed");
        }
    }

    private static boolean matchesAny(String allowList, String value) {
        List<String> entries = entries(allowList);
        return entries.isEmpty() || entries.stream().anyMatch(e -> e.equals(value) || Glob.matches(e, value));
    }

    /** The non-empty, trimmed entries of a comma list. */
    static List<String> entries(String allowList) {
        return Arrays.stream(allowList.split(","))
                .map(String::trim)
                .filter(s -> !s.isEmpty())
                .toList();
    }
}
