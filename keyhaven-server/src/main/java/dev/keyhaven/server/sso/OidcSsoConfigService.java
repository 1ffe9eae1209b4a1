package dev.keyhaven.server.sso;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;

/**
 * An organization's OIDC SSO configuration: read, created and changed by people allowed to manage
 * the org's SSO. The client secret is sealed with the org key and never leaves this class.
 */
@Service
public class OidcSsoConfigService {
    static final String DISCOVERY = "discoveryURL";
    static final String CUSTOM = "custom";
    private static final Pattern DOMAIN =
            Pattern.compile("^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\\.)+[a-z][a-z0-9-]{0,61}[a-z0-9]$");

    private final OidcSsoStore store;
    private final Keyring keyring;
    private final PermissionService permissions;
    private final AuditLog audit;
    private final Clock clock;

    OidcSsoConfigService(
            OidcSsoStore store, Keyring keyring, PermissionService permissions, AuditLog audit, Clock clock) {
        this.store = store;
        this.keyring = keyring;
        this.permissions = permissions;
        this.audit = audit;
        this.clock = clock;
    }

    /** The create and update body (Infisical's field names); on update every field is optional. */
    public record Input(
            String organizationId,
            String configurationType,
            String discoveryURL,
            String issuer,
            String authorizationEndpoint,
            String tokenEndpoint,
            String jwksUri,
            String userinfoEndpoint,
            String clientId,
            String clientSecret,
            Boolean isActive,
            String allowedEmailDomains) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /** A configuration as its managers see it: everything but the secret. */
    public record Config(
            String id,
            String orgId,
            String configurationType,
            String discoveryUrl,
            String issuer,
            String authorizationEndpoint,
            String tokenEndpoint,
            String jwksUri,
            String userinfoEndpoint,
            String clientId,
            boolean active,
            List<String> allowedEmailDomains,
            long createdAt,
            long updatedAt) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    public Config get(Actor actor, String orgId) {
        sameOrg(actor, orgId);
        permissions.org(actor).require(OrgSubject.SSO, OrgAction.READ);
        return view(store.byOrg(orgId).orElseThrow(() -> ApiException.notFound("No OIDC configuration found")));
    }

    public Config create(Actor actor, Input in) {
        String orgId = in.organizationId();
        sameOrg(actor, orgId);
        permissions.org(actor).require(OrgSubject.SSO, OrgAction.CREATE);
        if (store.byOrg(orgId).isPresent()) {
            throw ApiException.conflict("The organization already has an OIDC configuration; change it with PATCH");
        }
        String id = Ids.newId();
        long now = clock.millis();
        OidcSsoStore.Row row = merged(null, in, id, orgId, now);
        store.insert(row);
        record(actor, AuditEventType.CREATE_OIDC_SSO_CONFIG, row);
        return view(row);
    }

    public Config update(Actor actor, Input in) {
        String orgId = in.organizationId();
        sameOrg(actor, orgId);
        permissions.org(actor).require(OrgSubject.SSO, OrgAction.EDIT);
        OidcSsoStore.Row before =
                store.byOrg(orgId).orElseThrow(() -> ApiException.notFound("No OIDC configuration found"));
        OidcSsoStore.Row row = merged(before, in, before.id(), orgId, clock.millis());
        store.update(row);
        record(actor, AuditEventType.UPDATE_OIDC_SSO_CONFIG, row);
        return view(row);
    }

    /** The active configuration of an organization with its secret, for the login flow. */
    Optional<Active> active(String orgId) {
        return store.byOrg(orgId)
                .filter(OidcSsoStore.Row::active)
                .map(r -> new Active(r, keyring.openForOrg(orgId, purpose(r.id()), r.sealedClientSecret())));
    }

    /** An active configuration and its client secret. */
    record Active(OidcSsoStore.Row row, String clientSecret) {
        List<String> domains() {
            return domainList(row.allowedEmailDomains());
        }

        @Override
        public String toString() {
            return "Active[" + (row == null ? null : row.id()) + ", clientSecret=***]";
        }
    }

