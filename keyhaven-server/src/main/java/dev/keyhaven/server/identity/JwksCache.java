package dev.keyhaven.server.identity;

import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSet;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.text.ParseException;
import java.time.Clock;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.stereotype.Component;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

/**
 * JWKS documents fetched through {@link OutboundHttp} and kept for a few minutes per URL and CA, so
 * a login does not cost a round trip; a token naming an unknown {@code kid} forces one refetch
 * (the issuer may have rotated its keys).
 */
@Component
public class JwksCache {
    static final long TTL_MILLIS = 5 * 60 * 1000;
    private final OutboundHttp http;
    private final Clock clock;
    private final ObjectMapper json;
    private final Map<String, Entry> cache = new ConcurrentHashMap<>();
    private final Map<String, Discovered> discovery = new ConcurrentHashMap<>();

    private record Entry(List<JWK> keys, long fetchedAt) {}

    private record Discovered(String jwksUri, long fetchedAt) {}

    public JwksCache(OutboundHttp http, Clock clock, ObjectMapper json) {
        this.http = http;
        this.clock = clock;
        this.json = json;
    }

    /**
     * The {@code jwks_uri} named by {@code <discoveryUrl>/.well-known/openid-configuration}, cached like
     * keys; {@code refresh} refetches it (an issuer may move its keys along with rotating them).
     */
    public String jwksUri(String discoveryUrl, String caCert, boolean refresh) {
        String base = discoveryUrl.endsWith("/") ? discoveryUrl.substring(0, discoveryUrl.length() - 1) : discoveryUrl;
        String cacheKey = base + "\n" + (caCert == null ? "" : caCert);
        long now = clock.millis();
        Discovered d = discovery.get(cacheKey);
        if (!refresh && d != null && now - d.fetchedAt() < TTL_MILLIS) {
            return d.jwksUri();
        }
        String body = getJson(base + "/.well-known/openid-configuration", caCert, "the OIDC discovery document");
        JsonNode doc;
        try {
            doc = json.readTree(body);
        } catch (JacksonException e) {
            throw new JwtVerifier.Rejected("the OIDC discovery document is not valid JSON", true);
        }
        String uri = doc.path("jwks_uri").asString("");
        if (uri.isEmpty()) {
            throw new JwtVerifier.Rejected("the OIDC discovery document has no jwks_uri", true);
        }
        discovery.put(cacheKey, new Discovered(uri, now));
        return uri;
    }

    /** The keys at {@code url}; {@code refresh} bypasses the cache. Throws {@link JwtVerifier.Rejected} on failure. */
    public List<JWK> keys(String url, String caCert, boolean refresh) {
        String cacheKey = url + "\n" + (caCert == null ? "" : caCert);
        long now = clock.millis();
        Entry e = cache.get(cacheKey);
        if (!refresh && e != null && now - e.fetchedAt() < TTL_MILLIS) {
            return e.keys();
        }
        List<JWK> keys = fetch(url, caCert);
        cache.put(cacheKey, new Entry(keys, now));
        return keys;
    }

    /** Reads a JSON document through the guarded client; used for OIDC discovery as well. */
    String getJson(String url, String caCert, String what) {
        OutboundHttp.Response res;
        try {
            res = http.get(url, caCert);
        } catch (OutboundHttp.OutboundException e) {
            throw new JwtVerifier.Rejected("cannot fetch " + what + ": " + e.getMessage(), true);
        }
        if (res.status() != 200) {
            throw new JwtVerifier.Rejected("cannot fetch " + what + ": status " + res.status(), true);
        }
        return res.body();
    }

    private List<JWK> fetch(String url, String caCert) {
        String body = getJson(url, caCert, "JWKS");
        try {
            return JWKSet.parse(body).getKeys();
        } catch (ParseException e) {
            throw new JwtVerifier.Rejected("the JWKS document is not valid", true);
        }
    }
}
