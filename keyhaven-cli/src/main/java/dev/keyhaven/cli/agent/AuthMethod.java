package dev.keyhaven.cli.agent;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Token;
import java.util.Map;
import java.util.TreeMap;

/**
 * How the agent obtains an access token: one implementation per machine auth method, found by
 * the name in the config's {@code auth.method}, so adding a method (GCP, say) is adding one
 * class and one line to {@link #REGISTRY}. Renewal is the same for every method (the token
 * renew endpoint) and lives in {@link TokenKeeper}.
 */
interface AuthMethod {
    /** Logs in and returns a fresh token; credentials are read anew each time (a rotated file is picked up). */
    Token login(KeyhavenClient anonymous);

    /** For log lines: the method and a non-secret identifier such as the client id. */
    String describe();

    /** Reads the method's own keys of the {@code auth} block and checks its credentials can be read. */
    interface Factory {
        AuthMethod fromConfig(ConfigNode auth, Map<String, String> env);
    }

    Map<String, Factory> REGISTRY = new TreeMap<>(Map.of(
            "universal-auth",
            UniversalAuth::fromConfig,
            "kubernetes",
            JwtLoginAuth::kubernetes,
            "jwt",
            JwtLoginAuth::jwt,
            "oidc",
            JwtLoginAuth::oidc,
            "aws",
            AwsAuth::fromConfig));

    static AuthMethod fromConfig(ConfigNode auth, Map<String, String> env) {
        String name = auth.text("method") == null
                ? "universal-auth"
                : auth.text("method").trim();
        Factory f = REGISTRY.get(name);
        if (f == null) {
            throw auth.error(
                    "method",
                    "unknown auth method '" + name + "'; supported: " + String.join(", ", REGISTRY.keySet()) + ".");
        }
        return f.fromConfig(auth, env);
    }
}
