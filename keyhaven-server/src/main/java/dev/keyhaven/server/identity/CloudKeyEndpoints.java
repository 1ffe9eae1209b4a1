package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.regex.Pattern;
import org.springframework.stereotype.Component;

/**
 * Where the public keys of Google- and Microsoft-issued tokens are fetched for GCP and Azure auth.
 * The locations are operator settings, never request input ({@code KEYHAVEN_GCP_JWKS_URL},
 * {@code KEYHAVEN_GCP_SERVICE_ACCOUNT_KEYS_URL}, {@code KEYHAVEN_AZURE_LOGIN_URL}), so tests can point
 * them at a loopback stand-in; only a validated service-account email or tenant id is ever added to
 * them. A malformed setting stops the server at start-up.
 */
@Component
class CloudKeyEndpoints {
    /** The only service-account emails GCP IAM auth accepts (as Infisical): {@code name@project.iam.gserviceaccount.com}. */
    static final Pattern SERVICE_ACCOUNT = Pattern.compile("^[a-z0-9-]+@([a-z0-9-]+)\\.iam\\.gserviceaccount\\.com$");

    static final Pattern TENANT_ID =
            Pattern.compile("^[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}$");

    private final String googleJwks;
    private final String serviceAccountKeys;
    private final String azureLogin;

    CloudKeyEndpoints(KeyhavenProperties props) {
        this.googleJwks = checked("KEYHAVEN_GCP_JWKS_URL", props.gcpJwksUrlOrDefault());
        String sa = checked("KEYHAVEN_GCP_SERVICE_ACCOUNT_KEYS_URL", props.gcpServiceAccountKeysUrlOrDefault());
        this.serviceAccountKeys = sa.endsWith("/") ? sa : sa + "/";
        String login = checked("KEYHAVEN_AZURE_LOGIN_URL", props.azureLoginUrlOrDefault());
        this.azureLogin = login.endsWith("/") ? login.substring(0, login.length() - 1) : login;
    }

    /** Google's keys for ID tokens (the metadata server's identity tokens). */
    String googleIdTokenKeys() {
        return googleJwks;
    }

    /** The keys of one service account, for JWTs it signed with {@code signJwt}; the email must match {@link #SERVICE_ACCOUNT}. */
    String serviceAccountKeys(String email) {
        if (!SERVICE_ACCOUNT.matcher(email).matches()) {
            throw new IllegalArgumentException("not a service-account email");
        }
        return serviceAccountKeys + URLEncoder.encode(email, StandardCharsets.UTF_8);
    }

    /** The signing keys of an Entra ID tenant; the id must match {@link #TENANT_ID}. */
    String entraKeys(String tenantId) {
        if (!TENANT_ID.matcher(tenantId).matches()) {
            throw new IllegalArgumentException("not a tenant id");
        }
        return azureLogin + "/" + tenantId + "/discovery/v2.0/keys";
    }

    private static String checked(String setting, String url) {
        try {
            URI u = URI.create(url);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase();
            if ((scheme.equals("https") || scheme.equals("http")) && u.getHost() != null) {
                return url;
            }
        } catch (IllegalArgumentException e) {
            // reported below
        }
        throw new StartupException(setting + " must be an http(s) URL, got: " + url);
    }
}
