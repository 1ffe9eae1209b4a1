package dev.keyhaven.cli.agent;

import dev.keyhaven.cli.agent.AgentConfig.TemplateConfig;
import dev.keyhaven.cli.agent.Template.SecretRef;
import dev.keyhaven.client.KeyhavenClient;
import dev.keyhaven.client.KeyhavenException;
import dev.keyhaven.client.SecretList;
import dev.keyhaven.client.SecretQuery;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.StringJoiner;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;

/**
 * The agent: polls the folders its templates name (with the ETag of the last answer, so an
 * unchanged folder costs a 304), renders a template again when a value it uses changed, replaces
 * the file atomically and runs the template's command. When the server cannot be reached it
 * leaves the files as they are and retries with exponential backoff. It logs file names and
 * secret keys, never values.
 */
public final class Agent {
    /** What one round did: whether a fetch failed ({@code problem} says why) and whether every file is rendered. */
    public record Round(boolean fetchFailed, boolean allRendered, String problem) {
        public boolean ok() {
            return !fetchFailed && allRendered;
        }
    }

    /** A folder some template reads. */
    private record SourceKey(String projectId, String environment, String path) {
        @Override
        public String toString() {
            return environment + ":" + path;
        }
    }

    /** A folder's last answer: its ETag and its merged values (null until the first answer). */
    private static final class Source {
        final SecretQuery query;
        String etag;
        Map<String, String> values;

        Source(SourceKey key) {
            query = new SecretQuery(key.projectId(), key.environment(), key.path(), true, true, false);
        }
    }

    /** A template and the values of its last rendering (null until rendered). */
    private static final class Target {
        final TemplateConfig config;
        final List<SourceKey> sources = new ArrayList<>();
        Map<SecretRef, String> rendered;
        boolean dirty = true;

        Target(TemplateConfig config) {
            this.config = config;
        }
    }

    private final AgentConfig config;
    private final AgentLog log;
    private final KeyhavenClient anonymous;
    private final TokenKeeper tokens;
    private final Map<SourceKey, Source> sources = new LinkedHashMap<>();
    private final List<Target> targets = new ArrayList<>();
    private final CountDownLatch stopRequested = new CountDownLatch(1);
    private final CountDownLatch finished = new CountDownLatch(1);

    public Agent(AgentConfig config, AgentLog log) {
        this.config = config;
        this.log = log;
        this.anonymous = new KeyhavenClient(config.url(), null);
        this.tokens = new TokenKeeper(config.auth(), anonymous, log, config.pollInterval(), System::currentTimeMillis);
        for (TemplateConfig tc : config.templates()) {
            Target t = new Target(tc);
            for (SecretRef ref : tc.template().refs()) {
                SourceKey key = new SourceKey(tc.projectId(), ref.environment(), ref.path());
                sources.computeIfAbsent(key, Source::new);
                if (!t.sources.contains(key)) {
                    t.sources.add(key);
                }
            }
            targets.add(t);
        }
    }

