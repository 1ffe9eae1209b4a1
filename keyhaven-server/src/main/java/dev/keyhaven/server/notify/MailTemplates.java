package dev.keyhaven.server.notify;

import dev.keyhaven.server.platform.config.KeyhavenProperties;
import java.time.Instant;
import org.springframework.stereotype.Component;

/**
 * The mail Keyhaven sends to people. Subjects are fixed text; anything a person or an admin typed
 * (names, organization names) goes only into the body, stripped of control characters, so no
 * value can add a header. Links point at {@code KEYHAVEN_SITE_URL}.
 */
@Component
public class MailTemplates {
    private final String siteUrl;

    public MailTemplates(KeyhavenProperties props) {
        String url = props.siteUrl() == null || props.siteUrl().isBlank() ? "http://localhost:8080" : props.siteUrl();
        this.siteUrl = url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    public Mail verification(String token) {
        return new Mail("verify-email", "Confirm your e-mail address for Keyhaven", """
                Confirm your e-mail address to finish setting up your Keyhaven account:

                %s/verify-email?token=%s

                The link works once and expires in 24 hours. If you did not sign up, ignore this message.
                """.formatted(siteUrl, token));
    }

    /** Sent instead of a verification when someone signs up with an address that already has an account. */
    public Mail signupAttempt() {
        return new Mail(
                "signup-attempt", "Someone tried to sign up to Keyhaven with your address", """
                Someone tried to create a Keyhaven account with this e-mail address, which already has one.
                If it was you, log in instead, or reset your password:

                %s/login

                If it was not you, nothing has changed and you need not do anything.
                """.formatted(siteUrl));
    }

    public Mail passwordReset(String token) {
        return new Mail("password-reset", "Reset your Keyhaven password", """
                Someone asked to reset the password of your Keyhaven account. To choose a new one, open:

                %s/reset-password?token=%s

                The link works once and expires in 1 hour. Resetting ends all your sessions.
                If you did not ask for this, ignore this message; your password stays as it is.
                """.formatted(siteUrl, token));
    }

    public Mail invitation(String organization, String inviter, String token) {
        return new Mail("invitation", "You are invited to an organization on Keyhaven", """
                %s invited you to the organization "%s" on Keyhaven. To accept, open:

                %s

                The invitation works once and expires in 7 days.
                """.formatted(
                        clean(inviter), clean(organization), invitationLink(token)));
    }

    /** The acceptance link itself, for an admin to pass on when the instance sends no mail. */
    public String invitationLink(String token) {
        return siteUrl + "/accept-invite?token=" + token;
    }

    public Mail mfaCode(String code) {
        return new Mail("mfa-code", "Your Keyhaven sign-in code", """
                Your sign-in code is: %s

                It expires in 10 minutes. If you did not try to sign in, change your password.
                """.formatted(code));
    }

    public Mail newLoginAlert(String ip, String userAgent, Instant at) {
        return new Mail("new-login-alert", "New sign-in to your Keyhaven account", """
                Your Keyhaven account was signed in to from an address it had not been used from before.

                Address: %s
                Client:  %s
                Time:    %s

                If this was not you, reset your password and revoke your sessions at %s/settings/sessions.
                """.formatted(
                        clean(ip), clean(userAgent), at, siteUrl));
    }

    public Mail breakGlassAlert(String organization, String who, String reason, String ip, Instant at) {
        return new Mail("break-glass-alert", "Break-glass sign-in to " + clean(organization), """
                An admin of %s signed in with a password although the organization enforces single sign-on
                (the break-glass path).

                Who:     %s
                Reason:  %s
                Address: %s
                Time:    %s

                The sign-in is in the organization's audit log (event break-glass-login). If it was not
                expected, end that person's sessions and review the organization's admins.
                """.formatted(
                        clean(organization), clean(who), clean(reason), clean(ip), at));
    }

    /** Text a person typed, safe for a body line: no control characters, at most 200 characters. */
    static String clean(String s) {
        if (s == null) {
            return "";
        }
        String out = s.replaceAll("\\p{Cntrl}", " ").strip();
        return out.length() > 200 ? out.substring(0, 200) + "…" : out;
    }
}
