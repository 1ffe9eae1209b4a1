package dev.keyhaven.server.support;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpHeaders;
import tools.jackson.databind.JsonNode;

/** A response as tests look at it: status, JSON body (or null when empty) and headers. */
public record Res(int status, JsonNode body, String raw, HttpHeaders headers) {
    public JsonNode json(String field) {
        return body.get(field);
    }

    /** Asserts the answer is a 200 (the message shows the whole answer) and returns it. */
    public static Res ok(Res res) {
        assertThat(res.status()).as(res.toString()).isEqualTo(200);
        return res;
    }

    public String header(String name) {
        return headers.firstValue(name).orElse(null);
    }

    @Override
    public String toString() {
        return status + " " + raw;
    }
}
