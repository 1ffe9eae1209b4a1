package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import dev.keyhaven.server.platform.config.StartupException;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.source.MapConfigurationPropertySource;

/**
 * Where GCP and Azure keys are fetched: Google's and Microsoft's URLs by default, operator
 * settings otherwise, and only a validated email or tenant id is ever added to them.
 */
class CloudKeyEndpointsTest {
    static final String TENANT = "72f988bf-86f1-41af-91ab-2d7cd011db47";

    private static CloudKeyEndpoints endpoints(Map<String, String> settings) {
        KeyhavenProperties props = new Binder(new MapConfigurationPropertySource(settings))
                .bindOrCreate("keyhaven", KeyhavenProperties.class);
        return new CloudKeyEndpoints(props);
    }

    @Test
    void theDefaultsAreGooglesAndMicrosoftsPublicEndpoints() {
        CloudKeyEndpoints e = endpoints(Map.of());

        assertThat(e.googleIdTokenKeys()).isEqualTo("https://www.googleapis.com/oauth2/v3/certs");
        assertThat(e.serviceAccountKeys("api-runner@acme-prod.iam.gserviceaccount.com"))
                .isEqualTo(
                        "https://www.googleapis.com/service_accounts/v1/metadata/jwk/api-runner%40acme-prod.iam.gserviceaccount.com");
        assertThat(e.entraKeys(TENANT))
                .isEqualTo("https://login.microsoftonline.com/" + TENANT + "/discovery/v2.0/keys");
    }

    @Test
    void configuredBasesAreUsedWithOrWithoutATrailingSlash() {
        CloudKeyEndpoints e = endpoints(Map.of(
                "keyhaven.gcp-service-account-keys-url",
                "http://127.0.0.1:9/sa",
                "keyhaven.azure-login-url",
                "http://127.0.0.1:9/"));

        assertThat(e.serviceAccountKeys("a@b.iam.gserviceaccount.com"))
                .isEqualTo("http://127.0.0.1:9/sa/a%40b.iam.gserviceaccount.com");
        assertThat(e.entraKeys(TENANT)).isEqualTo("http://127.0.0.1:9/" + TENANT + "/discovery/v2.0/keys");
    }

    @Test
    void aSettingThatIsNotAnHttpUrlStopsStartUpNamingTheSetting() {
        assertThatThrownBy(() -> endpoints(Map.of("keyhaven.azure-login-url", "login.microsoftonline.com")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("KEYHAVEN_AZURE_LOGIN_URL");
        assertThatThrownBy(() -> endpoints(Map.of("keyhaven.gcp-jwks-url", "file:///etc/passwd")))
                .isInstanceOf(StartupException.class)
                .hasMessageContaining("KEYHAVEN_GCP_JWKS_URL");
    }

    @Test
    void nothingButAServiceAccountEmailOrATenantGuidIsAddedToAUrl() {
        CloudKeyEndpoints e = endpoints(Map.of());

        assertThatThrownBy(() -> e.serviceAccountKeys("../../oauth2/v3/certs#@x.iam.gserviceaccount.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.serviceAccountKeys("123-compute@developer.gserviceaccount.com"))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> e.entraKeys("common/../evil")).isInstanceOf(IllegalArgumentException.class);
    }
}
