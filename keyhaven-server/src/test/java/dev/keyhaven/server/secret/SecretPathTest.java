package dev.keyhaven.server.secret;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.server.platform.web.ValidationException;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

/** Paths are normalised, and traversal in any spelling is refused. */
class SecretPathTest {

    @ParameterizedTest
    @CsvSource(
            value = {"NULL|/", "''|/", "/|/", "/a/|/a", "/a/b///|/a/b", " /a |/a", "a/b|/a/b", "/A_b-1|/A_b-1"},
            delimiter = '|',
            nullValues = "NULL")
    void normalises(String raw, String expected) {
        assertThat(SecretPath.normalize("secretPath", raw)).isEqualTo(expected);
    }

    @ParameterizedTest
    @ValueSource(
            strings = {"/..", "/a/../b", "/./a", "//a", "/a//b", "/%2e%2e", "/a\u0000", "/a\nb", "/a\\b", "/a b", "/ä"})
    void refusesTraversalAndOddCharacters(String raw) {
        assertThatThrownBy(() -> SecretPath.normalize("secretPath", raw)).isInstanceOf(ValidationException.class);
    }
}
