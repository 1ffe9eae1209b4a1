package dev.keyhaven.server.people;

import dev.keyhaven.server.actor.ClientInfo;
import dev.keyhaven.server.platform.log.Redaction;
import dev.keyhaven.server.platform.web.ApiException;
import dev.keyhaven.server.platform.web.PublicEndpoint;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.Map;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

/**
 * The routes a person uses before having a session: sign-up, e-mail verification, login (two
 * steps with a second factor), session refresh, and password reset by e-mail link. With
 * {@code useCookies: true} the session comes back as cookies for a browser instead of in the body.
 */
@RestController
public class UserLoginController {
    private final LoginService logins;
    private final AccountService accounts;
    private final SessionService sessions;
    private final CookieSessions cookieSessions;
    private final Clock clock;

    UserLoginController(
            LoginService logins,
            AccountService accounts,
            SessionService sessions,
            CookieSessions cookieSessions,
            Clock clock) {
        this.logins = logins;
        this.accounts = accounts;
        this.sessions = sessions;
        this.cookieSessions = cookieSessions;
        this.clock = clock;
    }

    record Login(String email, String password, String organizationId, Boolean useCookies, String breakGlassReason) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record MfaStep(String mfaToken, String code, String recoveryCode, Boolean useCookies) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record Refresh(String refreshToken) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record Token(String token) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    record Email(String email) {}

    record Reset(String token, String newPassword) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    @PostMapping("/api/v1/auth/signup")
    @PublicEndpoint("creates an account, when the instance allows sign-up, and sends a verification link")
    public Map<String, Object> signUp(@RequestBody AccountService.SignUp body) {
        return accounts.signUp(body);
    }

    @PostMapping("/api/v1/auth/email/verify")
    @PublicEndpoint("confirms an e-mail address with the single-use link token sent to it")
    public Map<String, Object> verifyEmail(@RequestBody Token body) {
        return accounts.verifyEmail(body.token());
    }

    @PostMapping("/api/v1/auth/login")
    @PublicEndpoint("logs a person in with e-mail and password")
    public Map<String, Object> login(
            @RequestBody Login body, HttpServletRequest request, HttpServletResponse response) {
        LoginService.Outcome out = logins.login(
                body.email(),
                body.password(),
                body.organizationId(),
                body.breakGlassReason(),
                ClientInfo.ip(request),
                ClientInfo.userAgent(request));
        if (out.session() == null) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("mfaRequired", true);
            m.put("mfaMethod", out.mfaMethod());
            m.put("mfaToken", out.mfaTicket());
            return m;
        }
        return sessionBody(out.session(), Boolean.TRUE.equals(body.useCookies()), response);
    }

    @PostMapping("/api/v1/auth/mfa/verify")
    @PublicEndpoint("the second login step: a TOTP, e-mail or recovery code for the login's MFA token")
    public Map<String, Object> verifyMfa(
            @RequestBody MfaStep body, HttpServletRequest request, HttpServletResponse response) {
        IssuedSession s = logins.verifyMfa(
                body.mfaToken(),
                body.code(),
                body.recoveryCode(),
                ClientInfo.ip(request),
                ClientInfo.userAgent(request));
        return sessionBody(s, Boolean.TRUE.equals(body.useCookies()), response);
    }

    @PostMapping("/api/v1/auth/session/refresh")
    @PublicEndpoint("exchanges a single-use refresh token (body or cookie) for new session tokens")
    public Map<String, Object> refresh(
            @RequestBody(required = false) Refresh body, HttpServletRequest request, HttpServletResponse response) {
        String token = body == null ? null : body.refreshToken();
        boolean cookie = token == null;
        if (cookie) {
            token = SessionCookies.read(request, SessionCookies.REFRESH);
            if (token == null) {
                throw ApiException.unauthorized("No refresh token: send refreshToken or the session cookie");
            }
            cookieSessions.checkRequest(request, token);
        }
        IssuedSession s = sessions.refresh(token, ClientInfo.ip(request), ClientInfo.userAgent(request));
        return sessionBody(s, cookie, response);
    }

    @PostMapping("/api/v1/auth/password/reset-request")
    @PublicEndpoint("sends a password-reset link; answers the same whether the address has an account or not")
    public Map<String, Object> requestReset(@RequestBody Email body) {
        return accounts.requestReset(body.email());
    }

    @PostMapping("/api/v1/auth/password/reset")
    @PublicEndpoint("sets a new password with the single-use reset link token")
    public Map<String, Object> reset(@RequestBody Reset body) {
        return accounts.resetPassword(body.token(), body.newPassword());
    }

    private Map<String, Object> sessionBody(IssuedSession s, boolean cookies, HttpServletResponse response) {
        Map<String, Object> m = new LinkedHashMap<>();
        if (cookies) {
            SessionCookies.write(response, s, clock.millis());
            m.put("csrfToken", s.csrfToken());
        } else {
            m.put("accessToken", s.accessToken());
            m.put("refreshToken", s.refreshToken());
        }
        m.put("expiresIn", s.expiresInSeconds());
        m.put("tokenType", "Bearer");
        m.put("organizationId", s.orgId());
        m.put("mfaEnrollmentRequired", s.mfaEnrollmentRequired());
        return m;
    }
}
