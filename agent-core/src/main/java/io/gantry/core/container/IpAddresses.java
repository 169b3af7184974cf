package io.gantry.core.container;

import java.util.regex.Pattern;

/** Recognises IP address literals without resolving names (no DNS lookup may happen while parsing input). */
final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern IPV6 = Pattern.compile("^[0-9a-fA-F:.]+(%[\\w.]+)?$");

    private IpAddresses() {
    }

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    static boolean isIpv6(String text) {
        return text.contains(":") && IPV6.matcher(text).matches() && text.chars().filter(c -> c == ':').count() >= 2;
    }

    static boolean isLiteral(String text) {
        return isIpv4(text) || isIpv6(text);
    }
}
