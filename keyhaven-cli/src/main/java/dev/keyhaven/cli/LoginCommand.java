package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.Token;
import java.io.PrintWriter;
import java.time.Instant;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

@Command(name = "login", mixinStandardHelpOptions = true,
        description = "Log in and store the access token in the user's config directory (mode 0600).")
final class LoginCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Option(names = "--method", defaultValue = "universal-auth", paramLabel = "<method>",
            description = "Login method; only universal-auth for now (default).")
    String method;

    @Option(names = "--client-id", paramLabel = "<id>", description = "Universal-auth client id (env KEYHAVEN_CLIENT_ID).")
    String clientId;

    @Option(names = "--client-secret", paramLabel = "<secret>",
            description = "Universal-auth client secret (env KEYHAVEN_CLIENT_SECRET; prefer the variable, "
                    + "command lines are visible to other users).")
    String clientSecret;

    @Override
    public Integer call() {
        KeyhavenCli cli = (KeyhavenCli) spec.root().userObject();
        PrintWriter out = spec.commandLine().getOut();
        if (!"universal-auth".equals(method)) {
            throw new KeyhavenCli.UserError("Login method '" + method + "' is not supported yet: use --method universal-auth.");
        }
        String id = clientId != null ? clientId : cli.envVar("KEYHAVEN_CLIENT_ID");
        String secret = clientSecret != null ? clientSecret : cli.envVar("KEYHAVEN_CLIENT_SECRET");
        if (id == null || secret == null) {
            throw new KeyhavenCli.UserError("Universal-auth login needs a client id and secret: pass --client-id and "
                    + "--client-secret, or set KEYHAVEN_CLIENT_ID and KEYHAVEN_CLIENT_SECRET.");
        }
        String url = cli.url != null && !cli.url.isBlank() ? cli.url
                : cli.envVar("KEYHAVEN_URL") != null ? cli.envVar("KEYHAVEN_URL") : KeyhavenCli.DEFAULT_URL;
        KeyhavenClient client = new KeyhavenClient(url, null);
        Token token = client.universalAuthLogin(id, secret);
        Session session = Session.fromToken(client.baseUrl(), method, id, token);
        session.save(cli.configDir);
        out.println("Logged in to " + client.baseUrl() + " with universal auth (client id " + id + ").");
        out.println(session.expiresAt() == 0 ? "The token does not expire."
                : "The token expires at " + Instant.ofEpochSecond(session.expiresAt())
                        + "; keyhaven renews it before then.");
        out.flush();
        return 0;
    }
}
