package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.Token;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(
        name = "login",
        mixinStandardHelpOptions = true,
        description = "Log in as a machine identity (universal-auth) or a person (user: e-mail, password and second "
                + "factor), and store the login in the user's config directory (mode 0600).")
final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(
            names = "--method",
            defaultValue = "universal-auth",
            paramLabel = "<method>",
            description =
                    "universal-auth (default: a machine identity's client id and secret) or user (e-mail and password).")
    String method;

    @Option(
            names = "--email",
            paramLabel = "<address>",
            description = "user: the e-mail address (env KEYHAVEN_EMAIL; else asked).")
    String email;

    @Option(
            names = "--organization-id",
            paramLabel = "<id>",
            description =
                    "user: the organization to work in (default: the first of yours that admits a password login).")
    String organizationId;

    @Option(
            names = "--client-id",
            paramLabel = "<id>",
            description = "Universal-auth client id (env KEYHAVEN_CLIENT_ID).")
    String clientId;

    @Option(
            names = "--client-secret",
            paramLabel = "<secret>",
            description = "Universal-auth client secret (env KEYHAVEN_CLIENT_SECRET; prefer the variable, "
                    + "command lines are visible to other users).")
    String clientSecret;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        String url = cli.url != null && !cli.url.isBlank()
                ? cli.url
                : cli.envVar("KEYHAVEN_URL") != null ? cli.envVar("KEYHAVEN_URL") : KeyhavenCli.DEFAULT_URL;
        if (Session.USER.equals(method)) {
            PrintWriter err = spec.commandLine().getErr();
            new UserLogin(cli, TerminalInput.of(cli.stdin, err), out, err).run(url, email, organizationId);
            return 0;
        }
        if (!"universal-auth".equals(method)) {
            throw new KeyhavenCli.UserError(
                    "Unknown login method '" + method + "': use --method universal-auth (a machine "
                            + "identity) or --method user (e-mail and password).");
        }
        String id = clientId != null ? clientId : cli.envVar("KEYHAVEN_CLIENT_ID");
        String secret = clientSecret != null ? clientSecret : cli.envVar("KEYHAVEN_CLIENT_SECRET");
        if (id == null || secret == null) {
            throw new KeyhavenCli.UserError("Universal-auth login needs a client id and secret: pass --client-id and "
                    + "--client-secret, or set KEYHAVEN_CLIENT_ID and KEYHAVEN_CLIENT_SECRET.");
        }
        KeyhavenClient client = new KeyhavenClient(url, null);
        Token token;
        try {
            token = client.universalAuthLogin(id, secret);
        } catch (KeyhavenException.Unauthenticated e) {
            // a refused login, not an expired one: the saved session (if any) is not involved
            throw new KeyhavenCli.UserError("The client id or client secret was not accepted (server: " + e.getMessage()
                    + "). Check --client-id and --client-secret (or KEYHAVEN_CLIENT_ID and KEYHAVEN_CLIENT_SECRET); a client "
                    + "secret that expired or reached its use limit must be replaced by a new one.");
        } catch (KeyhavenException.PermissionDenied e) {
            throw new KeyhavenCli.UserError("Login refused: " + e.getMessage() + ".");
        }
        Session session = Session.fromToken(client.baseUrl(), method, id, token);
        CredentialsLock.hold(cli.configDir, () -> {
            session.save(cli.configDir);
            return null;
        });
        out.println("Logged in to " + client.baseUrl() + " with universal auth (client id " + id + ").");
        out.println(
                session.expiresAt() == 0
                        ? "The token does not expire."
                        : "The token expires at " + Instant.ofEpochSecond(session.expiresAt())
                                + "; keyhaven renews it before then.");
        out.flush();
        return 0;
    }
}
