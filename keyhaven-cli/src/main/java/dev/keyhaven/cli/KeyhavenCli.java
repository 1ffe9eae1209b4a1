package dev.keyhaven.cli;

import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/** The {@code keyhaven} command: global options and the subcommands. */
@Command(
        name = "keyhaven",
        mixinStandardHelpOptions = true,
        version = "keyhaven 0.1.0",
        description = "Keyhaven command line: log in, manage secrets, run programs with them and render them to files.")
public final class KeyhavenCli {
    /** The subcommands, in the order of the usage help; registered in {@link #commandLine}. */
    private static final Map<String, Class<?>> SUBCOMMANDS = new LinkedHashMap<>();

    static {
        SUBCOMMANDS.put("login", LoginCommand.class);
        SUBCOMMANDS.put("logout", LogoutCommand.class);
        SUBCOMMANDS.put("init", InitCommand.class);
        SUBCOMMANDS.put("secrets", SecretsCommand.class);
        SUBCOMMANDS.put("run", RunCommand.class);
        SUBCOMMANDS.put("export", ExportCommand.class);
        SUBCOMMANDS.put("environments", EnvironmentsCommand.class);
        SUBCOMMANDS.put("folders", FoldersCommand.class);
        SUBCOMMANDS.put("imports", ImportsCommand.class);
        SUBCOMMANDS.put("agent", AgentCommand.class);
        SUBCOMMANDS.put("help", CommandLine.HelpCommand.class);
    }

    public static final String DEFAULT_URL = "http://localhost:8080";

    @Option(
            names = "--url",
            scope = ScopeType.INHERIT,
            paramLabel = "<url>",
            description = "Server URL (env KEYHAVEN_URL; default: the logged-in server, else " + DEFAULT_URL + ").")
    String url;

    @Option(
            names = "--token",
            scope = ScopeType.INHERIT,
            paramLabel = "<token>",
            description = "Access token to use instead of the stored login (env KEYHAVEN_TOKEN).")
    String token;

    final Map<String, String> env;
    final Path configDir;
    final Path workDir;
    /** Where prompts read answers from; tests put their own here. */
    InputStream stdin = System.in;

    public KeyhavenCli(Map<String, String> env, Path workDir) {
        this.env = env;
        this.workDir = workDir;
        this.configDir = configDir(env);
    }

    /** {@code $XDG_CONFIG_HOME/keyhaven}, else {@code ~/.config/keyhaven}. */
    static Path configDir(Map<String, String> env) {
        String xdg = env.get("XDG_CONFIG_HOME");
        if (xdg != null && !xdg.isBlank()) {
            return Paths.get(xdg, "keyhaven");
        }
        String home = env.getOrDefault("HOME", System.getProperty("user.home"));
        return Paths.get(home, ".config", "keyhaven");
    }

    /** A command line wired with the error handler; tests call this with their own env and dirs. */
    public static CommandLine commandLine(Map<String, String> env, Path workDir) {
        return commandLine(env, workDir, null);
    }

    /**
     * A command line for these arguments. Picocli builds its model by reflection, for every
     * registered command; to keep the start-up short only the subcommand named in {@code args} is
     * registered (all of them when there is none, it is unknown, or it is {@code help}).
     */
    static CommandLine commandLine(Map<String, String> env, Path workDir, String[] args) {
        CommandLine cmd = new CommandLine(new KeyhavenCli(env, workDir));
        String name = args == null ? null : subcommandName(args);
        if (name != null && SUBCOMMANDS.containsKey(name) && !"help".equals(name)) {
            cmd.addSubcommand(name, SUBCOMMANDS.get(name));
        } else {
            SUBCOMMANDS.forEach(cmd::addSubcommand);
        }
        cmd.setExecutionExceptionHandler(KeyhavenCli::handle);
        return cmd;
    }

