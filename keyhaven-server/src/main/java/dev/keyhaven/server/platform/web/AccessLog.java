package dev.keyhaven.server.platform.web;

import jakarta.servlet.http.HttpServletRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.web.servlet.HandlerMapping;

/**
 * One line per request on the logger {@code keyhaven.access}:
 * {@code method=GET route=/api/v3/secrets/raw/{secretName} status=200 durationMs=4 reqId=req-… actor=identity:…}.
 * The route is the matched template, never the path with its values; query strings, headers and
 * bodies are never logged. A request that matched no API route logs the catch-all {@code route=/**}
 * (or {@code route=-} when refused before routing), and one without an authenticated caller
 * {@code actor=-}. {@code logging.level.keyhaven.access=OFF} turns it off,
 * and then it costs a level check.
 */
public final class AccessLog {
    /**
     * The request attribute holding the authenticated caller; its {@code toString()} is
     * {@code type:id} (for example {@code identity:5f0c…}) and nothing else.
     */
    public static final String ACTOR_ATTRIBUTE = "keyhaven.actor";

    private static final Logger log = LoggerFactory.getLogger("keyhaven.access");

    private AccessLog() {}

    static boolean enabled() {
        return log.isInfoEnabled();
    }

    static void write(HttpServletRequest request, int status, long startNanos, String reqId) {
        Object route = request.getAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE);
        Object actor = request.getAttribute(ACTOR_ATTRIBUTE);
        log.info(
                "method={} route={} status={} durationMs={} reqId={} actor={}",
                request.getMethod(),
                route == null ? "-" : route,
                status,
                (System.nanoTime() - startNanos) / 1_000_000,
                reqId,
                actor == null ? "-" : actor);
    }
}
