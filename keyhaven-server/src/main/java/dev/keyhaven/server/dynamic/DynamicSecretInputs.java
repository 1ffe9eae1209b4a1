package dev.keyhaven.server.dynamic;

import dev.keyhaven.server.connection.AppConnectionService;
import dev.keyhaven.server.connection.ServerCredentials;
import dev.keyhaven.server.crypto.Keyring;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import org.springframework.stereotype.Component;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * A configuration's inputs: sealed with the project key (bound to the dynamic secret's id) and
 * opened for a provider. When the configuration names an app connection, only the statements are
 * stored and the connection's credentials are put in when it is opened, so a new password on the
 * connection reaches every dynamic secret using it.
 */
@Component
class DynamicSecretInputs {
    /** The input fields that are a target's credentials (stored only when no connection is named). */
    static final Set<String> CREDENTIAL_FIELDS = Set.of(
            "host",
            "port",
            "database",
            "username",
            "password",
            "sslEnabled",
            "sslRejectUnauthorized",
            "sslCertificate");

    private static final TypeReference<Map<String, Object>> MAP = new TypeReference<>() {};
    private final Keyring keyring;
    private final ObjectMapper json;
    private final AppConnectionService connections;

    DynamicSecretInputs(Keyring keyring, ObjectMapper json, AppConnectionService connections) {
        this.keyring = keyring;
        this.json = json;
        this.connections = connections;
    }

    String seal(String projectId, String dynamicSecretId, Map<String, Object> inputs, boolean viaConnection) {
        Map<String, Object> stored = new LinkedHashMap<>(inputs);
        if (viaConnection) {
            stored.keySet().removeAll(CREDENTIAL_FIELDS);
        }
        return keyring.sealForProject(projectId, json.writeValueAsString(stored), aad(dynamicSecretId));
    }

    /** The stored inputs alone (what a view shows; a connection's credentials are never shown). */
    Map<String, Object> stored(DynamicSecretStore.Row row) {
        return json.readValue(keyring.openForProject(row.projectId(), row.sealedInputs(), aad(row.id())), MAP);
    }

    /** The inputs a provider gets: stored ones, with the connection's credentials when one is named. */
    Map<String, Object> open(DynamicSecretStore.Row row) {
        Map<String, Object> inputs = stored(row);
        if (row.connectionId() != null) {
            ServerCredentials c = connections
                    .forProject(row.orgId(), row.projectId(), row.connectionId())
                    .orElseThrow(
                            () -> new DynamicSecretException(
                                    "the app connection of this dynamic secret was deleted or is no longer shared to the project"))
                    .credentials();
            inputs.putAll(withPassword(c));
        }
        return inputs;
    }

    /** What a caller may see of the inputs: no password. */
    static Map<String, Object> visible(Map<String, Object> inputs, String connectionId) {
        Map<String, Object> out = new LinkedHashMap<>(inputs);
        out.remove("password");
        if (connectionId != null) {
            out.keySet().removeAll(CREDENTIAL_FIELDS);
            out.put("connectionId", connectionId);
        }
        return out;
    }

    static Map<String, Object> withPassword(ServerCredentials c) {
        Map<String, Object> m = new LinkedHashMap<>(c.visible());
        m.put("password", c.password());
        return m;
    }

    private static String aad(String dynamicSecretId) {
        return "dynamic-secret:" + dynamicSecretId + ":inputs";
    }
}
