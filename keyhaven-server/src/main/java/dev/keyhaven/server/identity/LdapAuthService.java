package dev.keyhaven.server.identity;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.crypto.Keyring;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.ObjectMapper;

/**
 * LDAP auth: an identity logs in with a username and password that a directory (OpenLDAP, Active
 * Directory, …) accepts, found through a service account and a search filter and limited by
 * allowed DN patterns, attribute values and groups. The service account's DN and password are
 * sealed under the org key and never returned; the login itself is {@link LdapLogin}.
 */
@Service
public class LdapAuthService implements MachineAuthMethod<LdapAuthService.Settings, LdapAuthStore.Config> {
    public static final String NAME = "ldap-auth";
    static final String DEFAULT_FILTER = "(uid=" + LdapDirectory.PLACEHOLDER + ")";
    private static final Pattern ATTRIBUTE =
            Pattern.compile("[A-Za-z][A-Za-z0-9-]*(;[A-Za-z0-9-]+)*|[0-9]+(\\.[0-9]+)+");
    static final TypeReference<List<LdapAccessRules.AllowedField>> FIELDS = new TypeReference<>() {};
    static final TypeReference<List<String>> STRINGS = new TypeReference<>() {};

    private final LdapAuthStore store;
    private final MethodConfigs configs;
    private final LdapLogin ldapLogin;
    private final PermissionService permissions;
    private final AuthConfigChanges changes;
    private final Keyring keyring;
    private final ObjectMapper json;

    public LdapAuthService(
            LdapAuthStore store,
            MethodConfigs configs,
            LdapLogin ldapLogin,
            PermissionService permissions,
            AuthConfigChanges changes,
            Keyring keyring,
            ObjectMapper json) {
        this.store = store;
        this.configs = configs;
        this.ldapLogin = ldapLogin;
        this.permissions = permissions;
        this.changes = changes;
        this.keyring = keyring;
        this.json = json;
    }