    private OidcSsoStore.Row merged(OidcSsoStore.Row b, Input in, String id, String orgId, long now) {
        String type = pick(in.configurationType(), b == null ? null : b.configurationType());
        if (type == null || !(type.equals(DISCOVERY) || type.equals(CUSTOM))) {
            throw ValidationException.field("configurationType", "Must be one of [custom, discoveryURL]");
        }
        String discovery = url("discoveryURL", pick(in.discoveryURL(), b == null ? null : b.discoveryUrl()));
        String issuer = text("issuer", pick(in.issuer(), b == null ? null : b.issuer()), 2048);
        String authz = url(
                "authorizationEndpoint",
                pick(in.authorizationEndpoint(), b == null ? null : b.authorizationEndpoint()));
        String token = url("tokenEndpoint", pick(in.tokenEndpoint(), b == null ? null : b.tokenEndpoint()));
        String jwks = url("jwksUri", pick(in.jwksUri(), b == null ? null : b.jwksUri()));
        String userinfo = url("userinfoEndpoint", pick(in.userinfoEndpoint(), b == null ? null : b.userinfoEndpoint()));
        if (type.equals(DISCOVERY) && discovery == null) {
            throw ValidationException.required("discoveryURL");
        }
        if (type.equals(CUSTOM)) {
            for (Map.Entry<String, String> e : Map.of(
                            "issuer", nz(issuer),
                            "authorizationEndpoint", nz(authz),
                            "tokenEndpoint", nz(token),
                            "jwksUri", nz(jwks))
                    .entrySet()) {
                if (e.getValue().isEmpty()) {
                    throw ValidationException.required(e.getKey());
                }
            }
        }
        String clientId = text("clientId", pick(in.clientId(), b == null ? null : b.clientId()), 255);
        if (clientId == null) {
            throw ValidationException.required("clientId");
        }
        String sealed;
        if (in.clientSecret() != null && !in.clientSecret().isEmpty()) {
            if (in.clientSecret().length() > 1024) {
                throw ValidationException.field("clientSecret", "Must be at most 1024 characters");
            }
            sealed = keyring.sealForOrg(orgId, purpose(id), in.clientSecret());
        } else if (b != null) {
            sealed = b.sealedClientSecret();
        } else {
            throw ValidationException.required("clientSecret");
        }
        String domains = in.allowedEmailDomains() == null
                ? (b == null ? "" : b.allowedEmailDomains())
                : String.join(",", domains(in.allowedEmailDomains()));
        boolean active = in.isActive() != null ? in.isActive() : b == null || b.active();
        return new OidcSsoStore.Row(
                id,
                orgId,
                type,
                discovery,
                issuer,
                authz,
                token,
                jwks,
                userinfo,
                clientId,
                sealed,
                domains,
                active,
                b == null ? now : b.createdAt(),
                now);
    }

    private static String purpose(String configId) {
        return "oidc-sso-config:" + configId + ":client-secret";
    }

    private static String pick(String given, String before) {
        if (given == null) {
            return before;
        }
        String s = given.strip();
        return s.isEmpty() ? null : s;
    }

    private static String nz(String s) {
        return s == null ? "" : s;
    }

    private static String text(String field, String v, int max) {
        if (v != null && (v.length() > max || v.chars().anyMatch(Character::isISOControl))) {
            throw ValidationException.field(field, "Must be at most " + max + " characters, no control characters");
        }
        return v;
    }

    private static String url(String field, String v) {
        if (v == null) {
            return null;
        }
        text(field, v, 2048);
        try {
            URI u = new URI(v);
            String scheme = u.getScheme() == null ? "" : u.getScheme().toLowerCase(Locale.ROOT);
            if (!(scheme.equals("https") || scheme.equals("http")) || u.getHost() == null || u.getUserInfo() != null) {
                throw ValidationException.field(field, "Must be an http(s) URL with a host");
            }
        } catch (java.net.URISyntaxException e) {
            throw ValidationException.field(field, "Not a valid URL");
        }
        return v;
    }

    static List<String> domainList(String stored) {
        List<String> out = new ArrayList<>();
        for (String d : (stored == null ? "" : stored).split(",")) {
            if (!d.isBlank()) {
                out.add(d.strip());
            }
        }
        return out;
    }

    private static List<String> domains(String commaList) {
        Set<String> out = new LinkedHashSet<>();
        for (String d : commaList.split(",")) {
            String v = d.strip().toLowerCase(Locale.ROOT);
            if (v.isEmpty()) {
                continue;
            }
            if (!DOMAIN.matcher(v).matches()) {
                throw ValidationException.field(
                        "allowedEmailDomains",
                        "Not a domain name: '" + (v.length() > 64 ? v.substring(0, 64) : v) + "'");
            }
            out.add(v);
        }
        if (out.size() > 100) {
            throw ValidationException.field("allowedEmailDomains", "At most 100 domains");
        }
        return new ArrayList<>(out);
    }

    private void record(Actor actor, AuditEventType type, OidcSsoStore.Row row) {
        audit.record(AuditEvent.of(
                actor,
                null,
                null,
                type,
                Map.of(
                        "configId", row.id(),
                        "configurationType", row.configurationType(),
                        "clientId", row.clientId(),
                        "isActive", row.active())));
    }

    private static void sameOrg(Actor actor, String orgId) {
        if (orgId == null || !orgId.equals(actor.orgId())) {
            throw ApiException.forbidden("You can only manage the organization your session belongs to");
        }
    }

    private static Config view(OidcSsoStore.Row r) {
        return new Config(
                r.id(),
                r.orgId(),
                r.configurationType(),
                r.discoveryUrl(),
                r.issuer(),
                r.authorizationEndpoint(),
                r.tokenEndpoint(),
                r.jwksUri(),
                r.userinfoEndpoint(),
                r.clientId(),
                r.active(),
                domainList(r.allowedEmailDomains()),
                r.createdAt(),
                r.updatedAt());
    }
}
