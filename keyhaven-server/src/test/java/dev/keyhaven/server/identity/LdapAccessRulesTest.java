package dev.keyhaven.server.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The LDAP-auth rules that need no directory: DN patterns, allowed fields, filter escaping, URLs, lockout keys. */
class LdapAccessRulesTest {

    private static DN dn(String s) throws Exception {
        return new DN(s);
    }

    @Test
    void dnPatternsMatchRdnByRdnWithGlobsInsideValuesAndIgnoreCase() throws Exception {
        String pattern = "uid=ci-*,ou=services,dc=example,dc=com";
        assertThat(LdapAccessRules.dnMatches(pattern, dn("uid=ci-bot,ou=services,dc=example,dc=com")))
                .isTrue();
        assertThat(LdapAccessRules.dnMatches(pattern, dn("UID=CI-Deploy, OU=Services,DC=example,DC=com")))
                .isTrue();
        assertThat(LdapAccessRules.dnMatches(pattern, dn("uid=alice,ou=services,dc=example,dc=com")))
                .isFalse();
        assertThat(LdapAccessRules.dnMatches(pattern, dn("cn=ci-bot,ou=services,dc=example,dc=com")))
                .as("attribute")
                .isFalse();
        assertThat(LdapAccessRules.dnMatches(pattern, dn("uid=ci-x,ou=evil,ou=services,dc=example,dc=com")))
                .as("a * never spans RDNs")
                .isFalse();
        assertThat(LdapAccessRules.dnMatches(
                        "uid=*,ou=services,dc=example,dc=com", dn("uid=a\\,ou\\=x,ou=services,dc=example,dc=com")))
                .as("escaped commas stay in the value")
                .isTrue();
    }

    @Test
    void allowedFieldsAcceptOneOfTheCommaSeparatedValuesOrOneDn() {
        assertThat(LdapAccessRules.fieldMatches(new String[] {"staff"}, "staff,admin"))
                .isTrue();
        assertThat(LdapAccessRules.fieldMatches(new String[] {"guest", "admin"}, "staff, admin"))
                .isTrue();
        assertThat(LdapAccessRules.fieldMatches(new String[] {"Staff"}, "staff,admin"))
                .as("values are exact")
                .isFalse();
        String group = "CN=Domain Users,OU=Groups,DC=corp,DC=example,DC=com";
        assertThat(LdapAccessRules.fieldMatches(
                        new String[] {"cn=domain users,ou=groups,dc=corp,dc=example,dc=com"}, group))
                .isTrue();
        assertThat(LdapAccessRules.fieldMatches(new String[] {"cn=Other,OU=Groups,DC=corp,DC=example,DC=com"}, group))
                .isFalse();
    }

    @Test
    void aUserWithoutTheRequiredAttributeIsRefused() {
        LdapAccessRules rules = new LdapAccessRules(
                List.of(new LdapAccessRules.AllowedField("employeeType", "staff")), List.of(), List.of());
        Entry staff =
                new Entry("uid=a,dc=example,dc=com", new com.unboundid.ldap.sdk.Attribute("employeeType", "staff"));
        Entry none = new Entry("uid=b,dc=example,dc=com");
        assertThat(rules.violation(staff)).isNull();
        assertThat(rules.violation(none)).contains("has no attribute employeeType");
        assertThat(rules.attributes()).contains("uid", "memberOf", "employeeType");
    }

    @Test
    void theUsernameIsEscapedAsAFilterValue() {
        String template = "(&(objectClass=person)(uid={{username}}))";
        assertThat(LdapDirectory.userFilter(template, "*)(uid=*").toString())
                .isEqualTo("(&(objectClass=person)(uid=\\2a\\29\\28uid=\\2a))");
        assertThat(LdapDirectory.userFilter(template, "a\\b\u0000").toString())
                .isEqualTo("(&(objectClass=person)(uid=a\\5cb\\00))");
        assertThat(LdapDirectory.userFilter(template, "{{username}}").toString())
                .isEqualTo("(&(objectClass=person)(uid={{username}}))");
    }

    @Test
    void onlyPlainLdapAndLdapsUrlsAreAccepted() {
        assertThat(LdapDirectory.parseUrl("ldap://ldap.example.com").getPort()).isEqualTo(389);
        assertThat(LdapDirectory.parseUrl("ldaps://ldap.example.com").getPort()).isEqualTo(636);
        assertThat(LdapDirectory.parseUrl("ldaps://[::1]:1636/").getPort()).isEqualTo(1636);
        for (String bad : List.of(
                "http://ldap.example.com",
                "ldap://",
                "ldap://h/dc=example,dc=com",
                "ldap://h/??sub",
                "ldap://h/???(uid=x)",
                "not a url")) {
            assertThatThrownBy(() -> LdapDirectory.parseUrl(bad)).as(bad).isInstanceOf(IllegalArgumentException.class);
        }
    }

    @Test
    void lockoutKeysFoldWhatDirectoriesTreatAsTheSameName() {
        assertThat(LdapLogin.lockoutKey("Alice")).isEqualTo(LdapLogin.lockoutKey("alice"));
        assertThat(LdapLogin.lockoutKey("john  smith")).isEqualTo(LdapLogin.lockoutKey("John Smith"));
        assertThat(LdapLogin.lockoutKey("ｂｏｂ")).as("full-width forms").isEqualTo(LdapLogin.lockoutKey("bob"));
        assertThat(LdapLogin.lockoutKey("alice")).isNotEqualTo(LdapLogin.lockoutKey("alicia"));
    }
}
