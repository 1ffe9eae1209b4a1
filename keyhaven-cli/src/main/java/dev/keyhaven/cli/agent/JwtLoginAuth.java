package dev.keyhaven.cli.agent;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Token;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * Kubernetes, JWT and OIDC auth: the identity id and a signed token the workload already holds
 * (a projected service-account token, a CI job's OIDC token), exchanged at
 * {@code /api/v1/auth/<route>/login}. The three differ only in route and defaults, so they share
 * this class. The token is read from its file or variable at every login, because projected tokens
 * rotate, and it is never logged.
 */
final class JwtLoginAuth implements AuthMethod {
    static final Path SERVICE_ACCOUNT_TOKEN = Path.of("/var/run/secrets/kubernetes.io/serviceaccount/token");
    private static final Set<String> KEYS =
            Set.of("method", "identityId", "identityIdFile", "identityIdEnv", "tokenFile", "tokenEnv");

    private final String route;
    private final String name;
    private final Credential identityId;
    private final Credential token;
    private final Map<String, String> env;
    private volatile String lastIdentityId;

    private JwtLoginAuth(String route, String name, Credential identityId, Credential token, Map<String, String> env) {
        this.route = route;
        this.name = name;
        this.identityId = identityId;
        this.token = token;
        this.env = env;
    }

    /** {@code method: kubernetes}; the token file defaults to the pod's service-account token. */
    static AuthMethod kubernetes(ConfigNode auth, Map<String, String> env) {
        return fromConfig(
                auth,
                env,
                "kubernetes-auth",
                "Kubernetes auth",
                "service-account token",
                Credential.file("service-account token", SERVICE_ACCOUNT_TOKEN));
    }

    /** {@code method: jwt}: a token signed by a key the identity's JWT auth trusts. */
    static AuthMethod jwt(ConfigNode auth, Map<String, String> env) {
        return fromConfig(auth, env, "jwt-auth", "JWT auth", "JWT", null);
    }

    /** {@code method: oidc}: an ID token of the issuer the identity's OIDC auth discovers. */
    static AuthMethod oidc(ConfigNode auth, Map<String, String> env) {
        return fromConfig(auth, env, "oidc-auth", "OIDC auth", "OIDC token", null);
    }

    private static AuthMethod fromConfig(
            ConfigNode auth,
            Map<String, String> env,
            String route,
            String name,
            String tokenLabel,
            Credential defaultToken) {
        auth.allowOnly(KEYS);
        Credential id = Credential.fromConfig(auth, "identityId", "identity id", "KEYHAVEN_IDENTITY_ID");
        boolean file = auth.has("tokenFile");
        boolean variable = auth.has("tokenEnv");
        if (file && variable) {
            throw auth.error("give the " + tokenLabel + " only one way: tokenFile or tokenEnv.");
        }
        if (!file && !variable && defaultToken == null) {
            throw auth.error("the " + tokenLabel + " is missing: set tokenFile (a file that holds it) or tokenEnv "
                    + "(an environment variable, e.g. tokenEnv: KEYHAVEN_JWT).");
        }
        // 'token' itself is not a key (allowOnly refuses it): a signed token expires long before a config changes
        Credential token =
                file || variable ? Credential.fromConfig(auth, "token", tokenLabel, "KEYHAVEN_JWT") : defaultToken;
        JwtLoginAuth a = new JwtLoginAuth(route, name, id, token, env);
        // Fail at start-up, not at the first login, when a file or variable is missing.
        a.lastIdentityId = at(auth, "identityId", () -> id.read(env), "");
        String hint = token == defaultToken ? " Not in a pod, or the token is mounted elsewhere? Set tokenFile." : "";
        at(auth, variable ? "tokenEnv" : "tokenFile", () -> token.read(env), hint);
        return a;
    }

    /** Runs a read, giving its failure the config's line and field. */
    private static String at(ConfigNode auth, String key, Supplier<String> read, String hint) {
        try {
            return read.get();
        } catch (AgentConfigException e) {
            throw auth.error(key, e.getMessage() + hint);
        }
    }

    @Override
    public Token login(KeyhavenClient anonymous) {
        String id = identityId.read(env);
        lastIdentityId = id;
        return anonymous.jwtLogin(route, id, token.read(env));
    }

    @Override
    public String describe() {
        return name + " (identity " + lastIdentityId + ")";
    }
}
