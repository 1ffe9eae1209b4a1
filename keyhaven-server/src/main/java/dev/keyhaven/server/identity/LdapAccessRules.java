package dev.keyhaven.server.identity;

import com.unboundid.ldap.sdk.DN;
import com.unboundid.ldap.sdk.Entry;
import com.unboundid.ldap.sdk.LDAPException;
import com.unboundid.ldap.sdk.RDN;
import dev.keyhaven.server.access.Glob;
import dev.keyhaven.server.platform.log.Redaction;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Which directory users may log in as an identity, beyond knowing their password: the user's DN
 * must match one of {@code allowedDnPatterns} (RDN by RDN, {@code *} globs inside a value), every
 * {@code allowedFields} entry must find one of its comma-separated values on the user's entry
 * (Infisical's rule; a DN value such as a {@code memberOf} group is compared as one DN), and the
 * user must belong to one of {@code allowedGroups}. Empty lists do not restrict.
 */
record LdapAccessRules(List<AllowedField> fields, List<String> groups, List<String> dnPatterns) {

    /** One {@code allowedFields} entry: attribute {@code key} must hold one of the values in {@code value}. */
    record AllowedField(String key, String value) {
        @Override
        public String toString() {
            return Redaction.toString(this);
        }
    }

    /** The attributes the user search must return for these rules to be checked. */
    String[] attributes() {
        Set<String> names = new LinkedHashSet<>(List.of("uid", "memberOf"));
        fields.forEach(f -> names.add(f.key()));
        return names.toArray(String[]::new);
    }

    /** Why the entry is refused by the DN patterns or the fields, or null when they allow it. */
    String violation(Entry user) {
        if (!dnPatterns.isEmpty()) {
            DN dn;
            try {
                dn = user.getParsedDN();
            } catch (LDAPException e) {
                return "the user's DN cannot be parsed";
            }
            if (dnPatterns.stream().noneMatch(p -> dnMatches(p, dn))) {
                return "user DN " + user.getDN() + " does not match allowedDnPatterns";
            }
        }
        for (AllowedField f : fields) {
            String[] values = user.getAttributeValues(f.key());
            if (values == null || values.length == 0) {
                return "user " + user.getDN() + " has no attribute " + f.key() + " required by allowedFields";
            }
            if (!fieldMatches(values, f.value())) {
                return "attribute " + f.key() + " of user " + user.getDN() + " does not match allowedFields";
            }
        }
        return null;
    }

    /** True when one of the entry's values is one of the allowed ones. */
    static boolean fieldMatches(String[] values, String allowed) {
        List<String> accepted = new ArrayList<>();
        for (String a : allowed.split(",")) {
            if (!a.isBlank()) {
                accepted.add(a.trim());
            }
        }
        DN allowedDn = parseDn(allowed);
        for (String v : values) {
            if (accepted.contains(v.trim())) {
                return true;
            }
            DN valueDn = allowedDn == null ? null : parseDn(v);
            if (valueDn != null && valueDn.equals(allowedDn)) {
                return true;
            }
        }
        return false;
    }

    /**
     * True when the DN has as many RDNs as the pattern and each RDN has the same attributes with
     * values matching the pattern's globs, ignoring case: {@code uid=ci-*,ou=services,dc=example,dc=com}.
     */
    static boolean dnMatches(String pattern, DN dn) {
        RDN[] want;
        try {
            want = new DN(pattern).getRDNs();
        } catch (LDAPException e) {
            return false;
        }
        RDN[] have = dn.getRDNs();
        if (want.length != have.length) {
            return false;
        }
        for (int i = 0; i < want.length; i++) {
            if (!rdnMatches(want[i], have[i])) {
                return false;
            }
        }
        return true;
    }

    private static boolean rdnMatches(RDN want, RDN have) {
        String[] names = want.getAttributeNames();
        String[] values = want.getAttributeValues();
        if (names.length != have.getAttributeNames().length) {
            return false;
        }
        for (int i = 0; i < names.length; i++) {
            String value = valueOf(have, names[i]);
            if (value == null || !Glob.matches(values[i].toLowerCase(Locale.ROOT), value.toLowerCase(Locale.ROOT))) {
                return false;
            }
        }
        return true;
    }

    private static String valueOf(RDN rdn, String name) {
        String[] names = rdn.getAttributeNames();
        for (int i = 0; i < names.length; i++) {
            if (names[i].equalsIgnoreCase(name)) {
                return rdn.getAttributeValues()[i];
            }
        }
        return null;
    }

    /** The DN, or null when the text is not a non-empty DN. */
    static DN parseDn(String text) {
        try {
            DN dn = new DN(text.trim());
            return dn.isNullDN() ? null : dn;
        } catch (LDAPException e) {
            return null;
        }
    }
}
