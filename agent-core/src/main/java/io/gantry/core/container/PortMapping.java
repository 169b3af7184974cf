package io.gantry.core.container;

import java.util.Comparator;
import java.util.Objects;

/**
 * A published port: {@code hostIp:hostPort[-hostPortEnd] -> containerPort/protocol}.
 *
 * <p>A host range means Docker picks one free host port of the range, as in Kanto. A host port of 0 lets the engine
 * choose any free port.
 */
public record PortMapping(String hostIp, int hostPort, int hostPortEnd, int containerPort, Protocol protocol)
        implements Comparable<PortMapping> {

    public static final String ANY_ADDRESS = "0.0.0.0";

    private static final Comparator<PortMapping> ORDER = Comparator.comparingInt(PortMapping::containerPort)
            .thenComparing(PortMapping::protocol).thenComparing(PortMapping::hostIp)
            .thenComparingInt(PortMapping::hostPort).thenComparingInt(PortMapping::hostPortEnd);

    public PortMapping {
        Objects.requireNonNull(hostIp, "hostIp");
        Objects.requireNonNull(protocol, "protocol");
        if (!hostIp.equals(ANY_ADDRESS) && !IpAddresses.isLiteral(hostIp)) {
            throw new IllegalArgumentException("host IP \"" + hostIp + "\" is not an IP address");
        }
        checkPort("container port", containerPort, false);
        checkPort("host port", hostPort, true);
        checkPort("host port range end", hostPortEnd, true);
        if (hostPortEnd < hostPort) {
            throw new IllegalArgumentException("host port range " + hostPort + "-" + hostPortEnd + " ends before it starts");
        }
    }

    public static PortMapping of(int hostPort, int containerPort) {
        return new PortMapping(ANY_ADDRESS, hostPort, hostPort, containerPort, Protocol.TCP);
    }

    /**
     * Reads {@code [host-ip:]host-port[-host-port-end]:container-port[/protocol]} (reference/kanto-cua.md §2.4), and
     * also a bare {@code container-port[/protocol]} as {@code docker run -p} does. Unlike Kanto, which drops a value
     * it cannot read, every problem is an error (the desired-state reader decides whether to drop it); where the
     * meaning is clear Gantry applies it: {@code localhost} is 127.0.0.1, bracketed IPv6 hosts are read, and a
     * container port written as a range of one ({@code 30555-30555}, as in Leda's desired states) is that port.
     */
    public static PortMapping parse(String text) {
        if (text == null || text.isBlank()) {
            throw invalid(text, "it is empty");
        }
        String s = text.trim();
        Protocol protocol = Protocol.TCP;
        int slash = s.lastIndexOf('/');
        if (slash >= 0) {
            String proto = s.substring(slash + 1);
            protocol = proto.isEmpty() ? Protocol.TCP : Protocol.forName(proto)
                    .orElseThrow(() -> invalid(text, "protocol \"" + proto + "\" is not tcp, udp or sctp"));
            s = s.substring(0, slash);
        }
        String hostIp = ANY_ADDRESS;
        if (s.startsWith("[")) {
            int close = s.indexOf("]:");
            if (close < 0) {
                throw invalid(text, "an IPv6 host address must be written [address]:port:port");
            }
            hostIp = s.substring(1, close);
            s = s.substring(close + 2);
        }
        String[] parts = s.split(":", -1);
        if (!hostIp.equals(ANY_ADDRESS) && parts.length != 2) {
            throw invalid(text, "an IPv6 host address must be written [address]:host-port:container-port");
        }
        String hostPorts;
        String containerPort;
        switch (parts.length) {
            case 1 -> {
                hostPorts = "0";
                containerPort = parts[0];
            }
            case 2 -> {
                hostPorts = parts[0];
                containerPort = parts[1];
            }
            case 3 -> {
                hostIp = parts[0].equals("localhost") ? "127.0.0.1" : parts[0];
                hostPorts = parts[1];
                containerPort = parts[2];
            }
            default -> throw invalid(text, "expected [host-ip:]host-port[-end]:container-port[/protocol]");
        }
        if (!hostIp.equals(ANY_ADDRESS) && !IpAddresses.isLiteral(hostIp)) {
            throw invalid(text, "host IP \"" + hostIp + "\" is not an IP address");
        }
        int start;
        int end;
        int dash = hostPorts.indexOf('-');
        if (dash >= 0) {
            start = number(text, "host port", hostPorts.substring(0, dash));
            end = number(text, "host port range end", hostPorts.substring(dash + 1));
        } else {
            start = hostPorts.isEmpty() ? 0 : number(text, "host port", hostPorts);
            end = start;
        }
        int container = singleContainerPort(text, containerPort);
        try {
            return new PortMapping(hostIp, start, end, container, protocol);
        } catch (IllegalArgumentException e) {
            throw invalid(text, e.getMessage());
        }
    }

    /** One port; a range of one ({@code 30555-30555}) is that port, a longer range has no single meaning here. */
    private static int singleContainerPort(String text, String written) {
        int dash = written.indexOf('-');
        if (dash < 0) {
            return number(text, "container port", written);
        }
        int first = number(text, "container port", written.substring(0, dash));
        int last = number(text, "container port range end", written.substring(dash + 1));
        if (first != last) {
            throw invalid(text, "a container port range (" + written + ") is not supported: map one container port");
        }
        return first;
    }

    private static int number(String text, String what, String digits) {
        if (!digits.matches("\\d{1,5}")) {
            throw invalid(text, what + " \"" + digits + "\" is not a number from 1 to 65535");
        }
        return Integer.parseInt(digits);
    }

    private static void checkPort(String what, int port, boolean zeroAllowed) {
        if (port > 65535 || port < (zeroAllowed ? 0 : 1)) {
            throw new IllegalArgumentException(what + " " + port + " is not from 1 to 65535");
        }
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid port mapping \"" + text + "\": " + why);
    }

    public boolean isRange() {
        return hostPortEnd != hostPort;
    }

    /** Kanto's canonical inventory form: {@code 127.0.0.1:8080:80/tcp}, {@code 5000-6000:80/udp}, {@code 80:80/tcp}. */
    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (!hostIp.equals(ANY_ADDRESS)) {
            out.append(hostIp.contains(":") ? "[" + hostIp + "]" : hostIp).append(':');
        }
        if (hostPort != 0) {
            out.append(hostPort);
            if (isRange()) {
                out.append('-').append(hostPortEnd);
            }
            out.append(':');
        }
        return out.append(containerPort).append('/').append(protocol.wireName()).toString();
    }

    @Override
    public int compareTo(PortMapping other) {
        return ORDER.compare(this, other);
    }
}