    /**
     * The attach/update body with Infisical's names ({@code caCert} is accepted for
     * {@code ldapCaCertificate}); {@code useStartTls}, {@code allowedGroups} and
     * {@code allowedDnPatterns} are Keyhaven's. On update absent fields keep their value.
     */
    public record Settings(
            String url,
            String bindDN,
            String bindPass,
            String searchBase,
            String searchFilter,
            List<LdapAccessRules.AllowedField> allowedFields,
            String ldapCaCertificate,
            String caCert,
            Boolean useStartTls,
            List<String> allowedGroups,
            List<String> allowedDnPatterns,
            Long accessTokenTTL,
            Long accessTokenMaxTTL,
            Long accessTokenNumUsesLimit,
            List<Map<String, Object>> accessTokenTrustedIps,
            Boolean lockoutEnabled,
            Integer lockoutThreshold,
            Integer lockoutDurationSeconds,
            Integer lockoutCounterResetSeconds) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }

        static final Settings EMPTY = new Settings(
                null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null, null,
                null, null);
    }

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public AuthMethodEvents events() {
        return new AuthMethodEvents(
                AuditEventType.ADD_IDENTITY_LDAP_AUTH,
                AuditEventType.UPDATE_IDENTITY_LDAP_AUTH,
                AuditEventType.REVOKE_IDENTITY_LDAP_AUTH);
    }

    @Override
    public String label() {
        return "LDAP";
    }

    @Override
    public MethodConfigStore<LdapAuthStore.Config> store() {
        return store;
    }

    @Override
    public LdapAuthStore.Config create(String id, Identity identity, Settings s, long now) {
        return build(id, identity, s, null, now, now);
    }

    @Override
    public LdapAuthStore.Config change(LdapAuthStore.Config c, Identity identity, Settings s, long now) {
        return build(c.id(), identity, s, c, c.createdAt(), now);
    }

    /** Lifts every lockout of the identity's LDAP auth; returns how many usernames were locked or counting. */
    public int clearLockouts(Actor actor, String identityId) {
        permissions.org(actor).require(OrgSubject.IDENTITY, OrgAction.EDIT);
        LdapAuthStore.Config c = configs.loadForChange(actor, identityId, this);
        int[] deleted = new int[1];
        changes.apply(actor, AuditEventType.CLEAR_IDENTITY_LDAP_AUTH_LOCKOUTS, identityId, () -> {
            deleted[0] = store.clearLockouts(c.id());
        });
        return deleted[0];
    }

    public AccessTokenService.IssuedToken login(
            String identityId, String username, String password, String ip, String userAgent) {
        return ldapLogin.login(identityId, username, password, ip, userAgent);
    }

    static String aad(String identityId, String configId, String field) {
        return "keyhaven:identity-ldap-auth:v1:" + identityId + ":" + configId + ":" + field;
    }

    private LdapAuthStore.Config build(
            String id, Identity identity, Settings s, LdapAuthStore.Config cur, long created, long now) {
        String url = MethodConfigs.pick(s.url(), cur == null ? null : cur.url());
        if (url.isEmpty()) {
            throw ValidationException.required("url");
        }
        boolean ldaps;
        try {
            ldaps = LdapDirectory.parseUrl(url).getScheme().equalsIgnoreCase("ldaps");
        } catch (IllegalArgumentException e) {
            throw ValidationException.field("url", e.getMessage());
        }
        boolean startTls = s.useStartTls() != null ? s.useStartTls() : cur != null && cur.startTls();
        if (startTls && ldaps) {
            throw ValidationException.field("useStartTls", "StartTLS applies to ldap:// URLs; ldaps:// is TLS already");
        }
        String caCert = MethodConfigs.pick(
                s.ldapCaCertificate() != null ? s.ldapCaCertificate() : s.caCert(), cur == null ? null : cur.caCert());
        if (!caCert.isEmpty()) {
            try {
                OutboundHttp.checkCaCert(caCert);
            } catch (OutboundHttp.OutboundException e) {
                throw ValidationException.field("ldapCaCertificate", e.getMessage());
            }
        }
        String bindDnCt = s.bindDN() == null && cur != null
                ? cur.bindDnCt()
                : keyring.sealForOrg(identity.orgId(), aad(identity.id(), id, "bindDN"), dn("bindDN", s.bindDN()));
        if (s.bindPass() == null && cur == null) {
            throw ValidationException.required("bindPass");
        }
        if (s.bindPass() != null && s.bindPass().isBlank()) {
            throw ValidationException.field("bindPass", "String must contain at least 1 character(s)");
        }
        String bindPassCt = s.bindPass() == null
                ? cur.bindPassCt()
                : keyring.sealForOrg(identity.orgId(), aad(identity.id(), id, "bindPass"), s.bindPass());
        String searchBase = s.searchBase() == null && cur != null ? cur.searchBase() : dn("searchBase", s.searchBase());
        String filter = MethodConfigs.pick(s.searchFilter(), cur == null ? DEFAULT_FILTER : cur.searchFilter());
        checkFilter(filter);
        List<LdapAccessRules.AllowedField> fields = s.allowedFields() != null
                ? fields(s.allowedFields())
                : cur == null ? List.of() : json.readValue(cur.allowedFieldsJson(), FIELDS);
        List<String> groups = s.allowedGroups() != null
                ? dns("allowedGroups", s.allowedGroups())
                : cur == null ? List.of() : json.readValue(cur.allowedGroupsJson(), STRINGS);
        List<String> patterns = s.allowedDnPatterns() != null
                ? dns("allowedDnPatterns", s.allowedDnPatterns())
                : cur == null ? List.of() : json.readValue(cur.allowedDnPatternsJson(), STRINGS);
        CommonTokenConfig common = CommonTokenConfig.resolve(
                s.accessTokenTTL(),
                s.accessTokenMaxTTL(),
                s.accessTokenNumUsesLimit(),
                s.accessTokenTrustedIps(),
                cur == null ? null : cur.common(),
                json);
        LdapAuthStore.Lockouts l = cur == null ? new LdapAuthStore.Lockouts(true, 3, 300, 30) : cur.lockouts();
        LdapAuthStore.Lockouts lockouts = new LdapAuthStore.Lockouts(
                s.lockoutEnabled() != null ? s.lockoutEnabled() : l.enabled(),
                (int) UniversalAuthSettings.range(
                        "lockoutThreshold", toLong(s.lockoutThreshold()), l.threshold(), 1, 30),
                (int) UniversalAuthSettings.range(
                        "lockoutDurationSeconds", toLong(s.lockoutDurationSeconds()), l.durationSeconds(), 30, 86400),
                (int) UniversalAuthSettings.range(
                        "lockoutCounterResetSeconds",
                        toLong(s.lockoutCounterResetSeconds()),
                        l.counterResetSeconds(),
                        5,
                        3600));
        return new LdapAuthStore.Config(
                id,
                identity.id(),
                url,
                startTls,
                caCert,
                bindDnCt,
                bindPassCt,
                searchBase,
                filter,
                json.writeValueAsString(fields),
                json.writeValueAsString(groups),
                json.writeValueAsString(patterns),
                common,
                lockouts,
                created,
                now);
    }

    private static String dn(String field, String value) {
        if (value == null) {
            throw ValidationException.required(field);
        }
        if (LdapAccessRules.parseDn(value) == null) {
            throw ValidationException.field(field, "Invalid DN");
        }
        return value.trim();
    }

    private static List<String> dns(String field, List<String> values) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < values.size(); i++) {
            out.add(dn(field + "." + i, values.get(i)));
        }
        return out;
    }

    private static void checkFilter(String filter) {
        if (!filter.contains(LdapDirectory.PLACEHOLDER)) {
            throw ValidationException.field(
                    "searchFilter", "The search filter must contain " + LdapDirectory.PLACEHOLDER);
        }
        try {
            LdapDirectory.userFilter(filter, "x");
        } catch (IllegalArgumentException e) {
            throw ValidationException.field("searchFilter", "Invalid LDAP search filter");
        }
    }

    private static List<LdapAccessRules.AllowedField> fields(List<LdapAccessRules.AllowedField> input) {
        List<LdapAccessRules.AllowedField> out = new ArrayList<>();
        for (int i = 0; i < input.size(); i++) {
            LdapAccessRules.AllowedField f = input.get(i);
            if (f == null
                    || f.key() == null
                    || !ATTRIBUTE.matcher(f.key().trim()).matches()) {
                throw ValidationException.field("allowedFields." + i + ".key", "Expected an LDAP attribute name");
            }
            if (f.value() == null || f.value().isBlank()) {
                throw ValidationException.field("allowedFields." + i + ".value", "Expected at least one value");
            }
            out.add(new LdapAccessRules.AllowedField(f.key().trim(), f.value().trim()));
        }
        return out;
    }

    private static Long toLong(Integer i) {
        return i == null ? null : i.longValue();
    }

    @Override
    public Map<String, Object> view(Identity identity, LdapAuthStore.Config c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", c.id());
        m.put("identityId", c.identityId());
        m.put("url", c.url());
        m.put("useStartTls", c.startTls());
        m.put("bindDN", keyring.openForOrg(identity.orgId(), aad(identity.id(), c.id(), "bindDN"), c.bindDnCt()));
        m.put("searchBase", c.searchBase());
        m.put("searchFilter", c.searchFilter());
        m.put("allowedFields", json.readValue(c.allowedFieldsJson(), FIELDS));
        m.put("allowedGroups", json.readValue(c.allowedGroupsJson(), STRINGS));
        m.put("allowedDnPatterns", json.readValue(c.allowedDnPatternsJson(), STRINGS));
        m.put("ldapCaCertificate", c.caCert());
        c.common().putInto(m, json);
        m.put("lockoutEnabled", c.lockouts().enabled());
        m.put("lockoutThreshold", c.lockouts().threshold());
        m.put("lockoutDurationSeconds", c.lockouts().durationSeconds());
        m.put("lockoutCounterResetSeconds", c.lockouts().counterResetSeconds());
        m.put("createdAt", Iso.of(c.createdAt()));
        m.put("updatedAt", Iso.of(c.updatedAt()));
        return m;
    }
}
