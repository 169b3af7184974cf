package io.gantry.app.docker;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.EngineException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Checks that the Docker daemon lets Gantry reach a registry configured {@code insecure}. Docker decides that in its
 * daemon ({@code insecure-registries} in daemon.json, by host name or CIDR; 127.0.0.0/8 by default), so all Gantry
 * can do is read the daemon's registry configuration ({@code GET /info}, {@code RegistryConfig}) and say how to fix it.
 */
final class InsecureRegistries {

    private static final Logger LOG = LoggerFactory.getLogger(InsecureRegistries.class);

    private final Supplier<JsonNode> info;
    private final Set<String> checked = ConcurrentHashMap.newKeySet();

    InsecureRegistries(Supplier<JsonNode> info) {
        this.info = info;
    }

    /** Logs a WARN with the fix, once per registry, when the daemon does not allow {@code registry} to be insecure. */
    void check(String registry) {
        if (!checked.add(registry)) {
            return;
        }
        try {
            if (!allowed(registry, info.get().path("RegistryConfig"))) {
                LOG.warn("Registry {} is configured insecure, but the Docker daemon only trusts it over verified "
                        + "HTTPS: add \"{}\" to \"insecure-registries\" in /etc/docker/daemon.json and restart dockerd",
                        registry, registry);
            }
        } catch (EngineException e) {
            checked.remove(registry);
            LOG.debug("Cannot check the daemon's insecure registries: {}", e.getMessage());
        }
    }

    /** True when the daemon's {@code RegistryConfig} lists {@code registry} as insecure, by name or by CIDR. */
    static boolean allowed(String registry, JsonNode registryConfig) {
        JsonNode index = registryConfig.path("IndexConfigs").path(registry);
        if (index.has("Secure")) {
            return !index.path("Secure").asBoolean(true);
        }
        List<InetAddress> addresses = addresses(registry);
        for (JsonNode cidr : registryConfig.path("InsecureRegistryCIDRs")) {
            for (InetAddress address : addresses) {
                if (contains(cidr.asText(), address)) {
                    return true;
                }
            }
        }
        return false;
    }

    private static List<InetAddress> addresses(String registry) {
        String host = registry;
        if (host.startsWith("[")) {
            host = host.substring(1, host.indexOf(']'));
        } else if (host.indexOf(':') >= 0) {
            host = host.substring(0, host.indexOf(':'));
        }
        try {
            return List.of(InetAddress.getAllByName(host));
        } catch (UnknownHostException | SecurityException e) {
            return new ArrayList<>();
        }
    }

    static boolean contains(String cidr, InetAddress address) {
        int slash = cidr.indexOf('/');
        if (slash < 0) {
            return false;
        }
        try {
            byte[] network = InetAddress.getByName(cidr.substring(0, slash)).getAddress();
            byte[] candidate = address.getAddress();
            int bits = Integer.parseInt(cidr.substring(slash + 1));
            if (network.length != candidate.length || bits < 0 || bits > network.length * 8) {
                return false;
            }
            int shift = network.length * 8 - bits;
            return new BigInteger(1, network).shiftRight(shift).equals(new BigInteger(1, candidate).shiftRight(shift));
        } catch (UnknownHostException | NumberFormatException e) {
            return false;
        }
    }
}