    /** The first argument that is not a global option or its value. */
    static String subcommandName(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.startsWith("--url=") || a.startsWith("--token=")) {
                continue;
            }
            if (a.equals("--url") || a.equals("--token")) {
                i++;
            } else if (!a.startsWith("-")) {
                return a;
            } else {
                return null; // --help, --version or a mistake: let picocli see every command
            }
        }
        return null;
    }

    public static void main(String[] args) {
        // The AWS signer (agent AWS auth) logs through SLF4J, which has no provider here: its output is
        // meant to go nowhere (it could describe signed requests), so SLF4J's "no providers" notice is muted.
        if (System.getProperty("slf4j.internal.verbosity") == null) {
            System.setProperty("slf4j.internal.verbosity", "ERROR");
        }
        int code = commandLine(System.getenv(), Paths.get("").toAbsolutePath(), args)
                .execute(args);
        System.exit(code);
    }

    // ---- shared helpers for the subcommands ---------------------------------------------------

    String envVar(String name) {
        String v = env.get(name);
        return v == null || v.isBlank() ? null : v;
    }

    /** --url, else KEYHAVEN_URL, else the stored login's server, else the default. */
    String serverUrl() {
        if (url != null && !url.isBlank()) {
            return url;
        }
        if (envVar("KEYHAVEN_URL") != null) {
            return envVar("KEYHAVEN_URL");
        }
        Session s = Session.load(configDir);
        return s != null && s.url() != null ? s.url() : DEFAULT_URL;
    }

    /**
     * A client with a token: --token, KEYHAVEN_TOKEN, or the stored login (renewed when close to
     * expiry; a person's session also when the server rejects its access token as expired).
     */
    KeyhavenClient client(PrintWriter err) {
        String server = serverUrl();
        String explicit = token != null && !token.isBlank() ? token : envVar("KEYHAVEN_TOKEN");
        if (explicit != null) {
            return new KeyhavenClient(server, explicit);
        }
        Session s = Session.load(configDir);
        if (s == null) {
            throw new UserError("Not logged in. Run `keyhaven login --method user` (e-mail and password) or "
                    + "`keyhaven login --method universal-auth --client-id <id> --client-secret <secret>`, "
                    + "or pass --token / set KEYHAVEN_TOKEN.");
        }
        if (s.url() != null && !sameUrl(s.url(), server)) {
            throw new UserError("You are logged in to " + s.url() + ", not " + server + ". Run `keyhaven login --url "
                    + server + " ...` or pass --token / set KEYHAVEN_TOKEN.");
        }
        if (s.isUser()) {
            UserSessions sessions = new UserSessions(configDir, new KeyhavenClient(server, null));
            return new KeyhavenClient(server, sessions.freshAccessToken(s)).withRenewal(sessions::afterRejection);
        }
        return new KeyhavenClient(server, s.freshToken(configDir, new KeyhavenClient(server, null)));
    }

    private static boolean sameUrl(String a, String b) {
        return strip(a).equals(strip(b));
    }

    private static String strip(String u) {
        String t = u.trim();
        while (t.endsWith("/")) {
            t = t.substring(0, t.length() - 1);
        }
        return t;
    }

    /** A mistake the user can fix; its message says how. */
    static final class UserError extends RuntimeException {
        private static final long serialVersionUID = 1L;

        UserError(String message) {
            super(message);
        }
    }

    private static int handle(Exception e, CommandLine cmd, CommandLine.ParseResult parsed) {
        PrintWriter err = cmd.getErr();
        err.println("Error: " + describe(e));
        err.flush();
        return 1;
    }

    static String describe(Exception e) {
        if (e instanceof UserError) {
            return e.getMessage();
        }
        if (e instanceof KeyhavenException.Unreachable) {
            return e.getMessage() + ". Check --url / KEYHAVEN_URL and that the server is running.";
        }
        if (e instanceof KeyhavenException.RateLimited rl) {
            return "Too many attempts (429): " + e.getMessage() + "."
                    + (rl.retryAfterSeconds() > 0
                            ? " Wait " + rl.retryAfterSeconds() + " s (Retry-After) and try again."
                            : "");
        }
        if (e instanceof KeyhavenException ke && "MfaEnrollmentRequired".equals(ke.error())) {
            return UserLogin.MFA_ENROLMENT;
        }
        if (e instanceof KeyhavenException ke && "MfaRequired".equals(ke.error())) {
            return "Your organization requires multi-factor authentication for this session: run "
                    + "`keyhaven login --method user` again and give your code.";
        }
        if (e instanceof KeyhavenException.Unauthenticated) {
            return "Your login has expired or was revoked (server: " + e.getMessage() + "). Run `keyhaven login` "
                    + "again, or pass a valid --token / KEYHAVEN_TOKEN.";
        }
        if (e instanceof KeyhavenException.PermissionDenied) {
            return "Permission denied: " + e.getMessage() + ". Ask a project admin for a role that allows this.";
        }
        if (e instanceof KeyhavenException.NotFound) {
            return "Not found: " + e.getMessage() + ". Check the project id, --env and --path.";
        }
        if (e instanceof KeyhavenException.Invalid ke) {
            return "The server rejected the request (" + ke.status() + "): " + e.getMessage();
        }
        if (e instanceof KeyhavenException ke) {
            return "The server answered " + ke.status() + ": " + e.getMessage();
        }
        return e.getClass().getSimpleName() + ": " + e.getMessage();
    }
}
