package dev.keyhaven.server.people;

import dev.keyhaven.server.audit.AuditEventType;
import dev.keyhaven.server.notify.MailTemplates;
import dev.keyhaven.server.notify.Notifications;
import dev.keyhaven.server.org.MemberService;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.ValidationException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.springframework.stereotype.Component;
import tools.jackson.databind.ObjectMapper;

/**
 * The break-glass path of an organization that enforces single sign-on: when the identity
 * provider is down or misconfigured, an admin of the organization may still sign in with their
 * password (and second factor) by giving a reason. Nobody else may; the session is recorded as
 * {@code break-glass-login} with the reason, every other admin is e-mailed, and the session lasts
 * at most an hour and only while its owner stays an admin.
 */
@Component
class BreakGlass {
    static final String METHOD = "break-glass";
    static final Duration MAX_SESSION = Duration.ofHours(1);
    private static final int MAX_REASON = 500;

    private final SessionService sessions;
    private final MemberService members;
    private final Notifications notifications;
    private final MailTemplates mails;
    private final SessionAudit audit;
    private final ObjectMapper json;
    private final Clock clock;

    BreakGlass(
            SessionService sessions,
            MemberService members,
            Notifications notifications,
            MailTemplates mails,
            SessionAudit audit,
            ObjectMapper json,
            Clock clock) {
        this.sessions = sessions;
        this.members = members;
        this.notifications = notifications;
        this.mails = mails;
        this.audit = audit;
        this.json = json;
        this.clock = clock;
    }

    /** The checked reason, or null when the login does not ask for the break-glass path. */
    static String reason(String raw, String organizationId) {
        if (raw == null || raw.isBlank()) {
            return null;
        }
        if (organizationId == null || organizationId.isBlank()) {
            throw ValidationException.field("organizationId", "The break-glass path needs the organization's id");
        }
        String r = raw.strip();
        if (r.length() > MAX_REASON || r.chars().anyMatch(Character::isISOControl)) {
            throw ValidationException.field("breakGlassReason", "At most " + MAX_REASON + " characters on one line");
        }
        return r;
    }

    /** The organization to sign in to, when the person is its admin and it enforces SSO; else 403 or 400. */
    SessionStore.OrgChoice org(Account a, String organizationId) {
        SessionStore.OrgChoice org = sessions.orgsOf(a.id()).stream()
                .filter(o -> o.orgId().equals(organizationId))
                .findFirst()
                .orElseThrow(() -> ApiException.forbidden("You are not an active member of that organization"));
        if (!"admin".equals(org.role())) {
            audit.loginFailed(a, org.orgId(), "break-glass refused: not an admin", null, null);
            throw ApiException.forbidden("Only an admin of the organization can use the break-glass path");
        }
        OrgPolicy policy =
                OrgPolicy.of(json, org.enforceMfa(), org.sessionLength(), org.loginMethods(), org.emailDomains());
        if (policy.refusal("password", a.email()) == null) {
            throw ApiException.badRequest("This organization admits password login: log in without breakGlassReason");
        }
        String refusal = policy.refusal(METHOD, a.email());
        if (refusal != null) {
            throw ApiException.forbidden(refusal);
        }
        return org;
    }

    /** Records the session and tells every other admin of the organization. */
    void announce(Account a, SessionStore.OrgChoice org, String reason, String ip, String userAgent) {
        List<String> others = members.adminEmails(org.orgId()).stream()
                .filter(e -> !e.equalsIgnoreCase(a.email()))
                .toList();
        Instant now = Instant.ofEpochMilli(clock.millis());
        for (String admin : others) {
            notifications.email(admin, mails.breakGlassAlert(org.name(), a.email(), reason, ip, now));
        }
        audit.event(
                org.orgId(),
                a.id(),
                a.email(),
                AuditEventType.BREAK_GLASS_LOGIN,
                Map.of("reason", reason, "adminsNotified", others.size()),
                ip,
                userAgent);
    }
}
