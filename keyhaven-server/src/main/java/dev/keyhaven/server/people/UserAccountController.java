package dev.keyhaven.server.people;

import dev.keyhaven.server.access.OwnAccount;
import dev.keyhaven.server.actor.Actor;
import dev.keyhaven.server.platform.json.Iso;
import dev.keyhaven.server.platform.log.Redaction;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/** A logged-in person's own account: who am I, password, second factor, sessions, current organization. */
@RestController
public class UserAccountController {
    private final AccountService accounts;
    private final SessionService sessions;
    private final MfaService mfa;
    private final UserOrgs orgs;

    UserAccountController(AccountService accounts, SessionService sessions, MfaService mfa, UserOrgs orgs) {
        this.accounts = accounts;
        this.sessions = sessions;
        this.mfa = mfa;
        this.orgs = orgs;
    }

    record PasswordChange(String currentPassword, String newPassword) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record Code(String code, String recoveryCode) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record OrgChoice(String organizationId) {}

    @GetMapping("/api/v1/user/me")
    @OwnAccount("reads one's own account and organizations")
    public Map<String, Object> me(Actor actor) {
        return accounts.me(actor);
    }

    @PostMapping("/api/v1/auth/logout")
    @OwnAccount("ends the current session")
    public Map<String, Object> logout(Actor actor, HttpServletRequest request, HttpServletResponse response) {
        sessions.revokeOwn(actor, actor.tokenId());
        SessionCookies.clear(response);
        return Map.of("message", "Logged out");
    }

    @PostMapping("/api/v1/auth/password/change")
    @OwnAccount("changes one's own password, ending one's other sessions")
    public Map<String, Object> changePassword(Actor actor, @RequestBody PasswordChange body) {
        return accounts.changePassword(actor, body.currentPassword(), body.newPassword());
    }

    @PostMapping("/api/v1/auth/select-organization")
    @OwnAccount("switches the session to another of one's organizations")
    public Map<String, Object> selectOrganization(Actor actor, @RequestBody OrgChoice body) {
        return orgs.select(actor, body.organizationId());
    }

    @GetMapping("/api/v1/auth/sessions")
    @OwnAccount("lists one's own live sessions")
    public Map<String, Object> listSessions(Actor actor) {
        List<Map<String, Object>> out = sessions.list(actor).stream()
                .map(s -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("id", s.id());
                    m.put("current", s.id().equals(actor.tokenId()));
                    m.put("organizationId", s.orgId());
                    m.put("authMethod", s.authMethod());
                    m.put("ipAddress", s.ipAddress());
                    m.put("userAgent", s.userAgent());
                    m.put("createdAt", Iso.of(s.createdAt()));
                    m.put("lastUsedAt", Iso.of(s.lastUsedAt()));
                    m.put("expiresAt", Iso.of(s.expiresAt()));
                    return m;
                })
                .toList();
        return Map.of("sessions", out);
    }

    @DeleteMapping("/api/v1/auth/sessions/{sessionId}")
    @OwnAccount("ends one of one's own sessions")
    public Map<String, Object> revokeSession(Actor actor, @PathVariable String sessionId) {
        sessions.revokeOwn(actor, sessionId);
        return Map.of("message", "Session ended");
    }

    @DeleteMapping("/api/v1/auth/sessions")
    @OwnAccount("ends all of one's sessions except the current one")
    public Map<String, Object> revokeOtherSessions(Actor actor) {
        int n = sessions.revokeAll(actor.id(), actor.tokenId(), "revoked-by-owner");
        return Map.of("message", "Other sessions ended", "count", n);
    }

    @PostMapping("/api/v1/auth/mfa/totp/register")
    @OwnAccount("starts enrolling an authenticator app")
    public Map<String, Object> registerTotp(Actor actor) {
        return mfa.registerTotp(actor);
    }

    @PostMapping("/api/v1/auth/mfa/totp/confirm")
    @OwnAccount("finishes enrolling an authenticator app with its first code")
    public Map<String, Object> confirmTotp(Actor actor, @RequestBody Code body) {
        return mfa.confirmTotp(actor, body.code());
    }

    @PostMapping("/api/v1/auth/mfa/recovery-codes")
    @OwnAccount("replaces one's recovery codes")
    public Map<String, Object> recoveryCodes(Actor actor, @RequestBody Code body) {
        return mfa.regenerateRecoveryCodes(actor, body.code());
    }

    @PostMapping("/api/v1/auth/mfa/email/start")
    @OwnAccount("starts using e-mail codes as one's second factor")
    public Map<String, Object> startEmail(Actor actor) {
        return mfa.startEmail(actor);
    }

    @PostMapping("/api/v1/auth/mfa/email/confirm")
    @OwnAccount("finishes switching to e-mail codes with the code sent")
    public Map<String, Object> confirmEmail(Actor actor, @RequestBody Code body) {
        return mfa.confirmEmail(actor, body.code());
    }

    @PostMapping("/api/v1/auth/mfa/disable")
    @OwnAccount("turns one's second factor off, proven by a current or recovery code")
    public Map<String, Object> disable(Actor actor, @RequestBody Code body) {
        return mfa.disable(actor, body.code(), body.recoveryCode(), orgs.currentEnforcesMfa(actor));
    }
}
