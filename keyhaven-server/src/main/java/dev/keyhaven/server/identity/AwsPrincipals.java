package dev.keyhaven.server.identity;

import dev.keyhaven.server.platform.web.ValidationException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;
import java.util.regex.Pattern;

/**
 * The allowed accounts and principal ARNs of AWS auth: validation of the configured lists
 * (Infisical's formats, stored ", "-joined) and the match of the caller STS reported. A principal
 * matches when a pattern ({@code *} = any run of characters) matches its ARN as STS gave it, the
 * ARN without path or session ({@code arn:aws:iam::123456789012:user/alice},
 * {@code arn:aws:sts::123456789012:assumed-role/ci}), or, for an assumed role, the role itself
 * ({@code arn:aws:iam::123456789012:role/ci}).
 */
final class AwsPrincipals {
    static final int MAX_LIST_CHARS = 4096;
    private static final Pattern ACCOUNT_ID = Pattern.compile("^\\d{12}$");
    private static final Pattern ARN_PATTERN = Pattern.compile(
            "^arn:aws(-us-gov|-cn)?:(iam|sts)::\\d{12}:" + "((user|role|assumed-role)/[a-zA-Z0-9_.@+=,*/-]+|\\*)$");

    private AwsPrincipals() {}

    /** Validates a comma list of 12-digit account ids; returns it ", "-joined ("" = any account). */
    static String accountIds(String raw) {
        return list(
                "allowedAccountIds",
                raw,
                id -> ACCOUNT_ID.matcher(id).matches(),
                "Each account ID must be a 12-digit number.");
    }

    /** Validates a comma list of principal ARN patterns; returns it ", "-joined ("" = any principal). */
    static String principalArns(String raw) {
        return list(
                "allowedPrincipalArns",
                raw,
                arn -> ARN_PATTERN.matcher(arn).matches(),
                "Each ARN must be in the format of 'arn:aws:iam::123456789012:user/UserName', "
                        + "'arn:aws:iam::123456789012:role/RoleName', 'arn:aws:iam::123456789012:*' or "
                        + "'arn:aws:sts::123456789012:assumed-role/RoleName' (also arn:aws-us-gov and arn:aws-cn)");
    }

    private static String list(String field, String raw, Predicate<String> valid, String message) {
        String s = raw == null ? "" : raw.trim();
        if (s.length() > MAX_LIST_CHARS) {
            throw ValidationException.field(field, "String must contain at most " + MAX_LIST_CHARS + " character(s)");
        }
        if (s.isEmpty()) {
            return "";
        }
        List<String> items = new ArrayList<>();
        for (String item : s.split(",", -1)) {
            String t = item.trim();
            if (!valid.test(t)) {
                throw ValidationException.field(field, message);
            }
            items.add(t);
        }
        return String.join(", ", items);
    }

    static boolean accountAllowed(String allowed, String account) {
        if (allowed.isEmpty()) {
            return true;
        }
        for (String id : allowed.split(",")) {
            if (id.trim().equals(account)) {
                return true;
            }
        }
        return false;
    }

    static boolean principalAllowed(String allowed, String arn) {
        if (allowed.isEmpty()) {
            return true;
        }
        Set<String> forms = forms(arn);
        for (String pattern : allowed.split(",")) {
            for (String form : forms) {
                if (glob(pattern.trim(), form)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * The forms an ARN is matched in: as given; {@code arn:<p>:<iam|sts>::<acct>:<type>/<name>}
     * (path and session dropped); and for an assumed role {@code arn:<p>:iam::<acct>:role/<role>}.
     */
    static Set<String> forms(String arn) {
        Set<String> forms = new LinkedHashSet<>();
        forms.add(arn);
        String[] parts = arn.split(":", -1);
        if (parts.length != 6 || !parts[0].equals("arn") || !(parts[2].equals("iam") || parts[2].equals("sts"))) {
            return forms;
        }
        String prefix = "arn:" + parts[1] + ":";
        String account = parts[4];
        String[] resource = parts[5].split("/", -1);
        if (resource.length < 2) {
            return forms;
        }
        switch (resource[0]) {
            case "assumed-role" -> {
                if (resource.length >= 3) {
                    forms.add(prefix + parts[2] + "::" + account + ":assumed-role/" + resource[1]);
                    forms.add(prefix + "iam::" + account + ":role/" + resource[1]);
                }
            }
            case "user", "role", "instance-profile" ->
                forms.add(prefix + parts[2] + "::" + account + ":" + resource[0] + "/" + resource[resource.length - 1]);
            default -> {
                // other principal types (federated-user, root) are matched as given only
            }
        }
        return forms;
    }

    /** {@code *} matches any run of characters, everything else itself; linear, no regex. */
    static boolean glob(String pattern, String s) {
        String[] pieces = pattern.split("\\*", -1);
        if (pieces.length == 1) {
            return pattern.equals(s);
        }
        if (!s.startsWith(pieces[0])) {
            return false;
        }
        int at = pieces[0].length();
        for (int i = 1; i < pieces.length - 1; i++) {
            int found = s.indexOf(pieces[i], at);
            if (found < 0) {
                return false;
            }
            at = found + pieces[i].length();
        }
        String last = pieces[pieces.length - 1];
        return s.length() - at >= last.length() && s.endsWith(last);
    }
}
