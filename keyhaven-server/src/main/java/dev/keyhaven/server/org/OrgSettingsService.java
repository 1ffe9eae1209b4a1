package dev.keyhaven.server.org;

import dev.keyhaven.server.access.OrgAction;
import dev.keyhaven.server.access.OrgRoleService;
import dev.keyhaven.server.access.OrgSubject;
import dev.keyhaven.server.access.PermissionService;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.audit.AuditEvent;
import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.audit.AuditLog;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;

/**
 * An organization's security policy, which the server enforces on every request: MFA required,
 * the longest a session may live, the login methods and e-mail domains it admits, and the role
 * new members get. Every change is audited with the values before and after.
 */
@Service
public class OrgSettingsService {
    /** The login methods there are; SSO methods join when they arrive. */
    public static final Set<String> LOGIN_METHODS = Set.of("password", "oidc", "saml", "ldap");

    private static final Set<String> MFA_METHODS = Set.of("totp", "email");
    private static final Pattern DOMAIN =
            Pattern.compile("^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?(?:\\.[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?)+$");

    private final OrgSettingsStore store;
    private final PermissionService permissions;
    private final OrgRoleService roles;
    private final AuditLog audit;
    private final TransactionTemplate tx;
    private final Clock clock;

    private final SessionMethods sessionMethods;

    OrgSettingsService(
            OrgSettingsStore store,
            PermissionService permissions,
            OrgRoleService roles,
            AuditLog audit,
            SessionMethods sessionMethods,
            TransactionTemplate tx,
            Clock clock) {
        this.sessionMethods = sessionMethods;
        this.store = store;
        this.permissions = permissions;
        this.roles = roles;
        this.audit = audit;
        this.tx = tx;
        this.clock = clock;
    }

    /** The PATCH body: every field optional. */
    public record Update(
            String name,
            String slug,
            Boolean enforceMfa,
            String selectedMfaMethod,
            String userTokenExpiration,
            List<String> allowedLoginMethods,
            List<String> allowedEmailDomains,
            String defaultMembershipRoleSlug) {}

    /** The settings of an organization, for features that apply them (no permission check: not for callers' eyes). */
    public OrgSettings current(String orgId) {
        return store.find(orgId).orElseThrow(() -> ApiException.notFound("Organization not found"));
    }

    /** The organization with this slug, for pre-login pages that name it (no permission check). */
    public java.util.Optional<OrgSettings> bySlug(String slug) {
        return slug == null || slug.isBlank() || slug.length() > 64
                ? java.util.Optional.empty()
                : store.findBySlug(slug);
    }

