import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Keyhaven load benchmark: a single-file program for the JDK source launcher
 * ({@code java bench/LoadBench.java --port N ...}); no dependencies.
 *
 * <p>Against an already running, fresh Keyhaven server on 127.0.0.1 (started with
 * {@code KEYHAVEN_BENCH_ENDPOINTS=true}) it bootstraps the instance, creates the data set
 * (a project with 100 secrets in prod, 10 of them with references, one import of dev) and one
 * machine identity per client, then measures, each for a fixed time after a warm-up:
 * <ol>
 *   <li>the baseline {@code GET /api/bench/baseline?bytes=<size of the real response>} and the
 *       real read {@code GET /api/v3/secrets/raw?...&expandSecretReferences=true&include_imports=true};
 *   <li>universal-auth logins;
 *   <li>single-secret writes ({@code PATCH /api/v3/secrets/raw/:key});
 *   <li>(step {@code rules}) the same read by identities whose access comes from 1,000 rules
 *       (a custom role, a group's role and an additional privilege) against viewers.
 * </ol>
 * Every response's status is checked; anything but 2xx (or an I/O failure) is an error, counted
 * and printed. Only 127.0.0.1 is ever contacted. {@code bench/run.sh} starts the server(s) and
 * runs this program; see bench/README.md.
 */
public class LoadBench {

    static final String HOST = "127.0.0.1"; // never anything else

    // ---- options ----
    static int port = -1;
    static String label = "server";
    static int clients = 16;
    static int loginClients = -1;
    static int writeClients = -1;
    static double durationS = 20;
    static double warmupS = 20;
    static String httpMode = "raw";
    static String resultsFile = null;
    static long serverPid = -1;
    static int clkTck = 100;
    static String steps = "reads,rules,single,logins,writes";
    static String dbProcessName = null;

    static final int SECRET_COUNT = 100;
    static final int REFERENCE_COUNT = 10;
    static final int DEV_SECRET_COUNT = 5;

    public static void main(String[] args) throws Exception {
        if (args.length >= 1 && args[0].equals("--summary")) {
            summary(Arrays.copyOfRange(args, 1, args.length));
            return;
        }
        parseArgs(args);
        if (loginClients <= 0) loginClients = clients;
        if (writeClients <= 0) writeClients = clients;

        Setup setup;
        try {
            setup = setup();
        } catch (Exception e) {
            System.err.println("SETUP FAILED (" + label + "): " + e.getMessage());
            System.exit(1);
            return;
        }

        List<Row> rows = new ArrayList<>();
        Map<String, Object> notes = new LinkedHashMap<>();
        if (steps.contains("reads")) {
            rows.addAll(readSteps(setup, notes));
        }
        if (steps.contains("rules")) {
            rows.addAll(rulesStep(setup));
        }
        if (steps.contains("single")) {
            rows.addAll(singleStep(setup));
        }
        if (steps.contains("render")) {
            rows.addAll(pairedReads(setup, "render", List.of(new Target("listing, rendered", "render", setup.readPath))));
        }
        if (steps.contains("logins")) {
            rows.add(loginStep(setup));
        }
        if (steps.contains("writes")) {
            rows.add(writeStep(setup));
        }
        if (steps.contains("reads")) {
            // the data set is still complete and expanded after the load
            try {
                verifyReadable(setup, setup.readerTokens.get(0));
            } catch (Exception e) {
                Row check = new Row();
                check.name = "final read check";
                check.errors = 1;
                check.errorCounts.put("check failed", 1L);
                check.errorSamples.add(String.valueOf(e));
                rows.add(check);
            }
        }

        printTable(rows, notes);
        if (resultsFile != null) {
            appendResults(rows);
        }
        long errors = rows.stream().mapToLong(r -> r.errors).sum();
        System.exit(errors > 0 ? 2 : 0);
    }

    static void parseArgs(String[] args) {
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            String v = i + 1 < args.length ? args[i + 1] : null;
            switch (a) {
                case "--port" -> { port = Integer.parseInt(v); i++; }
                case "--label" -> { label = v; i++; }
                case "--clients" -> { clients = Integer.parseInt(v); i++; }
                case "--login-clients" -> { loginClients = Integer.parseInt(v); i++; }
                case "--write-clients" -> { writeClients = Integer.parseInt(v); i++; }
                case "--duration" -> { durationS = Double.parseDouble(v); i++; }
                case "--warmup" -> { warmupS = Double.parseDouble(v); i++; }
                case "--http" -> { httpMode = v; i++; }
                case "--results" -> { resultsFile = v; i++; }
                case "--server-pid" -> { serverPid = Long.parseLong(v); i++; }
                case "--clk-tck" -> { clkTck = Integer.parseInt(v); i++; }
                case "--db-process" -> { dbProcessName = v; i++; }
                case "--steps" -> { steps = v; i++; }
                case "-h", "--help" -> { usage(); System.exit(0); }
                default -> { System.err.println("unknown option " + a); usage(); System.exit(64); }
            }
        }
        if (port <= 0 || port > 65535) {
            System.err.println("--port is required");
            usage();
            System.exit(64);
        }
        if (!httpMode.equals("raw") && !httpMode.equals("jdk")) {
            System.err.println("--http must be raw or jdk");
            System.exit(64);
        }
        if (clients < 1 || clients > 1024 || durationS <= 0 || durationS > 3600 || warmupS < 0 || warmupS > 600) {
            System.err.println("out-of-range option (clients 1..1024, duration 0..3600 s, warmup 0..600 s)");
            System.exit(64);
        }
    }

    static void usage() {
        System.err.println("""
                usage: java bench/LoadBench.java --port N [options]      (server on 127.0.0.1:N, fresh, bench endpoints on)
                  --label NAME          name of this run in the output (e.g. sqlite, postgres)
                  --clients N           concurrent clients for the read steps (default 16)
                  --login-clients N     concurrent clients for the login step (default = --clients)
                  --write-clients N     concurrent clients for the write step (default = --clients)
                  --duration S          measured seconds per step (default 20)
                  --warmup S            warm-up seconds before each step (default 20; the read steps share one)
                  --http raw|jdk        load client: minimal keep-alive HTTP/1.1 over sockets (default) or java.net.http
                  --steps LIST          any of reads,rules,single,render,logins,writes (default all but render;
                                        render expects a server with KEYHAVEN_READ_CACHE_SECONDS=0, which run.sh starts)
                  --server-pid PID      report the server's CPU use per step (from /proc)
                  --db-process NAME     report the CPU use of the processes with this name (e.g. postgres)
                  --results FILE        append the figures as tab-separated lines (for --summary)
                java bench/LoadBench.java --summary FILE   print a comparison table of a results file""");
    }

    // =====================================================================================
    // Setup
    // =====================================================================================

    record Creds(String identityId, String clientId, String clientSecret) {}

    static final class Setup {
        String adminToken;
        String orgId;
        String projectId;
        List<String> keys = new ArrayList<>();
        List<Creds> readers = new ArrayList<>();
        List<String> readerTokens = new ArrayList<>();
        List<Creds> writers = new ArrayList<>();
        List<String> writerTokens = new ArrayList<>();
        List<String> ruledTokens = new ArrayList<>();
        String readPath;
        int readBytes;
    }

    static HttpClient setupClient;

    static Setup setup() throws Exception {
        setupClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(Duration.ofSeconds(10)).build();
        Setup s = new Setup();
        long t0 = System.nanoTime();

        Map<String, Object> boot = call("POST", "/api/v1/admin/bootstrap", null, obj(
                "email", "bench-admin@keyhaven.invalid",
                "password", "bench-password-" + Long.toHexString(System.nanoTime()),
                "organization", "Bench Org"));
        s.adminToken = str(boot, "identity.credentials.token");
        s.orgId = str(boot, "organization.id");

        Map<String, Object> project = call("POST", "/api/v2/workspace", s.adminToken, obj("projectName", "bench"));
        s.projectId = str(project, "project.id");

        // dev: a few secrets, referenced from prod and imported into prod
        List<Object> dev = new ArrayList<>();
        for (int i = 0; i < DEV_SECRET_COUNT; i++) {
            dev.add(obj("secretKey", "DEV_KEY_" + i, "secretValue", "dev-value-" + i + "-" + randomHex(12)));
        }
        call("POST", "/api/v3/secrets/batch/raw", s.adminToken, obj("workspaceId", s.projectId,
                "environment", "dev", "secretPath", "/", "secrets", dev));

        // prod: 100 secrets, the last 10 with references to prod and dev secrets
        List<Object> prod = new ArrayList<>();
        for (int i = 0; i < SECRET_COUNT; i++) {
            String key = String.format("KEY_%03d", i);
            s.keys.add(key);
            String value;
            if (i >= SECRET_COUNT - REFERENCE_COUNT) {
                int r = i - (SECRET_COUNT - REFERENCE_COUNT);
                value = String.format("postgres://${KEY_%03d}:${KEY_%03d}@${dev.DEV_KEY_%d}/app", r, r + 10,
                        r % DEV_SECRET_COUNT);
            } else {
                value = "value-" + i + "-" + randomHex(24);
            }
            prod.add(obj("secretKey", key, "secretValue", value));
        }
        call("POST", "/api/v3/secrets/batch/raw", s.adminToken, obj("workspaceId", s.projectId,
                "environment", "prod", "secretPath", "/", "secrets", prod));

        call("POST", "/api/v1/secret-imports", s.adminToken, obj("workspaceId", s.projectId,
                "environment", "prod", "path", "/", "import", obj("environment", "dev", "path", "/")));

        // one identity per client: viewers for reads and logins, members for writes
        int readerCount = Math.max(clients, loginClients);
        for (int i = 0; i < readerCount; i++) {
            s.readers.add(identity(s, "bench-reader-" + i, "viewer"));
        }
        for (int i = 0; i < writeClients; i++) {
            s.writers.add(identity(s, "bench-writer-" + i, "member"));
        }
        for (Creds c : s.readers) s.readerTokens.add(login(c));
        for (Creds c : s.writers) s.writerTokens.add(login(c));

        s.readPath = "/api/v3/secrets/raw?workspaceId=" + s.projectId
                + "&environment=prod&secretPath=/&expandSecretReferences=true&include_imports=true";
        s.readBytes = verifyReadable(s, s.readerTokens.get(0));
        if (steps.contains("rules")) {
            ruledReaders(s);
            int ruledBytes = verifyReadable(s, s.ruledTokens.get(0));
            check(ruledBytes == s.readBytes, "an identity with 1,000 rules reads " + ruledBytes + " bytes, a viewer "
                    + s.readBytes + ": the rules do not grant the same read");
        }
        System.out.printf(Locale.ROOT, "[%s] setup: project %s, %d prod secrets (%d with references), 1 import of %d dev secrets,"
                        + " %d reader + %d writer identities, in %.1f s; secrets response %d bytes%n",
                label, s.projectId, SECRET_COUNT, REFERENCE_COUNT, DEV_SECRET_COUNT, s.readers.size(), s.writers.size(),
                (System.nanoTime() - t0) / 1e9, s.readBytes);
        return s;
    }

    static Creds identity(Setup s, String name, String projectRole) throws Exception {
        Map<String, Object> id = call("POST", "/api/v1/identities", s.adminToken,
                obj("name", name, "organizationId", s.orgId, "role", "member"));
        String identityId = str(id, "identity.id");
        Map<String, Object> ua = call("POST", "/api/v1/auth/universal-auth/identities/" + identityId, s.adminToken, obj());
        String clientId = str(ua, "identityUniversalAuth.clientId");
        Map<String, Object> cs = call("POST", "/api/v1/auth/universal-auth/identities/" + identityId + "/client-secrets",
                s.adminToken, obj());
        String clientSecret = str(cs, "clientSecret");
        call("POST", "/api/v2/workspace/" + s.projectId + "/identity-memberships/" + identityId, s.adminToken,
                obj("role", projectRole));
        return new Creds(identityId, clientId, clientSecret);
    }

    static String login(Creds c) throws Exception {
        Map<String, Object> r = call("POST", "/api/v1/auth/universal-auth/login", null,
                obj("clientId", c.clientId(), "clientSecret", c.clientSecret()));
        return str(r, "accessToken");
    }

    static final String[] RULE_ENVS = {"dev", "staging", "prod", "qa"};
    static final String[] RULE_SUBJECTS = {"secrets", "secret-folders", "secret-imports", "dynamic-secrets", "tags"};
    static final int RULES = 1000;

    /**
     * One reader per client whose project access comes from 1,000 rules in three places: a
     * custom role held directly (600 rules), the custom role of a group it belongs to (200) and an
     * additional privilege (200). Nearly all are rules of the kinds teams write (an environment,
     * a team's path glob, sometimes a name glob; 5 % denies) that do not touch this read; the
     * few that grant it sit among them, so the read sees exactly what a viewer sees.
     */
    static void ruledReaders(Setup s) throws Exception {
        java.util.SplittableRandom random = new java.util.SplittableRandom(7);
        List<Object> rules = new ArrayList<>();
        for (String env : List.of("prod", "dev")) {
            rules.add(obj("subject", "secrets", "action", List.of("describeSecret", "readValue"),
                    "conditions", obj("environment", env, "secretPath", obj("$glob", "/**"))));
        }
        rules.add(obj("subject", "secret-imports", "action", List.of("read")));
        rules.add(obj("subject", "secret-folders", "action", List.of("read")));
        while (rules.size() < RULES) {
            String subject = RULE_SUBJECTS[random.nextInt(RULE_SUBJECTS.length)];
            String action = subject.equals("secrets") ? (random.nextBoolean() ? "readValue" : "describeSecret")
                    : subject.equals("dynamic-secrets") ? "lease" : "read";
            Map<String, Object> rule = obj("subject", subject, "action", List.of(action));
            if (!subject.equals("tags")) {
                Map<String, Object> conditions = obj("environment", RULE_ENVS[random.nextInt(RULE_ENVS.length)],
                        "secretPath", obj("$glob", "/team-" + random.nextInt(50) + "/**"));
                if (subject.equals("secrets") && random.nextInt(4) == 0) {
                    conditions.put("secretName", obj("$glob", "KEY_" + random.nextInt(100) + "*"));
                }
                rule.put("conditions", conditions);
            }
            if (random.nextInt(20) == 0) {
                rule.put("inverted", true);
            }
            rules.add(rule);
        }
        java.util.Collections.shuffle(rules, new java.util.Random(7));
        call("POST", "/api/v2/workspace/" + s.projectId + "/roles", s.adminToken, obj("slug", "bench-direct",
                "name", "bench direct", "permissions", rules.subList(0, 600)));
        call("POST", "/api/v2/workspace/" + s.projectId + "/roles", s.adminToken, obj("slug", "bench-group",
                "name", "bench group", "permissions", rules.subList(600, 800)));
        Map<String, Object> group = call("POST", "/api/v1/groups", s.adminToken, obj("name", "bench-readers"));
        String groupId = String.valueOf(group.get("id"));
        call("POST", "/api/v2/workspace/" + s.projectId + "/groups/" + groupId, s.adminToken, obj("role", "bench-group"));
        List<Object> privilege = rules.subList(800, RULES);
        for (int i = 0; i < clients; i++) {
            Creds c = identity(s, "bench-ruled-" + i, "bench-direct");
            call("POST", "/api/v1/groups/" + groupId + "/machine-identities/" + c.identityId(), s.adminToken, obj());
            call("POST", "/api/v2/identity-project-additional-privilege", s.adminToken, obj("identityId", c.identityId(),
                    "projectId", s.projectId, "slug", "bench-extra", "permissions", privilege,
                    "type", obj("isTemporary", false)));
            s.ruledTokens.add(login(c));
        }
    }

    /** Reads the secrets with the given token and checks the content; returns the body size. */
    @SuppressWarnings("unchecked")
    static int verifyReadable(Setup s, String token) throws Exception {
        HttpResponse<byte[]> res = send("GET", s.readPath, token, null);
        if (res.statusCode() != 200) {
            throw new IllegalStateException("GET secrets -> " + res.statusCode() + " " + snippet(res.body(), res.body().length));
        }
        Map<String, Object> body = (Map<String, Object>) Json.parse(new String(res.body(), StandardCharsets.UTF_8));
        List<Object> secrets = (List<Object>) body.get("secrets");
        List<Object> imports = (List<Object>) body.get("imports");
        check(secrets != null && secrets.size() == SECRET_COUNT, "expected " + SECRET_COUNT + " secrets, got "
                + (secrets == null ? "none" : secrets.size()));
        check(imports != null && imports.size() == 1, "expected 1 import in the response");
        List<Object> imported = (List<Object>) ((Map<String, Object>) imports.get(0)).get("secrets");
        check(imported != null && imported.size() == DEV_SECRET_COUNT, "expected " + DEV_SECRET_COUNT + " imported secrets");
        int expanded = 0;
        for (Object o : secrets) {
            Map<String, Object> secret = (Map<String, Object>) o;
            String key = String.valueOf(secret.get("secretKey"));
            String value = String.valueOf(secret.get("secretValue"));
            int idx = Integer.parseInt(key.substring(4));
            if (idx >= SECRET_COUNT - REFERENCE_COUNT) {
                check(!value.contains("${"), "reference not expanded in " + key + ": " + value);
                check(value.contains("dev-value-"), "dev reference not expanded in " + key);
                expanded++;
            }
        }
        check(expanded == REFERENCE_COUNT, "expected " + REFERENCE_COUNT + " secrets with references");
        return res.body().length;
    }

    static void check(boolean ok, String message) {
        if (!ok) throw new IllegalStateException(message);
    }

    // =====================================================================================
    // Steps
    // =====================================================================================

    static List<Row> readSteps(Setup s, Map<String, Object> notes) throws Exception {
        String baselinePath = "/api/bench/baseline?bytes=" + s.readBytes;
        HttpResponse<byte[]> probe = send("GET", baselinePath, null, null);
        if (probe.statusCode() != 200) {
            System.err.println("[" + label + "] GET " + baselinePath + " -> " + probe.statusCode()
                    + ": is the server running with KEYHAVEN_BENCH_ENDPOINTS=true?");
            System.exit(1);
        }
        int baselineBytes = probe.body().length;

        byte[][] secretsReq = new byte[clients][];
        byte[][] baselineReq = new byte[clients][];
        for (int i = 0; i < clients; i++) {
            secretsReq[i] = Request.get(s.readPath, s.readerTokens.get(i));
            baselineReq[i] = Request.get(baselinePath, s.readerTokens.get(i));
        }
        String secretsName = "GET /api/v3/secrets/raw (" + s.readBytes + " B)";
        String baselineName = "GET /api/bench/baseline (" + baselineBytes + " B)";
        // one warm-up for both endpoints (half the time each, interleaved per worker)
        if (warmupS > 0) {
            System.out.printf(Locale.ROOT, "[%s] warm-up %.0f s (reads) ...%n", label, warmupS);
            run("warm-up", clients, 0, warmupS, new RequestSource() {
                public byte[] next(int w, long seq) {
                    return (seq & 1) == 0 ? secretsReq[w] : baselineReq[w];
                }

                public int expectedBytes(int w, long seq) {
                    return (seq & 1) == 0 ? s.readBytes : baselineBytes;
                }
            });
        }
        Row baseline = run(baselineName, clients, 0, durationS, constant(baselineReq, baselineBytes));
        Row secrets = run(secretsName, clients, 0, durationS, constant(secretsReq, s.readBytes));
        notes.put("ratio", secrets.rps / baseline.rps);
        notes.put("baselineRps", baseline.rps);
        secrets.ratio = secrets.rps / baseline.rps;
        secrets.kind = "read";
        baseline.kind = "baseline";
        return List.of(baseline, secrets);
    }

    /**
     * The secrets read by viewers and by identities holding 1,000 rules, after a shared warm-up,
     * each measured twice for half the time in turn (viewer, rules, viewer, rules), so that a
     * change of load during the step hits both alike; the figures are the sums.
     */
    static List<Row> rulesStep(Setup s) throws Exception {
        byte[][] viewerReq = new byte[clients][];
        byte[][] ruledReq = new byte[clients][];
        for (int i = 0; i < clients; i++) {
            viewerReq[i] = Request.get(s.readPath, s.readerTokens.get(i));
            ruledReq[i] = Request.get(s.readPath, s.ruledTokens.get(i));
        }
        if (warmupS > 0) {
            run("warm-up", clients, 0, warmupS, new RequestSource() {
                public byte[] next(int w, long seq) {
                    return (seq & 1) == 0 ? viewerReq[w] : ruledReq[w];
                }

                public int expectedBytes(int w, long seq) {
                    return s.readBytes;
                }
            });
        }
        List<Row> viewer = new ArrayList<>();
        List<Row> ruled = new ArrayList<>();
        for (int round = 0; round < 2; round++) {
            viewer.add(run("secrets read, viewer (half " + (round + 1) + ")", clients, 0, durationS / 2,
                    constant(viewerReq, s.readBytes)));
            ruled.add(run("secrets read, 1,000 rules (half " + (round + 1) + ")", clients, 0, durationS / 2,
                    constant(ruledReq, s.readBytes)));
        }
        Row v = combine("GET /api/v3/secrets/raw as viewer", viewer);
        Row r = combine("GET /api/v3/secrets/raw with 1,000 rules", ruled);
        v.kind = "viewer";
        r.kind = "rules";
        r.ratio = r.rps / v.rps;
        return List.of(v, r);
    }

    record Target(String name, String kind, String path) {}

    /**
     * One secret read three ways, as the SDKs do: v3 by name, v4 by name and v3 by id (a secret
     * without references, in the folder of the listing).
     */
    static List<Row> singleStep(Setup s) throws Exception {
        String where = "environment=prod&secretPath=/";
        String v3name = "/api/v3/secrets/raw/KEY_000?workspaceId=" + s.projectId + "&" + where;
        String v4name = "/api/v4/secrets/KEY_000?projectId=" + s.projectId + "&" + where;
        String id = str(call("GET", v3name, s.readerTokens.get(0), null), "secret.id");
        String v3id = "/api/v3/secrets/raw/id/" + id;
        return pairedReads(s, "single", List.of(
                new Target("GET /api/v3/secrets/raw/KEY_000", "v3name", v3name),
                new Target("GET /api/v4/secrets/KEY_000", "v4name", v4name),
                new Target("GET /api/v3/secrets/raw/id/:id", "v3id", v3id)));
    }

    /**
     * Each target against the baseline of the same size, paired: after one shared warm-up, for
     * every target and identity count, baseline and target alternate in halves (baseline,
     * target, baseline, target), so that a change of load hits both alike. Every target is
     * measured with one identity per client and with one identity shared by all clients.
     */
    static List<Row> pairedReads(Setup s, String group, List<Target> targets) throws Exception {
        int[] sizes = new int[targets.size()];
        for (int t = 0; t < targets.size(); t++) {
            HttpResponse<byte[]> r = send("GET", targets.get(t).path(), s.readerTokens.get(0), null);
            check(r.statusCode() == 200, "GET " + targets.get(t).path() + " -> " + r.statusCode());
            sizes[t] = r.body().length;
        }
        String baselinePath = "/api/bench/baseline?bytes=" + sizes[0];
        HttpResponse<byte[]> probe = send("GET", baselinePath, null, null);
        check(probe.statusCode() == 200, "GET " + baselinePath + " -> " + probe.statusCode()
                + ": is the server running with KEYHAVEN_BENCH_ENDPOINTS=true?");
        int baselineBytes = probe.body().length;
        byte[][] baselineReq = new byte[clients][];
        for (int i = 0; i < clients; i++) baselineReq[i] = Request.get(baselinePath, s.readerTokens.get(i));
        byte[][][] own = new byte[targets.size()][clients][];
        byte[][][] shared = new byte[targets.size()][clients][];
        for (int t = 0; t < targets.size(); t++) {
            for (int i = 0; i < clients; i++) {
                own[t][i] = Request.get(targets.get(t).path(), s.readerTokens.get(i));
                shared[t][i] = Request.get(targets.get(t).path(), s.readerTokens.get(0));
            }
        }
        int kinds = targets.size() + 1;
        if (warmupS > 0) {
            System.out.printf(Locale.ROOT, "[%s] warm-up %.0f s (%s) ...%n", label, warmupS, group);
            run("warm-up", clients, 0, warmupS, new RequestSource() {
                public byte[] next(int w, long seq) {
                    int k = (int) (seq % kinds);
                    return k == targets.size() ? baselineReq[w] : own[k][w];
                }

                public int expectedBytes(int w, long seq) {
                    int k = (int) (seq % kinds);
                    return k == targets.size() ? baselineBytes : sizes[k];
                }
            });
        }
        List<Row> rows = new ArrayList<>();
        for (int ids : clients > 1 ? new int[] {clients, 1} : new int[] {1}) {
            for (int t = 0; t < targets.size(); t++) {
                Target target = targets.get(t);
                byte[][] req = ids == 1 ? shared[t] : own[t];
                List<Row> base = new ArrayList<>();
                List<Row> read = new ArrayList<>();
                for (int round = 0; round < 2; round++) {
                    base.add(run("baseline (half " + (round + 1) + ")", clients, 0, durationS / 2,
                            constant(baselineReq, baselineBytes)));
                    read.add(run(target.name() + " (half " + (round + 1) + ")", clients, 0, durationS / 2,
                            constant(req, sizes[t])));
                }
                String suffix = " " + ids + (ids == 1 ? " id" : " ids");
                Row b = combine("  baseline (" + baselineBytes + " B)", base);
                Row r = combine(target.name() + " (" + sizes[t] + " B)" + suffix, read);
                b.kind = group + "-baseline-" + target.kind() + "-" + ids;
                r.kind = group + "-" + target.kind() + "-" + ids;
                r.ratio = r.rps / b.rps;
                rows.add(r);
                rows.add(b);
            }
        }
        return rows;
    }

    /** Two measurements of one request as one row: counts and CPU summed, percentiles the worse of the two. */
    static Row combine(String name, List<Row> parts) {
        Row out = new Row();
        out.name = name;
        double serverCoreSeconds = 0, clientCoreSeconds = 0, otherCoreSeconds = 0, dbCoreSeconds = 0;
        for (Row p : parts) {
            out.clients = p.clients;
            out.ok += p.ok;
            out.errors += p.errors;
            out.seconds += p.seconds;
            out.p50 = Math.max(out.p50, p.p50);
            out.p90 = Math.max(out.p90, p.p90);
            out.p99 = Math.max(out.p99, p.p99);
            out.max = Math.max(out.max, p.max);
            serverCoreSeconds += p.serverCores * p.seconds;
            clientCoreSeconds += p.clientCores * p.seconds;
            otherCoreSeconds += p.otherCores * p.seconds;
            dbCoreSeconds += p.dbCores * p.seconds; // NaN (not measured) stays NaN
            p.errorCounts.forEach((k, c) -> out.errorCounts.merge(k, c, Long::sum));
            out.errorSamples.addAll(p.errorSamples);
        }
        out.rps = out.ok / out.seconds;
        out.serverCores = serverCoreSeconds / out.seconds;
        out.clientCores = clientCoreSeconds / out.seconds;
        out.otherCores = otherCoreSeconds / out.seconds;
        out.dbCores = dbCoreSeconds / out.seconds;
        return out;
    }

    static Row loginStep(Setup s) throws Exception {
        byte[][] req = new byte[loginClients][];
        for (int i = 0; i < loginClients; i++) {
            Creds c = s.readers.get(i % s.readers.size());
            req[i] = Request.post("POST", "/api/v1/auth/universal-auth/login", null,
                    Json.write(obj("clientId", c.clientId(), "clientSecret", c.clientSecret())));
        }
        Row r = run("POST /api/v1/auth/universal-auth/login", loginClients, warmupS, durationS, (w, seq) -> req[w]);
        r.kind = "login";
        return r;
    }

    static Row writeStep(Setup s) throws Exception {
        // each writer cycles over its own share of the 90 prod keys without references (no two
        // writers touch one key; the 10 secrets with references stay as they are)
        int plain = SECRET_COUNT - REFERENCE_COUNT;
        List<List<String>> share = new ArrayList<>();
        for (int w = 0; w < writeClients; w++) share.add(new ArrayList<>());
        for (int k = 0; k < plain; k++) share.get(k % writeClients).add(s.keys.get(k));
        for (int w = 0; w < writeClients; w++) {
            if (share.get(w).isEmpty()) share.get(w).add(s.keys.get(w % plain));
        }
        String prefix = "{\"workspaceId\":\"" + s.projectId + "\",\"environment\":\"prod\",\"secretPath\":\"/\",\"secretValue\":\"";
        Row r = run("PATCH /api/v3/secrets/raw/:key", writeClients, warmupS, durationS, (w, seq) -> {
            List<String> keys = share.get(w);
            String key = keys.get((int) (seq % keys.size()));
            String body = prefix + "bench-w" + w + "-" + seq + "\"}";
            return Request.post("PATCH", "/api/v3/secrets/raw/" + key, s.writerTokens.get(w),
                    body.getBytes(StandardCharsets.UTF_8));
        });
        r.kind = "write";
        return r;
    }

    // =====================================================================================
    // The load loop
    // =====================================================================================

    interface RequestSource {
        /** The raw HTTP/1.1 request for worker {@code w}'s {@code seq}-th request. */
        byte[] next(int w, long seq);

        /** The body size a successful response must have (the data do not change while reading), or -1. */
        default int expectedBytes(int w, long seq) {
            return -1;
        }
    }

    /** Reads of constant data: the same request per worker, and every response must have the same size. */
    static RequestSource constant(byte[][] requests, int bytes) {
        return new RequestSource() {
            public byte[] next(int w, long seq) {
                return requests[w];
            }

            public int expectedBytes(int w, long seq) {
                return bytes;
            }
        };
    }

    static final class Row {
        String name;
        String kind = "";
        int clients;
        long ok;
        long errors;
        double seconds;
        double rps;
        double p50, p90, p99, max, mean; // ms
        double ratio = Double.NaN;
        double serverCores = Double.NaN, clientCores = Double.NaN, dbCores = Double.NaN, otherCores = Double.NaN;
        Map<String, Long> errorCounts = new TreeMap<>();
        List<String> errorSamples = new ArrayList<>();
    }

    static final class WorkerResult {
        long[] lat = new long[1 << 14];
        int n;
        long errors;
        Map<String, Long> errorCounts = new TreeMap<>();
        List<String> samples = new ArrayList<>();

        void add(long nanos) {
            if (n == lat.length) lat = Arrays.copyOf(lat, lat.length * 2);
            lat[n++] = nanos;
        }

        void error(String what, String sample) {
            errors++;
            errorCounts.merge(what, 1L, Long::sum);
            if (samples.size() < 3) samples.add(sample);
        }
    }

    /**
     * Runs {@code n} workers, each looping synchronously over its own connection: {@code warmup}
     * seconds unrecorded, then {@code duration} seconds recorded (requests that start inside the
     * window; the window ends when the last of them has finished).
     */
    static Row run(String name, int n, double warmup, double duration, RequestSource source) throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(n, r -> {
            Thread t = new Thread(r, "bench-worker");
            t.setDaemon(true);
            return t;
        });
        HttpClient jdk = httpMode.equals("jdk")
                ? HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(10)).build()
                : null;
        CountDownLatch ready = new CountDownLatch(n);
        CountDownLatch go = new CountDownLatch(1);
        long[] window = new long[2];
        List<Future<WorkerResult>> futures = new ArrayList<>();
        for (int w = 0; w < n; w++) {
            final int worker = w;
            futures.add(pool.submit(() -> {
                WorkerResult res = new WorkerResult();
                Conn conn = jdk != null ? new JdkConn(jdk) : new RawConn();
                try {
                    ready.countDown();
                    go.await();
                    long measureFrom = window[0];
                    long end = window[1];
                    long seq = 0;
                    long now = System.nanoTime();
                    while (now < end) {
                        int expected = source.expectedBytes(worker, seq);
                        byte[] req = source.next(worker, seq++);
                        long t0 = now;
                        int status;
                        String sample = null;
                        try {
                            status = conn.exchange(req);
                            if (status < 200 || status > 299) {
                                sample = "HTTP " + status + ": " + conn.bodySnippet();
                            } else if (expected >= 0 && conn.bodyLength() != expected) {
                                sample = "HTTP " + status + " with " + conn.bodyLength() + " bytes instead of " + expected
                                        + ": " + conn.bodySnippet();
                                status = -2;
                            }
                        } catch (IOException | RuntimeException e) {
                            status = -1;
                            sample = "I/O: " + e;
                        }
                        now = System.nanoTime();
                        if (status == -1) {
                            Thread.sleep(5); // do not spin on a dead server
                        }
                        if (t0 >= measureFrom) {
                            if (sample == null) {
                                res.add(now - t0);
                            } else {
                                res.error(status == -1 ? "I/O error" : status == -2 ? "wrong body size" : "HTTP " + status,
                                        sample);
                            }
                        }
                    }
                } finally {
                    conn.close();
                }
                return res;
            }));
        }
        ready.await(30, TimeUnit.SECONDS);
        long start = System.nanoTime();
        window[0] = start + (long) (warmup * 1e9);
        window[1] = window[0] + (long) (duration * 1e9);
        Cpu cpu0 = Cpu.sample();
        go.countDown();
        if (warmup > 0) {
            Thread.sleep((long) (warmup * 1000));
            cpu0 = Cpu.sample();
        }
        List<WorkerResult> results = new ArrayList<>();
        long deadline = window[1] + TimeUnit.SECONDS.toNanos(60);
        for (Future<WorkerResult> f : futures) {
            long left = Math.max(1, deadline - System.nanoTime());
            results.add(f.get(left, TimeUnit.NANOSECONDS));
        }
        long finished = System.nanoTime();
        Cpu cpu1 = Cpu.sample();
        pool.shutdownNow();

        Row row = new Row();
        row.name = name;
        row.clients = n;
        row.seconds = (finished - window[0]) / 1e9;
        int total = 0;
        for (WorkerResult r : results) {
            total += r.n;
            row.errors += r.errors;
            r.errorCounts.forEach((k, v) -> row.errorCounts.merge(k, v, Long::sum));
            for (String smp : r.samples) if (row.errorSamples.size() < 5) row.errorSamples.add(smp);
        }
        long[] all = new long[total];
        int off = 0;
        double sum = 0;
        for (WorkerResult r : results) {
            System.arraycopy(r.lat, 0, all, off, r.n);
            off += r.n;
        }
        Arrays.sort(all);
        for (long l : all) sum += l;
        row.ok = total;
        row.rps = total / row.seconds;
        if (total > 0) {
            row.p50 = pct(all, 0.50) / 1e6;
            row.p90 = pct(all, 0.90) / 1e6;
            row.p99 = pct(all, 0.99) / 1e6;
            row.max = all[total - 1] / 1e6;
            row.mean = sum / total / 1e6;
        }
        double wall = (cpu1.wallNanos - cpu0.wallNanos) / 1e9;
        if (cpu0.serverNanos >= 0 && cpu1.serverNanos >= 0) {
            row.serverCores = (cpu1.serverNanos - cpu0.serverNanos) / 1e9 / wall;
        }
        row.clientCores = (cpu1.clientNanos - cpu0.clientNanos) / 1e9 / wall;
        double db = 0;
        if (cpu0.dbNanos >= 0 && cpu1.dbNanos >= 0) {
            row.dbCores = db = Math.max(0, (cpu1.dbNanos - cpu0.dbNanos) / 1e9 / wall);
        }
        if (cpu0.machineNanos >= 0 && cpu1.machineNanos >= 0 && !Double.isNaN(row.serverCores)) {
            row.otherCores = Math.max(0, (cpu1.machineNanos - cpu0.machineNanos) / 1e9 / wall - row.serverCores
                    - row.clientCores - db);
        }
        if (!name.equals("warm-up")) {
            System.out.printf(Locale.ROOT, "[%s] %-44s %8.0f req/s  p50 %6.2f ms  p99 %7.2f ms  errors %d%n",
                    label, name, row.rps, row.p50, row.p99, row.errors);
        } else if (row.errors > 0) {
            System.out.printf(Locale.ROOT, "[%s] warm-up: %d errors %s%n", label, row.errors, row.errorSamples);
        }
        return row;
    }

    static long pct(long[] sorted, double p) {
        int idx = (int) Math.ceil(p * sorted.length) - 1;
        return sorted[Math.max(0, Math.min(sorted.length - 1, idx))];
    }

    /**
     * CPU time of the server process (from /proc, if its pid is known), of this process and of the
     * whole machine (busy time from /proc/stat), so that other load on the machine shows up.
     */
    record Cpu(long wallNanos, long serverNanos, long clientNanos, long dbNanos, long machineNanos) {
        /** utime + stime of a process in ns, or -1; with {@code name}, only if its command name matches. */
        static long processCpu(String pid, String name) {
            try {
                String stat = Files.readString(Path.of("/proc/" + pid + "/stat"));
                int open = stat.indexOf('(');
                int close = stat.lastIndexOf(')');
                if (name != null && !stat.substring(open + 1, close).equals(name)) return -1;
                String[] f = stat.substring(close + 2).split(" ");
                long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // utime, stime
                return ticks * 1_000_000_000L / clkTck;
            } catch (Exception e) {
                return -1;
            }
        }

        static Cpu sample() {
            long server = serverPid > 0 ? processCpu(Long.toString(serverPid), null) : -1;
            long db = -1;
            if (dbProcessName != null) {
                db = 0;
                try (var dir = Files.newDirectoryStream(Path.of("/proc"), "[0-9]*")) {
                    for (Path p : dir) {
                        long c = processCpu(p.getFileName().toString(), dbProcessName);
                        if (c > 0) db += c;
                    }
                } catch (IOException e) {
                    db = -1;
                }
            }
            long client = ((com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean())
                    .getProcessCpuTime();
            long machine = -1;
            try {
                String[] f = Files.readAllLines(Path.of("/proc/stat")).get(0).trim().split("\\s+");
                long busy = 0;
                for (int i = 1; i < f.length && i <= 8; i++) {
                    if (i != 4 && i != 5) busy += Long.parseLong(f[i]); // all but idle and iowait
                }
                machine = busy * 1_000_000_000L / clkTck;
            } catch (Exception e) {
                machine = -1;
            }
            return new Cpu(System.nanoTime(), server, client, db, machine);
        }
    }

    // =====================================================================================
    // HTTP for the load loop
    // =====================================================================================

    interface Conn {
        /** Sends one request and reads the whole response; returns the status code. */
        int exchange(byte[] request) throws IOException;

        int bodyLength();

        String bodySnippet();

        void close();
    }

    /** Request bytes. The raw client sends them as they are; the JDK client parses them back. */
    static final class Request {
        static byte[] get(String path, String token) {
            return head("GET", path, token, 0).getBytes(StandardCharsets.ISO_8859_1);
        }

        static byte[] post(String method, String path, String token, byte[] body) {
            byte[] h = head(method, path, token, body.length).getBytes(StandardCharsets.ISO_8859_1);
            byte[] r = Arrays.copyOf(h, h.length + body.length);
            System.arraycopy(body, 0, r, h.length, body.length);
            return r;
        }

        static String head(String method, String path, String token, int bodyLen) {
            StringBuilder b = new StringBuilder(256);
            b.append(method).append(' ').append(path).append(" HTTP/1.1\r\n");
            b.append("Host: ").append(HOST).append(':').append(port).append("\r\n");
            b.append("Accept: application/json\r\n");
            b.append("User-Agent: keyhaven-loadbench\r\n");
            if (token != null) b.append("Authorization: Bearer ").append(token).append("\r\n");
            if (!method.equals("GET")) {
                b.append("Content-Type: application/json\r\n");
                b.append("Content-Length: ").append(bodyLen).append("\r\n");
            }
            b.append("\r\n");
            return b.toString();
        }
    }

    /**
     * A minimal blocking HTTP/1.1 client on one keep-alive socket: it writes prebuilt request
     * bytes and reads the status line, the headers and a Content-Length, chunked or
     * close-delimited body. Cheap on CPU, which matters when client and server share 2 cores.
     */
    static final class RawConn implements Conn {
        Socket socket;
        InputStream in;
        OutputStream out;
        final byte[] buf = new byte[64 * 1024];
        int pos, lim;
        byte[] body = new byte[64 * 1024];
        int bodyLen;
        boolean reused;

        void connect() throws IOException {
            Socket s = new Socket();
            try {
                s.setTcpNoDelay(true);
                s.setSoTimeout(30_000);
                s.connect(new InetSocketAddress(HOST, port), 10_000);
                in = s.getInputStream();
                out = s.getOutputStream();
            } catch (IOException e) {
                s.close();
                throw e;
            }
            socket = s;
            pos = lim = 0;
            reused = false;
        }

        @Override
        public int exchange(byte[] request) throws IOException {
            for (int attempt = 0; ; attempt++) {
                if (socket == null) connect();
                boolean wasReused = reused;
                try {
                    out.write(request);
                    out.flush();
                    reused = true;
                    return readResponse();
                } catch (StaleConnection e) {
                    // the server closed an idle keep-alive connection before reading our request: reconnect once
                    close();
                    if (!wasReused || attempt > 0) throw new IOException("connection closed by server");
                } catch (IOException e) {
                    close();
                    throw e;
                }
            }
        }

        static final class StaleConnection extends IOException {
            private static final long serialVersionUID = 1L;
        }

        int readResponse() throws IOException {
            if (!fill(true)) throw new StaleConnection();
            String statusLine = line();
            if (statusLine.length() < 12 || !statusLine.startsWith("HTTP/1.")) {
                throw new IOException("bad status line: " + statusLine);
            }
            int status = Integer.parseInt(statusLine.substring(9, 12));
            long contentLength = -1;
            boolean chunked = false;
            boolean close = statusLine.startsWith("HTTP/1.0");
            while (true) {
                String h = line();
                if (h.isEmpty()) break;
                int colon = h.indexOf(':');
                if (colon <= 0) continue;
                String name = h.substring(0, colon).trim();
                String value = h.substring(colon + 1).trim();
                if (name.equalsIgnoreCase("content-length")) {
                    contentLength = Long.parseLong(value);
                } else if (name.equalsIgnoreCase("transfer-encoding")) {
                    chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                } else if (name.equalsIgnoreCase("connection")) {
                    close = value.equalsIgnoreCase("close");
                }
            }
            bodyLen = 0;
            if (status == 204 || status == 304 || (status >= 100 && status < 200)) {
                // no body
            } else if (chunked) {
                while (true) {
                    String sizeLine = line();
                    int semi = sizeLine.indexOf(';');
                    int size = Integer.parseInt((semi >= 0 ? sizeLine.substring(0, semi) : sizeLine).trim(), 16);
                    if (size == 0) {
                        while (!line().isEmpty()) { /* trailers */ }
                        break;
                    }
                    readBody(size);
                    line();
                }
            } else if (contentLength >= 0) {
                readBody((int) contentLength);
            } else {
                close = true;
                while (fill(true)) {
                    readBody(lim - pos);
                }
            }
            if (close) close();
            return status;
        }

        void readBody(int n) throws IOException {
            if (bodyLen + n > body.length) body = Arrays.copyOf(body, Math.max(body.length * 2, bodyLen + n));
            while (n > 0) {
                if (pos == lim && !fill(false)) throw new IOException("connection closed mid-body");
                int k = Math.min(n, lim - pos);
                System.arraycopy(buf, pos, body, bodyLen, k);
                pos += k;
                bodyLen += k;
                n -= k;
            }
        }

        /** Makes sure there are unread bytes; false at end of stream. */
        boolean fill(boolean eofOk) throws IOException {
            if (pos < lim) return true;
            int k = in.read(buf, 0, buf.length);
            if (k < 0) {
                if (eofOk) return false;
                throw new IOException("connection closed");
            }
            pos = 0;
            lim = k;
            return true;
        }

        String line() throws IOException {
            StringBuilder sb = new StringBuilder(64);
            while (true) {
                if (pos == lim && !fill(false)) throw new IOException("connection closed mid-headers");
                byte c = buf[pos++];
                if (c == '\n') {
                    int len = sb.length();
                    if (len > 0 && sb.charAt(len - 1) == '\r') sb.setLength(len - 1);
                    return sb.toString();
                }
                if (sb.length() > 16 * 1024) throw new IOException("header line too long");
                sb.append((char) (c & 0xff));
            }
        }

        @Override
        public String bodySnippet() {
            return snippet(body, bodyLen);
        }

        @Override
        public int bodyLength() {
            return bodyLen;
        }

        @Override
        public void close() {
            if (socket != null) {
                try {
                    socket.close();
                } catch (IOException ignored) {
                    // closing
                }
            }
            socket = null;
        }
    }

    /** The same exchange through java.net.http (shared client, synchronous send per worker). */
    static final class JdkConn implements Conn {
        final HttpClient client;
        byte[] lastBody = new byte[0];

        JdkConn(HttpClient client) {
            this.client = client;
        }

        @Override
        public int exchange(byte[] raw) throws IOException {
            String text = new String(raw, StandardCharsets.ISO_8859_1);
            int headEnd = text.indexOf("\r\n\r\n");
            String[] lines = text.substring(0, headEnd).split("\r\n");
            String[] first = lines[0].split(" ");
            HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + first[1]))
                    .timeout(Duration.ofSeconds(30));
            for (int i = 1; i < lines.length; i++) {
                int c = lines[i].indexOf(':');
                String name = lines[i].substring(0, c);
                if (name.equalsIgnoreCase("host") || name.equalsIgnoreCase("content-length")) continue;
                b.header(name, lines[i].substring(c + 1).trim());
            }
            byte[] body = Arrays.copyOfRange(raw, headEnd + 4, raw.length);
            b.method(first[0], body.length == 0 && first[0].equals("GET")
                    ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofByteArray(body));
            try {
                HttpResponse<byte[]> r = client.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
                lastBody = r.body();
                return r.statusCode();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IOException("interrupted");
            }
        }

        @Override
        public String bodySnippet() {
            return snippet(lastBody, lastBody.length);
        }

        @Override
        public int bodyLength() {
            return lastBody.length;
        }

        @Override
        public void close() {
        }
    }

    static String snippet(byte[] b, int len) {
        String s = new String(b, 0, Math.min(len, 300), StandardCharsets.UTF_8).replace('\n', ' ');
        return len > 300 ? s + "..." : s;
    }

    // =====================================================================================
    // Setup HTTP (java.net.http) and JSON
    // =====================================================================================

    static HttpResponse<byte[]> send(String method, String path, String token, String json) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create("http://" + HOST + ":" + port + path))
                .timeout(Duration.ofSeconds(30)).header("Accept", "application/json");
        if (token != null) b.header("Authorization", "Bearer " + token);
        if (json != null) {
            b.header("Content-Type", "application/json");
            b.method(method, HttpRequest.BodyPublishers.ofString(json));
        } else {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        }
        return setupClient.send(b.build(), HttpResponse.BodyHandlers.ofByteArray());
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> call(String method, String path, String token, Map<String, Object> body) throws Exception {
        HttpResponse<byte[]> r = send(method, path, token, body == null ? null : new String(Json.write(body), StandardCharsets.UTF_8));
        String text = new String(r.body(), StandardCharsets.UTF_8);
        if (r.statusCode() < 200 || r.statusCode() > 299) {
            throw new IllegalStateException(method + " " + path.replaceAll("\\?.*", "") + " -> HTTP " + r.statusCode()
                    + ": " + snippet(r.body(), r.body().length));
        }
        Object parsed = Json.parse(text);
        if (!(parsed instanceof Map)) throw new IllegalStateException(method + " " + path + ": not a JSON object");
        return (Map<String, Object>) parsed;
    }

    @SuppressWarnings("unchecked")
    static String str(Map<String, Object> m, String dotted) {
        Object cur = m;
        for (String part : dotted.split("\\.")) {
            if (!(cur instanceof Map)) throw new IllegalStateException("response has no " + dotted);
            cur = ((Map<String, Object>) cur).get(part);
        }
        if (cur == null) throw new IllegalStateException("response has no " + dotted);
        return String.valueOf(cur);
    }

    static Map<String, Object> obj(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) m.put((String) kv[i], kv[i + 1]);
        return m;
    }

    static final java.security.SecureRandom RANDOM = new java.security.SecureRandom();

    static String randomHex(int n) {
        StringBuilder sb = new StringBuilder();
        while (sb.length() < n) sb.append(Integer.toHexString(RANDOM.nextInt(16)));
        return sb.toString();
    }

    /** A small JSON reader/writer (objects, arrays, strings, numbers, booleans, null). */
    static final class Json {
        final String s;
        int i;

        Json(String s) {
            this.s = s;
        }

        static Object parse(String s) {
            Json j = new Json(s);
            j.ws();
            Object v = j.value();
            j.ws();
            if (j.i != s.length()) throw new IllegalStateException("trailing data in JSON");
            return v;
        }

        void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        Object value() {
            char c = s.charAt(i);
            switch (c) {
                case '{': {
                    i++;
                    Map<String, Object> m = new LinkedHashMap<>();
                    ws();
                    if (s.charAt(i) == '}') { i++; return m; }
                    while (true) {
                        ws();
                        String k = string();
                        ws();
                        expect(':');
                        ws();
                        m.put(k, value());
                        ws();
                        if (s.charAt(i) == ',') { i++; continue; }
                        expect('}');
                        return m;
                    }
                }
                case '[': {
                    i++;
                    List<Object> l = new ArrayList<>();
                    ws();
                    if (s.charAt(i) == ']') { i++; return l; }
                    while (true) {
                        ws();
                        l.add(value());
                        ws();
                        if (s.charAt(i) == ',') { i++; continue; }
                        expect(']');
                        return l;
                    }
                }
                case '"':
                    return string();
                case 't': i += 4; return Boolean.TRUE;
                case 'f': i += 5; return Boolean.FALSE;
                case 'n': i += 4; return null;
                default: {
                    int st = i;
                    while (i < s.length() && "+-0123456789.eE".indexOf(s.charAt(i)) >= 0) i++;
                    if (st == i) throw new IllegalStateException("bad JSON at " + i);
                    return Double.parseDouble(s.substring(st, i));
                }
            }
        }

        void expect(char c) {
            if (s.charAt(i) != c) throw new IllegalStateException("expected '" + c + "' at " + i);
            i++;
        }

        String string() {
            expect('"');
            StringBuilder b = new StringBuilder();
            while (true) {
                char c = s.charAt(i++);
                if (c == '"') return b.toString();
                if (c == '\\') {
                    char e = s.charAt(i++);
                    switch (e) {
                        case 'n' -> b.append('\n');
                        case 't' -> b.append('\t');
                        case 'r' -> b.append('\r');
                        case 'b' -> b.append('\b');
                        case 'f' -> b.append('\f');
                        case 'u' -> { b.append((char) Integer.parseInt(s.substring(i, i + 4), 16)); i += 4; }
                        default -> b.append(e);
                    }
                } else {
                    b.append(c);
                }
            }
        }

        static byte[] write(Object v) {
            StringBuilder b = new StringBuilder();
            write(b, v);
            return b.toString().getBytes(StandardCharsets.UTF_8);
        }

        @SuppressWarnings("unchecked")
        static void write(StringBuilder b, Object v) {
            if (v == null) {
                b.append("null");
            } else if (v instanceof Map) {
                b.append('{');
                boolean first = true;
                for (Map.Entry<String, Object> e : ((Map<String, Object>) v).entrySet()) {
                    if (!first) b.append(',');
                    first = false;
                    writeString(b, e.getKey());
                    b.append(':');
                    write(b, e.getValue());
                }
                b.append('}');
            } else if (v instanceof List) {
                b.append('[');
                boolean first = true;
                for (Object o : (List<Object>) v) {
                    if (!first) b.append(',');
                    first = false;
                    write(b, o);
                }
                b.append(']');
            } else if (v instanceof Number || v instanceof Boolean) {
                b.append(v);
            } else {
                writeString(b, v.toString());
            }
        }

        static void writeString(StringBuilder b, String s) {
            b.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                switch (c) {
                    case '"' -> b.append("\\\"");
                    case '\\' -> b.append("\\\\");
                    case '\n' -> b.append("\\n");
                    case '\r' -> b.append("\\r");
                    case '\t' -> b.append("\\t");
                    default -> {
                        if (c < 0x20) b.append(String.format("\\u%04x", (int) c));
                        else b.append(c);
                    }
                }
            }
            b.append('"');
        }
    }

    // =====================================================================================
    // Output
    // =====================================================================================

    static final String GOALS = "goals (issue #2, 2-core machine): secrets read >= 0.5 x baseline req/s and p99 < 20 ms at 16 clients;"
            + " >= 1000 logins/s; >= 500 writes/s";

    static void printTable(List<Row> rows, Map<String, Object> notes) {
        StringBuilder o = new StringBuilder();
        o.append('\n');
        o.append(String.format(Locale.ROOT, "=== Keyhaven load benchmark: %s | %.0f s per step after %.0f s warm-up | client: %s"
                + " | %d CPUs shared by client and server ===%n", label, durationS, warmupS,
                httpMode.equals("raw") ? "raw HTTP/1.1 keep-alive" : "java.net.http", Runtime.getRuntime().availableProcessors()));
        o.append(String.format(Locale.ROOT, "%-44s %4s %9s %9s %8s %8s %8s %8s %7s %6s %6s %6s %6s%n",
                "step", "cli", "requests", "req/s", "p50 ms", "p90 ms", "p99 ms", "max ms", "errors", "srvCPU", "dbCPU",
                "cliCPU", "othCPU"));
        double worstOther = 0;
        for (Row r : rows) {
            o.append(String.format(Locale.ROOT, "%-44s %4d %9d %9.0f %8.2f %8.2f %8.2f %8.1f %7d %6s %6s %6s %6s%n",
                    r.name, r.clients, r.ok, r.rps, r.p50, r.p90, r.p99, r.max, r.errors, cores(r.serverCores),
                    cores(r.dbCores), cores(r.clientCores), cores(r.otherCores)));
            if (!Double.isNaN(r.otherCores)) worstOther = Math.max(worstOther, r.otherCores);
        }
        for (Row r : rows) {
            if (r.kind.equals("read")) {
                o.append(String.format(Locale.ROOT, "secrets/baseline throughput ratio: %.2f  (goal >= 0.50: %s);"
                                + " secrets p99 %.2f ms (goal < 20 ms: %s)%n",
                        r.ratio, r.ratio >= 0.5 ? "met" : "NOT met", r.p99, r.p99 < 20 ? "met" : "NOT met"));
            } else if (r.kind.equals("rules")) {
                o.append(String.format(Locale.ROOT, "1,000 rules/viewer throughput ratio: %.2f  (goal >= 0.90, i.e. at most 10 %%"
                        + " slower: %s)%n", r.ratio, r.ratio >= 0.9 ? "met" : "NOT met"));
            } else if (r.kind.startsWith("single-") && !r.kind.contains("baseline")
                    || r.kind.startsWith("render-") && !r.kind.contains("baseline")) {
                boolean single = r.kind.startsWith("single-");
                boolean postgres = label.startsWith("postgres");
                double goal = single ? (postgres ? 0.25 : 0.35) : 0.5;
                double p99Goal = single ? 10 : 20;
                o.append(String.format(Locale.ROOT, "%s: ratio to its baseline %.2f (issue #20 goal >= %.2f on %s: %s);"
                                + " p99 %.2f ms (goal < %.0f ms: %s)%n", r.name.trim(), r.ratio, goal,
                        postgres ? "PostgreSQL" : "SQLite", r.ratio >= goal ? "met" : "NOT met", r.p99, p99Goal, r.p99 < p99Goal ? "met" : "NOT met"));
            } else if (r.kind.equals("login")) {
                o.append(String.format(Locale.ROOT, "logins: %.0f/s (goal >= 1000/s: %s)%n", r.rps, r.rps >= 1000 ? "met" : "NOT met"));
            } else if (r.kind.equals("write")) {
                o.append(String.format(Locale.ROOT, "writes: %.0f/s (goal >= 500/s: %s)%n", r.rps, r.rps >= 500 ? "met" : "NOT met"));
            }
        }
        long errors = 0;
        for (Row r : rows) {
            errors += r.errors;
            if (r.errors > 0) {
                o.append(String.format("ERRORS in %s: %s%n", r.name, r.errorCounts));
                for (String smp : r.errorSamples) o.append("    e.g. ").append(smp).append('\n');
            }
        }
        o.append(errors == 0 ? "every response was 2xx (0 errors)\n" : "THERE WERE ERRORS: the figures above are not valid\n");
        o.append("srvCPU/dbCPU/cliCPU/othCPU: cores used by the Keyhaven server / the database processes (PostgreSQL;"
                + " SQLite runs inside the server) / this load generator / everything else, during the measured window.\n");
        if (worstOther > 0.25) {
            o.append(String.format(Locale.ROOT, "WARNING: other processes used up to %.2f cores during the run: the figures are"
                    + " disturbed; rerun on a quiet machine.%n", worstOther));
        }
        System.out.print(o);
        System.out.flush();
    }

    static String cores(double c) {
        return Double.isNaN(c) ? "-" : String.format(Locale.ROOT, "%.2f", c);
    }

    static void appendResults(List<Row> rows) throws IOException {
        StringBuilder b = new StringBuilder();
        for (Row r : rows) {
            b.append(String.join("\t", label, r.kind, r.name, Integer.toString(r.clients), Long.toString(r.ok),
                    fmt(r.rps), fmt(r.p50), fmt(r.p99), Long.toString(r.errors), fmt(r.ratio), fmt(r.serverCores),
                    fmt(r.clientCores), fmt(r.otherCores), fmt(r.dbCores))).append('\n');
        }
        Files.writeString(Path.of(resultsFile), b, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }

    static String fmt(double d) {
        return String.format(Locale.ROOT, "%.3f", d);
    }

    /** Prints one comparison table for every run recorded in a results file. */
    static void summary(String[] args) throws IOException {
        if (args.length != 1) {
            usage();
            System.exit(64);
        }
        Path file = Path.of(args[0]);
        if (!Files.exists(file)) {
            System.out.println("no results recorded");
            return;
        }
        Map<String, Map<String, String[]>> byLabel = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file)) {
            if (line.isBlank()) continue;
            String[] f = line.split("\t");
            byLabel.computeIfAbsent(f[0], k -> new LinkedHashMap<>()).put(f[1], f);
        }
        System.out.println();
        System.out.println("=== Summary ===");
        System.out.printf(Locale.ROOT, "%-10s %-26s %4s %9s %8s %8s %7s %10s %9s %6s  %s%n", "database", "step", "cli", "req/s",
                "p50 ms", "p99 ms", "errors", "srv us/req", "db us/req", "othCPU", "note");
        for (Map.Entry<String, Map<String, String[]>> e : byLabel.entrySet()) {
            List<String> kinds = new ArrayList<>(List.of("baseline", "read", "viewer", "rules", "login", "write"));
            for (String k : e.getValue().keySet()) {
                if (!kinds.contains(k)) kinds.add(k);
            }
            for (String kind : kinds) {
                String[] f = e.getValue().get(kind);
                if (f == null) continue;
                String note = kind.contains("-baseline-") ? "its baseline: constant JSON, same size" : switch (kind) {
                    case "read" -> String.format(Locale.ROOT, "ratio to baseline %.2f", Double.parseDouble(f[9]));
                    case "baseline" -> "no DB, no crypto, same size";
                    case "viewer" -> "secrets read as built-in viewer";
                    case "rules" -> String.format(Locale.ROOT, "1,000 rules; ratio to viewer %.2f", Double.parseDouble(f[9]));
                    case "login" -> "UA login: token row + audit row";
                    case "write" -> "PATCH one secret + audit row";
                    default -> String.format(Locale.ROOT, "%s; ratio to its baseline %.2f", f[2].trim(),
                            Double.parseDouble(f[9]));
                };
                double rps = Double.parseDouble(f[5]);
                double srv = f.length > 10 ? Double.parseDouble(f[10]) : Double.NaN;
                double other = f.length > 12 ? Double.parseDouble(f[12]) : Double.NaN;
                double db = f.length > 13 ? Double.parseDouble(f[13]) : Double.NaN;
                String perReq = Double.isNaN(srv) || rps <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", srv * 1e6 / rps);
                String dbPerReq = Double.isNaN(db) || rps <= 0 ? "-" : String.format(Locale.ROOT, "%.0f", db * 1e6 / rps);
                System.out.printf(Locale.ROOT, "%-10s %-26s %4s %9.0f %8.2f %8.2f %7s %10s %9s %6s  %s%n", e.getKey(),
                        kind.equals("read") ? "secrets" : kind, f[3], rps, Double.parseDouble(f[6]),
                        Double.parseDouble(f[7]), f[8], perReq, dbPerReq, cores(other), note);
            }
        }
        System.out.println("srv/db us/req: CPU time of the Keyhaven server / of PostgreSQL per request (microseconds);"
                + " othCPU: cores used by other processes (should be ~0).");
        System.out.println(GOALS);
    }
}
