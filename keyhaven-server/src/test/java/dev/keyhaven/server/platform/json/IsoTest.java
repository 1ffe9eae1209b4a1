package dev.keyhaven.server.platform.json;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The hand-written formatter agrees with java.time on every instant it is given. */
class IsoTest {
    private static final DateTimeFormatter REFERENCE =
            DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'").withZone(ZoneOffset.UTC);

    @Test
    void agreesWithJavaTimeFrom1970To2400() {
        SplittableRandom random = new SplittableRandom(42);
        long max = Instant.parse("2400-01-01T00:00:00Z").toEpochMilli();
        for (int i = 0; i < 200_000; i++) {
            long ms = random.nextLong(0, max);
            assertThat(Iso.of(ms)).isEqualTo(REFERENCE.format(Instant.ofEpochMilli(ms)));
        }
    }

    @Test
    void handlesTheEdges() {
        assertThat(Iso.of(0)).isEqualTo("1970-01-01T00:00:00.000Z");
        assertThat(Iso.of(Instant.parse("2000-02-29T23:59:59.999Z").toEpochMilli()))
                .isEqualTo("2000-02-29T23:59:59.999Z");
        assertThat(Iso.of(-1)).isEqualTo("1969-12-31T23:59:59.999Z");
        assertThat(Iso.ofNullable(null)).isNull();
    }
}
