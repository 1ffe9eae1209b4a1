package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import java.io.PrintWriter;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/**
 * {@code keyhaven logout}: ends the stored login on the server (a person's session through
 * {@code /api/v1/auth/logout}, a machine's token through {@code /api/v1/auth/token/revoke}) and
 * deletes the stored credentials. They are deleted even when the server cannot be reached; the
 * exit code then says that the server side is still open.
 */
@Command(
        name = "logout",
        mixinStandardHelpOptions = true,
        description = "End the stored login on the server and delete the stored credentials.")
final class LogoutCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        return CredentialsLock.hold(cli.configDir, () -> {
            Session s;
            try {
                s = Session.load(cli.configDir);
            } catch (KeyhavenCli.UserError unreadable) {
                Session.delete(cli.configDir);
                out.println("Deleted the unreadable stored login.");
                out.flush();
                return 0;
            }
            if (s == null) {
                out.println("Not logged in; nothing to do.");
                out.flush();
                return 0;
            }
            String problem = null;
            try {
                endOnServer(cli, s);
            } catch (KeyhavenException e) {
                problem = KeyhavenCli.describe(e);
            }
            Session.delete(cli.configDir);
            if (problem == null) {
                out.println("Logged out of " + s.url() + "; the stored login was deleted.");
                out.flush();
                return 0;
            }
            out.println("Deleted the stored login.");
            out.flush();
            err.println("Error: the " + (s.isUser() ? "session" : "token") + " could not be ended on the server: "
                    + problem + (s.isUser() ? " It ends when it expires, or end it in the web UI (sessions)." : ""));
            err.flush();
            return 1;
        });
    }

    /** Ends the login on the server; one that has already ended counts as done. */
    private static void endOnServer(KeyhavenCli cli, Session s) {
        KeyhavenClient anonymous = new KeyhavenClient(s.url() != null ? s.url() : cli.serverUrl(), null);
        try {
            if (!s.isUser()) {
                anonymous.revoke(s.accessToken());
                return;
            }
            UserSessions sessions = new UserSessions(cli.configDir, anonymous);
            String token;
            try {
                token = sessions.freshAccessToken(s); // logout needs a live access token
            } catch (KeyhavenCli.UserError ended) {
                return; // the refresh was refused: the session is over already
            }
            anonymous.withToken(token).logout();
        } catch (KeyhavenException.Unauthenticated | KeyhavenException.Invalid alreadyEnded) {
            // an expired or revoked token, or an ended session: nothing left to end
        }
    }
}
