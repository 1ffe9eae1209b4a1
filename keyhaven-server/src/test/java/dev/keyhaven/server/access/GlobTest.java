package dev.keyhaven.server.access;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Path globs mean what picomatch (and so Infisical) means. */
class GlobTest {

    @ParameterizedTest
    @CsvSource({
        "/a/**, /a, true",
        "/a/**, /a/b, true",
        "/a/**, /a/b/c, true",
        "/a/**, /ab, false",
        "/a/**, /b, false",
        "/a/*, /a/b, true",
        "/a/*, /a/b/c, false",
        "/a/*, /a, false",
        "/*, /, false",
        "/*, /x, true",
        "/a/*, /a/, false",
        "/**, /, true",
        "/**, /x/y, true",
        "/**/db, /db, true",
        "/**/db, /a/b/db, true",
        "/**/db, /a/b/dbx, false",
        "/svc-?, /svc-1, true",
        "/svc-?, /svc-12, false",
        "'/{api,web}/*', /web/x, true",
        "'/{api,web}/*', /cli/x, false",
        "DB_*, DB_PASSWORD, true",
        "DB_*, APP_DB, false",
        "/a.b, /a.b, true",
        "/a.b, /aXb, false",
        "/[ab]x, /bx, true",
        "/[!ab]x, /cx, true",
        "/[!ab]x, /ax, false",
        "/a/**/**, /a, true",
        "/a/**/**, /a/b/c, true",
        "/**/**/db, /db, true",
        "/a/**/**b, /a/x/b, true",
        "/a/**/**b, /a, false",
    })
    void matchesLikePicomatch(String glob, String value, boolean expected) {
        assertThat(Glob.matches(glob, value)).as(glob + " ~ " + value).isEqualTo(expected);
        assertThat(Glob.matcher(glob).test(value))
                .as("fast path: " + glob + " ~ " + value)
                .isEqualTo(expected);
    }

    @Test
    void fastPathsAgreeWithTheRegexOnManyPaths() {
        java.util.SplittableRandom random = new java.util.SplittableRandom(3);
        String[] segments = {"a", "ab", "b", "team-1", "team-12", "KEY_1", "KEY_12"};
        String[] globs = {"/a/**", "/**", "/team-1/**", "/a", "/a/b", "KEY_1*", "/team-1*", "/a/**/b"};
        for (int i = 0; i < 20_000; i++) {
            StringBuilder path = new StringBuilder();
            int depth = random.nextInt(4);
            for (int d = 0; d < depth; d++) {
                path.append('/').append(segments[random.nextInt(segments.length)]);
            }
            String value = random.nextInt(5) == 0
                    ? segments[random.nextInt(segments.length)]
                    : (path.length() == 0 ? "/" : path.toString());
            for (String glob : globs) {
                assertThat(Glob.matcher(glob).test(value))
                        .as(glob + " ~ " + value)
                        .isEqualTo(Glob.matches(glob, value));
            }
        }
    }

    @Test
    void malformedGlobsAreRejected() {
        assertThatThrownBy(() -> Glob.compile("/a/{b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.compile("/a/[b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Glob.compile("/a/b}")).isInstanceOf(IllegalArgumentException.class);
    }
}
