package dev.keyhaven.server.auditstream;

import dev.keyhaven.server.outbox.DeliveryFailure;
import dev.keyhaven.server.outbox.OutboxDestination;
import dev.keyhaven.server.outbox.OutboxItem;
import dev.keyhaven.server.platform.outbound.OutboundHttp;
import java.nio.charset.StandardCharsets;
import java.util.AbstractMap.SimpleEntry;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.springframework.stereotype.Component;

/**
 * Delivers a custom stream's events: each item is one event, POSTed as JSON to the stream's URL
 * with its headers, through {@link OutboundHttp} (the allow-list is checked again on every
 * delivery, since a name can come to resolve elsewhere). A 2xx answer is delivered; anything else
 * is retried with the outbox's backoff, the stream's later events waiting behind it. An item of a
 * stream deleted since is dropped.
 */
@Component
class HttpStreamDestination implements OutboxDestination {
    private final StreamTargets streams;
    private final OutboundHttp outbound;

    HttpStreamDestination(StreamTargets streams, OutboundHttp outbound) {
        this.streams = streams;
        this.outbound = outbound;
    }

    @Override
    public String name() {
        return StreamProvider.CUSTOM.destination();
    }

    @Override
    public boolean ordered() {
        return true;
    }

    @Override
    public void deliver(OutboxItem item) throws DeliveryFailure {
        Optional<StreamTargets.HttpTarget> target = streams.http(item.target());
        if (target.isEmpty()) {
            return;
        }
        List<Map.Entry<String, String>> headers = new ArrayList<>();
        headers.add(new SimpleEntry<>("Content-Type", "application/json"));
        target.get().headers().forEach(h -> headers.add(new SimpleEntry<>(h.key(), h.value())));
        OutboundHttp.Response res;
        try {
            res = outbound.post(target.get().url(), headers, item.payload().getBytes(StandardCharsets.UTF_8), null);
        } catch (OutboundHttp.OutboundException e) {
            throw new DeliveryFailure(e.getMessage(), false, null);
        }
        if (res.status() < 200 || res.status() > 299) {
            throw new DeliveryFailure("the receiver answered " + res.status(), false, null);
        }
    }
}
