package dev.keyhaven.cli.agent;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.keyhaven.cli.agent.Template.SecretRef;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The template language: the secret tag, filters, the literal escape, and errors with line and column. */
class TemplateTest {
    private static final Map<SecretRef, String> VALUES = Map.of(
            new SecretRef("prod", "/api", "DB_PASSWORD"), "pa\"ss\\w{{rd}}",
            new SecretRef("prod", "/", "USER"), "app");

    private static String render(String text) {
        return Template.parse(text, "t.tpl").render(VALUES::get);
    }

    @Test
    void aSecretTagIsReplacedByTheValueAndTheRestIsCopied() {
        assertThat(
                        render(
                                "user={{ secret \"prod\" \"/\" \"USER\" }}\npass={{secret \"prod\" \"/api\" \"DB_PASSWORD\"}}\n"))
                .isEqualTo("user=app\npass=pa\"ss\\w{{rd}}\n");
    }

    @Test
    void pathsAreNormalisedLikeTheCliPathOption() {
        Template t = Template.parse("{{ secret \"prod\" \"api/\" \"DB_PASSWORD\" }}", "t.tpl");
        assertThat(t.refs()).containsExactly(new SecretRef("prod", "/api", "DB_PASSWORD"));
    }

    @Test
    void valuesFromTheServerAreNeverParsedAsTemplates() {
        assertThat(render("{{ secret \"prod\" \"/api\" \"DB_PASSWORD\" }}")).isEqualTo("pa\"ss\\w{{rd}}");
    }

    @Test
    void filtersQuoteForJsonAndEncodeBase64() {
        assertThat(render("{\"p\": {{ secret \"prod\" \"/api\" \"DB_PASSWORD\" | json }}}"))
                .isEqualTo("{\"p\": \"pa\\\"ss\\\\w{{rd}}\"}");
        assertThat(render("{{ secret \"prod\" \"/\" \"USER\" | base64 }}")).isEqualTo("YXBw");
        assertThat(render("{{ secret \"prod\" \"/\" \"USER\" | base64 | json }}"))
                .isEqualTo("\"YXBw\"");
    }

    @Test
    void aStringLiteralWritesDoubleBracesAndClosingBracesNeedNoEscape() {
        assertThat(render("a {{ \"{{\" }} b }} c {{ \"say \\\"hi\\\" \\\\ }}\" }}"))
                .isEqualTo("a {{ b }} c say \"hi\" \\ }}");
        assertThat(Template.parse("{{ \"{{\" }}x }}", "t.tpl").refs()).isEmpty();
    }

    @Test
    void aMissingSecretFailsTheWholeRenderingAndNamesTheKeyNotAValue() {
        assertThatThrownBy(() ->
                        render("ok={{ secret \"prod\" \"/\" \"USER\" }}\nno={{ secret \"dev\" \"/x\" \"NOPE\" }}"))
                .isInstanceOf(Template.MissingSecretException.class)
                .hasMessage("t.tpl line 2, column 4: no secret NOPE in dev:/x (nor in its imports)");
    }

    @Test
    void mistakesAreReportedWithLineAndColumn() {
        assertError(
                "a\nb {{ secret \"prod\" \"/\" }}", "t.tpl line 2, column 24: expected the key as a \"quoted string\"");
        assertError("{{ secrets \"a\" \"/\" \"K\" }}", "t.tpl line 1, column 4: unknown function 'secrets'");
        assertError(
                "x {{ secret \"a\" \"/\" \"K\" ", "t.tpl line 1, column 25: the tag opened here is not closed with }}");
        assertError("{{ secret \"a\" \"/\" \"K\" | upper }}", "t.tpl line 1, column 25: unknown filter 'upper'");
        assertError(
                "{{ secret \"a\" \"/\" \"K\" extra }}", "column 23: expected }} (write a literal {{ as {{ \"{{\" }})");
        assertError("{{ secret \"a\" \"/\" \"K }}", "t.tpl line 1, column 19: the string is not closed");
        assertError("{{ \"\\n\" }}", "unknown escape in a string");
        assertError("{{ secret \"\" \"/\" \"K\" }}", "the environment is empty");
        assertError("{{ }}", "expected secret \"ENV\" \"/path\" \"KEY\" or a \"string\" after {{");
    }

    private static void assertError(String text, String message) {
        assertThatThrownBy(() -> Template.parse(text, "t.tpl"))
                .isInstanceOf(AgentConfigException.class)
                .hasMessageContaining(message);
    }
}
