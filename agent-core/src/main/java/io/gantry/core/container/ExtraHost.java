package io.gantry.core.container;

import java.util.Comparator;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * An extra {@code /etc/hosts} entry: {@code name:address}. Besides IP literals, the address may be one of Kanto's
 * reserved forms, resolved when the container is created: {@code host_ip} (the host as seen from the container),
 * {@code host_ip_<interface>} (the host's address on that interface) and {@code container_<name>} (the address of
 * another container).
 */
public record ExtraHost(String hostname, String address) implements Comparable<ExtraHost> {

    public static final String HOST_IP = "host_ip";
    private static final Pattern HOSTNAME = Pattern.compile("^[a-zA-Z0-9_]([a-zA-Z0-9_.-]*[a-zA-Z0-9_])?$");
    private static final Pattern HOST_IP_FORM = Pattern.compile("^host_ip(?:_(.+))?$");
    private static final Pattern CONTAINER_FORM = Pattern.compile("^container_(.+)$");
    private static final Comparator<ExtraHost> ORDER =
            Comparator.comparing(ExtraHost::hostname).thenComparing(ExtraHost::address);

    public ExtraHost {
        if (hostname == null || !HOSTNAME.matcher(hostname).matches()) {
            throw new IllegalArgumentException("\"" + hostname + "\" is not a host name");
        }
        if (address == null || !(IpAddresses.isLiteral(address) || address.equals("host-gateway")
                || HOST_IP_FORM.matcher(address).matches() || CONTAINER_FORM.matcher(address).matches())) {
            throw new IllegalArgumentException("\"" + address
                    + "\" is not an IP address, host_ip, host_ip_<interface> or container_<name>");
        }
    }

    /** Reads {@code name:address}; the address may be IPv6 and so contain colons. */
    public static ExtraHost parse(String text) {
        if (text == null) {
            throw new IllegalArgumentException("invalid extra host \"null\": expected name:address");
        }
        int colon = text.trim().indexOf(':');
        if (colon <= 0) {
            throw new IllegalArgumentException("invalid extra host \"" + text + "\": expected name:address");
        }
        try {
            return new ExtraHost(text.trim().substring(0, colon), text.trim().substring(colon + 1));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("invalid extra host \"" + text + "\": " + e.getMessage(), e);
        }
    }

    /** True for {@code host_ip} and {@code host_ip_<interface>}: these cannot be used with host networking. */
    public boolean usesHostIp() {
        return HOST_IP_FORM.matcher(address).matches();
    }

    /** The interface named by {@code host_ip_<interface>}. */
    public Optional<String> hostInterface() {
        Matcher m = HOST_IP_FORM.matcher(address);
        return m.matches() ? Optional.ofNullable(m.group(1)) : Optional.empty();
    }

    /** The container named by {@code container_<name>}. */
    public Optional<String> containerReference() {
        Matcher m = CONTAINER_FORM.matcher(address);
        return m.matches() ? Optional.of(m.group(1)) : Optional.empty();
    }

    @Override
    public String toString() {
        return hostname + ":" + address;
    }

    @Override
    public int compareTo(ExtraHost other) {
        return ORDER.compare(this, other);
    }
}
