package dev.keyhaven.server.platform.bench;

import dev.keyhaven.server.platform.web.PublicEndpoint;
import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * The benchmark's baseline: a constant JSON document of about the requested size, built once,
 * with no database and no cryptography behind it, served through the same filters and JSON
 * writer as the real API. Registered only when {@code KEYHAVEN_BENCH_ENDPOINTS=true}.
 */
@RestController
@ConditionalOnProperty(name = "keyhaven.bench-endpoints", havingValue = "true")
public class BaselineController {
    private static final int MAX_BYTES = 4 * 1024 * 1024;
    private final Map<Integer, Map<String, Object>> documents = new ConcurrentHashMap<>();

    @GetMapping("/api/bench/baseline")
    @PublicEndpoint("benchmark baseline, only present when KEYHAVEN_BENCH_ENDPOINTS=true")
    public Map<String, Object> baseline(@RequestParam(defaultValue = "16384") int bytes) {
        if (bytes < 1 || bytes > MAX_BYTES) {
            throw ValidationException.field("bytes", "Number must be between 1 and " + MAX_BYTES);
        }
        return documents.computeIfAbsent(bytes, BaselineController::document);
    }

    private static Map<String, Object> document(int bytes) {
        List<Map<String, Object>> items = new ArrayList<>();
        int size = 16;
        int i = 0;
        while (size < bytes) {
            Map<String, Object> item = new LinkedHashMap<>();
            item.put("id", String.format("00000000-0000-4000-8000-%012d", i));
            item.put("secretKey", "BASELINE_KEY_" + i);
            item.put("secretValue", "constant-value-" + i);
            item.put("version", 1);
            items.add(item);
            size += 120;
            i++;
        }
        return Map.of("secrets", items);
    }
}
