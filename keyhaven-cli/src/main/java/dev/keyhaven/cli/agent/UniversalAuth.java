package dev.keyhaven.cli.agent;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Token;
import java.util.Map;
import java.util.Set;

/**
 * Universal auth: a machine identity's client id and client secret, exchanged at
 * {@code /api/v1/auth/universal-auth/login} for an access token. Each comes from the config, a
 * file or an environment variable ({@link Credential}).
 */
final class UniversalAuth implements AuthMethod {
    private static final Set<String> KEYS = Set.of(
            "method", "clientId", "clientIdFile", "clientIdEnv", "clientSecret", "clientSecretFile", "clientSecretEnv");

    private final Credential clientId;
    private final Credential clientSecret;
    private final Map<String, String> env;
    private volatile String lastClientId;

    private UniversalAuth(Credential clientId, Credential clientSecret, Map<String, String> env) {
        this.clientId = clientId;
        this.clientSecret = clientSecret;
        this.env = env;
    }

    static AuthMethod fromConfig(ConfigNode auth, Map<String, String> env) {
        auth.allowOnly(KEYS);
        UniversalAuth ua = new UniversalAuth(
                Credential.fromConfig(auth, "clientId", "client id", "KEYHAVEN_CLIENT_ID"),
                Credential.fromConfig(auth, "clientSecret", "client secret", "KEYHAVEN_CLIENT_SECRET"),
                env);
        // Fail at start-up, not at the first login, when a file or variable is missing.
        ua.lastClientId = ua.clientId.read(env);
        ua.clientSecret.read(env);
        return ua;
    }

    @Override
    public Token login(KeyhavenClient anonymous) {
        String id = clientId.read(env);
        lastClientId = id;
        return anonymous.universalAuthLogin(id, clientSecret.read(env));
    }

    @Override
    public String describe() {
        return "universal auth (client id " + lastClientId + ")";
    }
}
