package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.PasswordLogin;
import dev.keyhaven.client.UserTokens;
import java.io.PrintWriter;
import java.util.Arrays;
import tools.jackson.databind.JsonNode;

/**
 * {@code keyhaven login --method user}: e-mail and password, then the second factor when the
 * account has one, and the session stored like a machine's login. The password is asked without
 * echo (or read from standard input when there is no terminal, or from {@code KEYHAVEN_PASSWORD}
 * for CI), is sent once and is never stored.
 */
final class UserLogin {
    static final String MFA_ENROLMENT = "Your organization requires multi-factor authentication and your account "
            + "has no second factor yet. Enrol one in the Keyhaven web UI (or through the API: POST "
            + "/api/v1/auth/mfa/totp/register, then POST /api/v1/auth/mfa/totp/confirm {code}), then run "
            + "`keyhaven login --method user` again.";
    private static final int CODE_ATTEMPTS = 3;

    private final KeyhavenCli cli;
    private final TerminalInput input;
    private final PrintWriter out;
    private final PrintWriter err;

    UserLogin(KeyhavenCli cli, TerminalInput input, PrintWriter out, PrintWriter err) {
        this.cli = cli;
        this.input = input;
        this.out = out;
        this.err = err;
    }

    void run(String url, String emailOption, String organizationId) {
        KeyhavenClient client = new KeyhavenClient(url, null);
        String email = emailOption != null ? emailOption.strip() : cli.envVar("KEYHAVEN_EMAIL");
        if (email == null) {
            email = input.readLine("E-mail: ");
        }
        if (email == null || email.isBlank()) {
            throw new KeyhavenCli.UserError(
                    "No e-mail address: pass --email, set KEYHAVEN_EMAIL, or type it at the prompt.");
        }
        String envPassword = cli.envVar("KEYHAVEN_PASSWORD");
        char[] password = envPassword != null ? envPassword.toCharArray() : input.readSecret("Password: ");
        if (password == null || password.length == 0) {
            throw new KeyhavenCli.UserError("No password given: type it at the prompt, or pipe it on standard input.");
        }
        PasswordLogin first;
        try {
            first = client.passwordLogin(email, new String(password), organizationId);
        } catch (KeyhavenException.Unauthenticated e) {
            throw new KeyhavenCli.UserError(
                    "Login failed: " + e.getMessage() + ". Check the e-mail address and the password.");
        } catch (KeyhavenException.PermissionDenied e) {
            throw new KeyhavenCli.UserError("Login refused: " + e.getMessage() + ".");
        } finally {
            Arrays.fill(password, '\0');
        }
        UserTokens tokens = first.mfaRequired() ? secondFactor(client, first) : first.session();
        Session session = Session.ofUser(client.baseUrl(), email.toLowerCase(java.util.Locale.ROOT), tokens);
        CredentialsLock.hold(cli.configDir, () -> {
            session.save(cli.configDir);
            return null;
        });
        out.println("Logged in to " + client.baseUrl() + " as " + session.email() + organization(client, tokens) + ".");
        out.println("The access token lives " + minutes(tokens.expiresIn())
                + "; keyhaven refreshes the session before it expires.");
        out.flush();
        if (tokens.mfaEnrollmentRequired()) {
            err.println("Warning: " + MFA_ENROLMENT + " Until then the server refuses other requests.");
            err.flush();
        }
    }

    /** Asks for the code (a few times when it is merely wrong) and answers the challenge. */
    private UserTokens secondFactor(KeyhavenClient client, PasswordLogin first) {
        String prompt = "email".equals(first.mfaMethod())
                ? "Code sent to your e-mail: "
                : "Authenticator code (or recovery code): ";
        String lastProblem = null;
        for (int attempt = 1; attempt <= CODE_ATTEMPTS; attempt++) {
            String answer = input.readLine(prompt);
            if (answer == null || answer.isBlank()) {
                throw new KeyhavenCli.UserError(
                        lastProblem != null
                                ? lastProblem
                                : "No code given: this account has a second factor (" + first.mfaMethod()
                                        + "); type the code at the prompt or pipe it on the line after the password.");
            }
            String compact = answer.replaceAll("\\s", "");
            boolean code = compact.matches("[0-9]{6}"); // else a recovery code
            try {
                return client.verifyMfa(first.mfaToken(), code ? compact : null, code ? null : answer);
            } catch (KeyhavenException.Unauthenticated e) {
                lastProblem = "The second factor was not accepted: " + e.getMessage()
                        + ". Run `keyhaven login --method user` again.";
                if (!"Invalid code".equals(e.getMessage()) || attempt == CODE_ATTEMPTS) {
                    throw new KeyhavenCli.UserError(lastProblem);
                }
                err.println("That code was not accepted; try again.");
                err.flush();
            }
        }
        throw new KeyhavenCli.UserError(lastProblem);
    }

    /** " in <org name> (<id>)", from /api/v1/user/me; the id alone when that cannot be read. */
    private static String organization(KeyhavenClient client, UserTokens tokens) {
        if (tokens.organizationId() == null) {
            return " (no organization: none of yours admits a password login)";
        }
        try {
            JsonNode me = client.withToken(tokens.accessToken())
                    .send("GET", "/api/v1/user/me", null, true)
                    .body();
            for (JsonNode org : me.path("organizations")) {
                if (tokens.organizationId().equals(org.path("id").asString())) {
                    return " in organization " + org.path("name").asString() + " (" + tokens.organizationId() + ")";
                }
            }
        } catch (KeyhavenException e) {
            // the login worked; the name is only a courtesy
        }
        return " in organization " + tokens.organizationId();
    }

    private static String minutes(long seconds) {
        return seconds >= 120 ? (seconds / 60) + " minutes" : seconds + " seconds";
    }
}
