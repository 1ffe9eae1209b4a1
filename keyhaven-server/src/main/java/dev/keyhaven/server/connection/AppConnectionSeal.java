package dev.keyhaven.server.connection;

import dev.keyhaven.server.crypto.Keyring;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * Seals a connection's credentials with its organization's key, bound to the connection's id, so
 * a sealed value copied onto another row (or into another org) does not open.
 */
@Component
class AppConnectionSeal {
    private final Keyring keyring;
    private final ObjectMapper json;

    AppConnectionSeal(Keyring keyring, ObjectMapper json) {
        this.keyring = keyring;
        this.json = json;
    }

    String seal(String orgId, String connectionId, ServerCredentials credentials) {
        return keyring.sealForOrg(orgId, purpose(connectionId), json.writeValueAsString(credentials));
    }

    ServerCredentials open(AppConnectionStore.Row row) {
        return json.readValue(
                keyring.openForOrg(row.orgId(), purpose(row.id()), row.sealedCredentials()), ServerCredentials.class);
    }

    private static String purpose(String connectionId) {
        return "app-connection:" + connectionId + ":credentials";
    }
}
