package dev.keyhaven.server.people;

import dev.keyhaven.server.org.Member;
import dev.keyhaven.server.org.MemberService;
import dev.keyhaven.server.org.OrgSettingsService;
import dev.keyhaven.server.platform.db.Ids;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.text.EmailAddresses;
import dev.keyhaven.server.platform.web.ApiException;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.stereotype.Service;
import org.springframework.transaction.support.TransactionTemplate;
import tools.jackson.databind.ObjectMapper;

/**
 * Signs a person in whom an organization's identity provider has vouched for (OIDC today): finds
 * the account by e-mail, or creates it just in time, makes them a member of the organization with
 * its default role when they are not one yet, and starts a browser session. Only an e-mail the
 * provider says it verified is trusted: an unverified one is refused outright, so it can neither
 * create an account nor take over an existing one. An organization's provider vouches for
 * addresses, not for accounts: an account whose owner verified its address is linked only when
 * that person has already joined the organization themselves (an accepted membership), and the
 * instance administrator's never. An account whose address nobody verified (anyone could have
 * signed up with it, or it is an invitation not yet accepted) is linked, and loses any password
 * and sessions it had.
 */
@Service
public class SsoSignIn {
    private static final Logger log = LoggerFactory.getLogger(SsoSignIn.class);

    private final AccountStore accounts;
    private final SessionService sessions;
    private final MemberService members;
    private final OrgSettingsService orgSettings;
    private final SessionAudit audit;
    private final ObjectMapper json;
    private final TransactionTemplate tx;
    private final Clock clock;

    SsoSignIn(
            AccountStore accounts,
            SessionService sessions,
            MemberService members,
            OrgSettingsService orgSettings,
            SessionAudit audit,
            ObjectMapper json,
            TransactionTemplate tx,
            Clock clock) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.members = members;
        this.orgSettings = orgSettings;
        this.audit = audit;
        this.json = json;
        this.tx = tx;
        this.clock = clock;
    }

    /** Who the identity provider says the person is. */
    public record Vouched(String email, boolean emailVerified, String firstName, String lastName) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /** The session's owner and organization; its tokens went into the response's cookies. */
    public record SignedIn(String userId, String email, String orgId, String csrfToken) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /**
     * Signs the person in to {@code orgId} with session method {@code method} ({@code oidc}) and
     * writes the session cookies. Throws 403 when the e-mail is unverified, the membership is
     * deactivated or the organization's policy does not admit the method or the address.
     */
    public SignedIn signIn(
            String orgId, String method, Vouched who, String ip, String userAgent, HttpServletResponse response) {
        String email = EmailAddresses.normalize("email", who.email());
        if (!who.emailVerified()) {
            accounts.byEmail(email)
                    .ifPresent(a -> audit.loginFailed(
                            a, orgId, method + ": the identity provider has not verified the e-mail", ip, userAgent));
            log.info("{} sign-in refused for an unverified e-mail from {}", method, ip);
            throw ApiException.forbidden("Your identity provider has not verified your e-mail address, so it cannot "
                    + "be used to sign in; verify it there first");
        }
        long now = clock.millis();
        String defaultRole = orgSettings.current(orgId).defaultMembershipRole();
        Account account = tx.execute(s -> {
            Account a = accounts.byEmail(email).orElse(null);
            Member before = a == null ? null : members.byUser(orgId, a.id()).orElse(null);
            if (a != null && a.superAdmin()) {
                throw ApiException.forbidden("The instance administrator signs in with a password, not through an "
                        + "organization's identity provider");
            }
            if (a != null && a.emailVerified() && (before == null || !"accepted".equals(before.status()))) {
                // an organization's provider vouches for addresses, not for accounts someone else already owns
                throw ApiException.forbidden("An account with this e-mail address already exists and has not joined "
                        + "this organization: accept the organization's invitation first, then sign in with single "
                        + "sign-on");
            }
            if (a == null) {
                String id = Ids.newId();
                accounts.insert(
                        id, email, PersonNames.clip(who.firstName()), PersonNames.clip(who.lastName()), null, now);
                accounts.markVerified(id, now);
            } else if (!a.emailVerified()) {
                // nobody had proven this address until now: whatever password was set on it is not its owner's
                accounts.setPassword(a.id(), null, now);
                accounts.markVerified(a.id(), now);
                sessions.revokeAll(a.id(), null, "sso-link-unverified-account");
            }
            Account linked = accounts.byEmail(email).orElseThrow();
            Member m = members.byUser(orgId, linked.id()).orElse(null);
            if (m == null) {
                members.accept(members.addInvited(orgId, linked.id(), defaultRole));
            } else if ("invited".equals(m.status())) {
                members.accept(m);
            }
            return linked;
        });
        SessionStore.OrgChoice org = sessions.orgsOf(account.id()).stream()
                .filter(o -> o.orgId().equals(orgId))
                .findFirst()
                .orElse(null);
        if (org == null) {
            audit.loginFailed(account, orgId, method + ": membership deactivated", ip, userAgent);
            throw ApiException.forbidden("Your membership of this organization is deactivated");
        }
        String refusal = OrgPolicy.of(
                        json, org.enforceMfa(), org.sessionLength(), org.loginMethods(), org.emailDomains())
                .refusal(method, account.email());
        if (refusal != null) {
            audit.loginFailed(account, orgId, method + ": " + refusal, ip, userAgent);
            throw ApiException.forbidden(refusal);
        }
        IssuedSession session = sessions.start(account, org, method, false, ip, userAgent);
        SessionCookies.write(response, session, clock.millis());
        return new SignedIn(account.id(), account.email(), orgId, session.csrfToken());
    }
}