    public Map<String, Object> get(Actor actor, String orgId) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.READ);
        return toJson(load(actor, orgId));
    }

    /**
     * The caller's organizations, as Infisical lists them ({@code GET /api/v1/organization}): every
     * organization a person is an active member of, or the one organization of a machine identity.
     * Each carries the caller's role there and when they joined.
     */
    public Map<String, Object> organizationsOf(Actor actor) {
        List<OrgSettingsStore.Membership> memberships = actor.isUser()
                ? store.ofPerson(actor.id())
                : store.ofIdentity(actor.orgId(), actor.id()).stream().toList();
        List<Map<String, Object>> out = new ArrayList<>();
        for (OrgSettingsStore.Membership m : memberships) {
            Map<String, Object> org = organization(m.org());
            org.put("orgAuthMethod", "");
            org.put("userRole", m.role());
            org.put("userJoinedAt", dev.keyhaven.server.platform.json.Iso.of(m.joinedAt()));
            out.add(org);
        }
        return Map.of("organizations", out);
    }

    public Map<String, Object> update(Actor actor, String orgId, Update u) {
        permissions.org(actor).require(OrgSubject.SETTINGS, OrgAction.EDIT);
        OrgSettings before = load(actor, orgId);
        String name = u.name() == null ? before.name() : name(u.name());
        String slug = u.slug() == null ? before.slug() : slug(u.slug(), orgId);
        String mfaMethod = u.selectedMfaMethod() == null
                ? before.selectedMfaMethod()
                : oneOf("selectedMfaMethod", u.selectedMfaMethod(), MFA_METHODS);
        String length = before.userTokenExpiration();
        if (u.userTokenExpiration() != null) {
            SessionLength.parse("userTokenExpiration", u.userTokenExpiration());
            length = u.userTokenExpiration().strip();
        }
        List<String> methods =
                u.allowedLoginMethods() == null ? before.allowedLoginMethods() : loginMethods(u.allowedLoginMethods());
        List<String> domains =
                u.allowedEmailDomains() == null ? before.allowedEmailDomains() : domains(u.allowedEmailDomains());
        String defaultRole = before.defaultMembershipRole();
        if (u.defaultMembershipRoleSlug() != null) {
            defaultRole = u.defaultMembershipRoleSlug().strip();
            roles.checkGrantable(actor, "defaultMembershipRoleSlug", defaultRole);
        }
        if (actor.isUser() && !methods.contains(sessionMethodOf(actor))) {
            throw ApiException.badRequest("allowedLoginMethods must keep the method you are logged in with ("
                    + sessionMethodOf(actor) + "), or you would lock yourself out");
        }
        if (actor.isUser()
                && !domains.isEmpty()
                && actor.email() != null
                && !domains.contains(actor.email().substring(actor.email().indexOf('@') + 1))) {
            throw ApiException.badRequest(
                    "allowedEmailDomains must include your own domain, or you would lock yourself out");
        }
        OrgSettings after = new OrgSettings(
                before.id(),
                name,
                slug,
                u.enforceMfa() == null ? before.enforceMfa() : u.enforceMfa(),
                mfaMethod,
                length,
                methods,
                domains,
                defaultRole,
                before.createdAt(),
                clock.millis());
        tx.executeWithoutResult(s -> {
            store.update(after);
            audit.record(AuditEvent.of(
                    actor,
                    null,
                    null,
                    AuditEventType.UPDATE_ORG_SETTINGS,
                    Map.of("before", policy(before), "after", policy(after))));
        });
        return toJson(after);
    }

    private String sessionMethodOf(Actor actor) {
        return sessionMethods.methodOf(actor);
    }

    private OrgSettings load(Actor actor, String orgId) {
        if (orgId == null || !orgId.equals(actor.orgId())) {
            throw ApiException.forbidden("You can only manage the organization your session belongs to");
        }
        return store.find(orgId).orElseThrow(() -> ApiException.notFound("Organization not found"));
    }

    private static String name(String name) {
        String n = name.strip();
        if (n.isEmpty() || n.length() > 64 || n.chars().anyMatch(Character::isISOControl)) {
            throw ValidationException.field(
                    "name", "Organization name must be 1 to 64 characters without control characters");
        }
        return n;
    }

    private String slug(String slug, String orgId) {
        String s = slug.strip();
        if (!s.matches("^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$")) {
            throw ValidationException.field("slug", "Slug must be lowercase letters, digits and dashes (at most 64)");
        }
        if (store.slugTakenByOther(s, orgId)) {
            throw ApiException.badRequest("Organization slug '" + s + "' is taken");
        }
        return s;
    }

    private static String oneOf(String field, String value, Set<String> allowed) {
        String v = value.strip().toLowerCase(Locale.ROOT);
        if (!allowed.contains(v)) {
            throw ValidationException.field(field, "Must be one of " + new java.util.TreeSet<>(allowed));
        }
        return v;
    }

    private static List<String> loginMethods(List<String> values) {
        if (values.isEmpty()) {
            throw ValidationException.field("allowedLoginMethods", "At least one login method must stay allowed");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            out.add(oneOf("allowedLoginMethods", v == null ? "" : v, LOGIN_METHODS));
        }
        return new ArrayList<>(out);
    }

    private static List<String> domains(List<String> values) {
        if (values.size() > 100) {
            throw ValidationException.field("allowedEmailDomains", "At most 100 domains");
        }
        Set<String> out = new LinkedHashSet<>();
        for (String v : values) {
            String d = v == null ? "" : v.strip().toLowerCase(Locale.ROOT);
            if (d.length() > 253 || !DOMAIN.matcher(d).matches()) {
                throw ValidationException.field(
                        "allowedEmailDomains",
                        "Not a domain name: '" + clip(d) + "' (write international domains in their xn-- form)");
            }
            out.add(d);
        }
        return new ArrayList<>(out);
    }

    private static String clip(String s) {
        return s.length() > 64 ? s.substring(0, 64) + "…" : s;
    }

    private static Map<String, Object> policy(OrgSettings s) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", s.name());
        m.put("slug", s.slug());
        m.put("enforceMfa", s.enforceMfa());
        m.put("selectedMfaMethod", s.selectedMfaMethod());
        m.put("userTokenExpiration", s.userTokenExpiration());
        m.put("allowedLoginMethods", s.allowedLoginMethods());
        m.put("allowedEmailDomains", s.allowedEmailDomains());
        m.put("defaultMembershipRole", s.defaultMembershipRole());
        return m;
    }

    private static Map<String, Object> toJson(OrgSettings s) {
        return Map.of("organization", organization(s));
    }

    private static Map<String, Object> organization(OrgSettings s) {
        Map<String, Object> org = new LinkedHashMap<>();
        org.put("id", s.id());
        org.put("name", s.name());
        org.put("slug", s.slug());
        org.put("authEnforced", !s.allowedLoginMethods().contains("password"));
        org.put("scimEnabled", false);
        org.put("defaultMembershipRole", s.defaultMembershipRole());
        org.put("enforceMfa", s.enforceMfa());
        org.put("selectedMfaMethod", s.selectedMfaMethod());
        org.put("userTokenExpiration", s.userTokenExpiration());
        org.put("allowedLoginMethods", s.allowedLoginMethods());
        org.put("allowedEmailDomains", s.allowedEmailDomains());
        org.put("createdAt", dev.keyhaven.server.platform.json.Iso.of(s.createdAt()));
        org.put("updatedAt", dev.keyhaven.server.platform.json.Iso.of(s.updatedAt()));
        return org;
    }
}