    /** Runs rounds until {@link #stop()}: every poll interval, or with backoff while fetches fail. */
    public void run() {
        log.info("Keyhaven agent started: " + targets.size() + " template(s) from " + sources.size() + " folder(s) of "
                + config.url() + ", checking every " + Durations.format(config.pollInterval()) + ".");
        try {
            int failures = 0;
            while (stopRequested.getCount() > 0) {
                Round round = round();
                if (stopRequested.getCount() == 0) {
                    break;
                }
                long waitMs;
                if (round.fetchFailed()) {
                    failures++;
                    waitMs = backoffMs(failures);
                    log.warn(round.problem() + "; the rendered files stay as they are; next try in "
                            + Durations.format(Duration.ofMillis(waitMs)) + ".");
                } else {
                    if (failures > 0) {
                        log.info("The server answers again.");
                    }
                    failures = 0;
                    waitMs = config.pollInterval().toMillis();
                }
                if (stopRequested.await(waitMs, TimeUnit.MILLISECONDS)) {
                    break;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } finally {
            log.info("Keyhaven agent stopped.");
            finished.countDown();
        }
    }

    /** Asks {@link #run()} to return after the current step (a file write or a command is finished first). */
    public void stop() {
        stopRequested.countDown();
    }

    public boolean awaitFinished(Duration timeout) throws InterruptedException {
        return finished.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
    }

    /** One round: fetch every folder that may have changed, then render the templates whose values changed. */
    public Round round() {
        String problem = null;
        for (Map.Entry<SourceKey, Source> e : sources.entrySet()) {
            if (stopRequested.getCount() == 0) {
                return new Round(true, false, "stopping");
            }
            try {
                if (fetch(e.getValue())) {
                    for (Target t : targets) {
                        t.dirty |= t.sources.contains(e.getKey());
                    }
                }
            } catch (KeyhavenException.Unreachable | TokenKeeper.LoginFailedException | AgentConfigException ex) {
                problem = ex.getMessage(); // the same for every folder: do not ask again this round
                break;
            } catch (KeyhavenException ex) {
                problem = "Cannot read " + e.getKey() + ": " + describe(ex);
            }
        }
        boolean allRendered = true;
        for (Target t : targets) {
            if (stopRequested.getCount() == 0) {
                return new Round(problem != null, false, problem);
            }
            if (t.sources.stream().anyMatch(k -> sources.get(k).values == null)) {
                allRendered = false; // never fetched: nothing to render yet
                continue;
            }
            if (t.dirty) {
                render(t);
            }
            allRendered &= t.rendered != null;
        }
        return new Round(problem != null, allRendered, problem);
    }

    /** Fetches one folder with its ETag; true when its values changed. */
    private boolean fetch(Source s) {
        SecretList list;
        try {
            list = anonymous.withToken(tokens.token()).listSecrets(s.query, s.etag);
        } catch (KeyhavenException.Unauthenticated e) {
            tokens.rejected(e.getMessage()); // revoked, expired early or use limit reached: one more try
            list = anonymous.withToken(tokens.token()).listSecrets(s.query, s.etag);
        }
        if (list == null) {
            return false; // 304 Not Modified
        }
        s.etag = list.etag();
        Map<String, String> values = list.merged();
        if (values.equals(s.values)) {
            return false;
        }
        s.values = values;
        return true;
    }

    private void render(Target t) {
        TemplateConfig tc = t.config;
        Map<SecretRef, String> used = new HashMap<>();
        String content;
        try {
            content = tc.template().render(ref -> {
                String v = sources.get(new SourceKey(tc.projectId(), ref.environment(), ref.path()))
                        .values
                        .get(ref.key());
                if (v != null) {
                    used.put(ref, v);
                }
                return v;
            });
        } catch (Template.MissingSecretException e) {
            log.error("Cannot render " + tc.destination() + ": " + e.getMessage() + "; the file stays as it is.");
            t.dirty = false; // rendered again when one of its folders changes
            return;
        }
        byte[] bytes = content.getBytes(StandardCharsets.UTF_8);
        Path dest = tc.destination();
        try {
            if (AtomicFile.upToDate(dest, bytes, tc.mode())) {
                if (t.rendered == null) {
                    log.info(dest + " is up to date ("
                            + t.config.template().refs().size() + " secret(s)).");
                }
                t.rendered = used;
                t.dirty = false;
                return;
            }
            AtomicFile.write(dest, bytes, tc.mode());
        } catch (IOException | RuntimeException e) {
            log.error("Cannot write " + dest + " (" + e.getClass().getSimpleName() + ": " + e.getMessage()
                    + "); the old file stays as it is; trying again next round.");
            return;
        }
        if (t.rendered == null) {
            log.info("Rendered " + dest + " (mode " + AgentConfig.octal(tc.mode()) + ") with " + keys(used.keySet())
                    + ".");
        } else {
            List<SecretRef> changed = new ArrayList<>();
            for (SecretRef ref : used.keySet()) {
                if (!Objects.equals(used.get(ref), t.rendered.get(ref))) {
                    changed.add(ref);
                }
            }
            log.info("Rendered " + dest + " again; changed: " + keys(changed) + ".");
        }
        t.rendered = used;
        t.dirty = false;
        if (tc.command() != null) {
            tc.command().run(dest, log);
        }
    }

    private static String keys(Iterable<SecretRef> refs) {
        StringJoiner j = new StringJoiner(", ");
        List<String> sorted = new ArrayList<>();
        refs.forEach(r -> sorted.add(r.toString()));
        sorted.sort(null);
        sorted.forEach(j::add);
        return j.length() == 0 ? "no secrets" : j.toString();
    }

    /** The poll interval doubled per failure, up to the max retry interval, with ±20 % jitter. */
    private long backoffMs(int failures) {
        long base = config.pollInterval().toMillis();
        long max = config.maxRetryInterval().toMillis();
        long d = failures >= 30 ? max : Math.min(max, base << Math.max(0, failures - 1));
        return Math.max(
                AgentConfig.MIN_INTERVAL.toMillis(),
                Math.round(d * (0.8 + 0.4 * ThreadLocalRandom.current().nextDouble())));
    }

    private static String describe(KeyhavenException e) {
        if (e instanceof KeyhavenException.PermissionDenied) {
            return "permission denied (" + e.getMessage() + ")";
        }
        if (e instanceof KeyhavenException.NotFound) {
            return "not found (" + e.getMessage() + ")";
        }
        return "the server answered " + e.status() + " (" + e.getMessage() + ")";
    }
}
