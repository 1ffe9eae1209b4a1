package dev.keyhaven.server.sso;

import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * The identity provider's endpoints for a configuration: read from its discovery document (through
 * the guarded outbound client) or taken as configured by hand.
 */
@Component
class OidcProvider {
    private static final String WELL_KNOWN = "/.well-known/openid-configuration";
    private final OutboundHttp http;
    private final ObjectMapper json;

    OidcProvider(OutboundHttp http, ObjectMapper json) {
        this.http = http;
        this.json = json;
    }

    /** The endpoints a login uses. */
    record Endpoints(String issuer, String authorization, String token, String jwks) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    Endpoints endpoints(OidcSsoStore.Row c) {
        if (!OidcSsoConfigService.DISCOVERY.equals(c.configurationType())) {
            return new Endpoints(c.issuer(), c.authorizationEndpoint(), c.tokenEndpoint(), c.jwksUri());
        }
        String url = c.discoveryUrl().endsWith(WELL_KNOWN)
                ? c.discoveryUrl()
                : c.discoveryUrl().replaceAll("/+$", "") + WELL_KNOWN;
        OutboundHttp.Response res;
        try {
            res = http.get(url, null);
        } catch (OutboundHttp.OutboundException e) {
            throw new SsoFailure("cannot fetch the provider's discovery document: " + e.getMessage());
        }
        if (res.status() != 200) {
            throw new SsoFailure("cannot fetch the provider's discovery document: status " + res.status());
        }
        JsonNode doc;
        try {
            doc = json.readTree(res.body());
        } catch (JacksonException e) {
            throw new SsoFailure("the provider's discovery document is not JSON");
        }
        Endpoints e = new Endpoints(
                // a configured issuer pins the one the document may name
                c.issuer() != null ? c.issuer() : doc.path("issuer").asString(""),
                doc.path("authorization_endpoint").asString(""),
                doc.path("token_endpoint").asString(""),
                doc.path("jwks_uri").asString(""));
        if (e.issuer().isEmpty()
                || e.authorization().isEmpty()
                || e.token().isEmpty()
                || e.jwks().isEmpty()) {
            throw new SsoFailure("the provider's discovery document lacks issuer, authorization_endpoint, "
                    + "token_endpoint or jwks_uri");
        }
        if (!e.issuer().equals(doc.path("issuer").asString(""))) {
            throw new SsoFailure("the discovery document names another issuer than the configured one");
        }
        return e;
    }
}
