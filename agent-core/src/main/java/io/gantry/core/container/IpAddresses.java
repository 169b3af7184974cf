package io.gantry.core.container;

import java.util.regex.Pattern;

/** Recognises IP address literals without resolving names (no DNS lookup may happen while parsing input). */
final class IpAddresses {

    private static final Pattern IPV4 = Pattern.compile(
            "^(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)(\\.(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)){3}$");
    private static final Pattern GROUP = Pattern.compile("^[0-9a-fA-F]{1,4}$");
    private static final Pattern ZONE = Pattern.compile("^[\\w.-]+$");

    private IpAddresses() {
    }

    static boolean isIpv4(String text) {
        return IPV4.matcher(text).matches();
    }

    /**
     * RFC 4291 §2.2 text forms: eight groups of 1–4 hex digits, one {@code ::} standing for one or more zero groups,
     * an IPv4 tail ({@code ::ffff:192.0.2.1}) and a zone ({@code fe80::1%eth0}).
     */
    static boolean isIpv6(String text) {
        String address = text;
        int percent = address.indexOf('%');
        if (percent >= 0) {
            if (!ZONE.matcher(address.substring(percent + 1)).matches()) {
                return false;
            }
            address = address.substring(0, percent);
        }
        int groups = 8;
        int lastColon = address.lastIndexOf(':');
        if (lastColon >= 0 && address.indexOf('.', lastColon) > 0) {
            if (!isIpv4(address.substring(lastColon + 1))) {
                return false;
            }
            address = address.substring(0, lastColon + 1) + "0:0";   // the IPv4 tail fills two groups
        }
        int gap = address.indexOf("::");
        if (gap >= 0) {
            if (address.indexOf("::", gap + 1) >= 0) {
                return false;
            }
            int head = count(address.substring(0, gap));
            int tail = count(address.substring(gap + 2));
            return head >= 0 && tail >= 0 && head + tail < groups;
        }
        return count(address) == groups;
    }

    /** The number of valid groups in a colon-separated run, -1 if one is invalid, 0 for an empty run. */
    private static int count(String run) {
        if (run.isEmpty()) {
            return 0;
        }
        String[] groups = run.split(":", -1);
        for (String g : groups) {
            if (!GROUP.matcher(g).matches()) {
                return -1;
            }
        }
        return groups.length;
    }

    static boolean isLiteral(String text) {
        return isIpv4(text) || isIpv6(text);
    }
}
