package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.update.deployment.DescriptorFile;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * A descriptor file read back into the dashboard's container form ({@link DescriptorForm} writes it), and which
 * field of the form shows a problem the descriptor parser reports by its JSON path.
 *
 * <p>Contract: lenient, so that a file that cannot be used is shown as it is to be corrected; the lines it gives are
 * the ones {@link DescriptorForm#toJson} reads into the same keys. Pure; safe from any thread.
 */
final class DescriptorFields {

    /** Which field shows a problem of the descriptor's JSON path: the longest matching prefix wins. */
    private static final Map<String, String> FIELD_OF_PATH = paths();

    private DescriptorFields() {
    }

    /** The form's fields for a descriptor file's JSON (valid or not), read leniently: whatever is there is shown. */
    static Map<String, String> of(JsonNode root) {
        Map<String, String> form = new LinkedHashMap<>();
        form.put("name", root.path("container_name").asText(""));
        String image = root.path("image").path("name").asText("");
        int slash = image.lastIndexOf('/');
        int colon = image.lastIndexOf(':');
        boolean tagged = !image.contains("@") && colon > slash;
        form.put("image", tagged ? image.substring(0, colon) : image);
        form.put("tag", tagged ? image.substring(colon + 1) : "");
        JsonNode host = root.path("host_config");
        List<String> ports = new ArrayList<>();
        for (JsonNode p : host.path("port_mappings")) {
            String hostIp = p.path("host_ip").asText("");
            String hostPort = p.path("host_port").asText("");
            String end = p.path("host_port_end").asText("");
            String published = (hostIp.isEmpty() || hostPort.isEmpty() ? "" : (hostIp.contains(":") ? "[" + hostIp
                    + "]" : hostIp) + ":") + hostPort + (end.isEmpty() || end.equals("0") ? "" : "-" + end);
            String proto = p.path("proto").asText("");
            ports.add((published.isEmpty() || published.equals("0") ? "" : published + ":")
                    + p.path("container_port").asText("") + (proto.isEmpty() ? "" : "/" + proto));
        }
        form.put("ports", String.join("\n", ports));
        form.put("env", joined(root.path("config").path("env")));
        form.put("entrypoint", joined(root.path("config").path("entrypoint")));
        form.put("cmd", joined(root.path("config").path("cmd")));
        List<String> mounts = new ArrayList<>();
        for (JsonNode m : root.path("mount_points")) {
            List<String> options = new ArrayList<>();
            if (m.path("read_only").asBoolean(false)) {
                options.add("ro");
            }
            String propagation = m.path("propagation_mode").asText("");
            if (!propagation.isEmpty() && !propagation.equalsIgnoreCase("rprivate")) {
                options.add(propagation);
            }
            mounts.add(m.path("source").asText("") + ":" + m.path("destination").asText("")
                    + (options.isEmpty() ? "" : ":" + String.join(",", options)));
        }
        form.put("mounts", String.join("\n", mounts));
        List<String> devices = new ArrayList<>();
        for (JsonNode d : host.path("devices")) {
            String onHost = d.path("path_on_host").asText("");
            String inContainer = d.path("path_in_container").asText("");
            String permissions = d.path("cgroup_permissions").asText("");
            devices.add(onHost + (inContainer.isEmpty() && permissions.isEmpty() ? "" : ":" + inContainer)
                    + (permissions.isEmpty() ? "" : ":" + permissions));
        }
        form.put("devices", String.join("\n", devices));
        form.put("privileged", host.path("privileged").asBoolean(false) ? "on" : "");
        form.put("network", host.path("network_mode").asText(""));
        JsonNode resources = host.path("resources");
        form.put("memory", resources.path("memory").asText(""));
        form.put("cpus", resources.path("cpus").asText(""));
        form.put("gpus", resources.path("gpus").asText(""));
        form.put("runtime", host.path("runtime").asText(""));
        JsonNode driver = host.path("log_config").path("driver_config");
        form.put("log_driver", driver.path("type").asText(""));
        List<String> options = new ArrayList<>();
        driver.path("options").fields().forEachRemaining(e -> options.add(e.getKey() + "=" + e.getValue().asText()));
        form.put("log_options", String.join("\n", options));
        form.put("restart", host.path("restart_policy").path("type").asText(""));
        JsonNode retries = host.path("restart_policy").path("maximum_retry_count");
        form.put("restart_retries", retries.isMissingNode() ? "" : retries.asText());
        form.put("enabled", root.path(DescriptorFile.ENABLED).asBoolean(true) ? "on" : "");
        return form;
    }

    /**
     * The field that shows a problem of the descriptor parser ({@code host_config.port_mappings[0].container_port:
     * expected …}), or empty when the problem belongs to no one field (the page shows it above the form).
     */
    static Optional<String> fieldOf(String problem) {
        String best = null;
        for (String path : FIELD_OF_PATH.keySet()) {
            if (problem.startsWith(path) && problem.length() > path.length()
                    && ".[:".indexOf(problem.charAt(path.length())) >= 0
                    && (best == null || path.length() > best.length())) {
                best = path;
            }
        }
        if ("host_config.resources".equals(best)) {
            // the resources are checked together; the message then starts with the one at fault
            String rest = problem.substring(best.length()).replaceFirst("^[.:]\\s*", "");
            return Optional.of(rest.startsWith("cpus") ? "cpus" : rest.startsWith("gpus") ? "gpus" : "memory");
        }
        return Optional.ofNullable(best).map(FIELD_OF_PATH::get);
    }

    private static Map<String, String> paths() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("container_name", "name");
        p.put("image", "image");
        p.put("mount_points", "mounts");
        p.put("config.env", "env");
        p.put("config.entrypoint", "entrypoint");
        p.put("config.cmd", "cmd");
        p.put("host_config.port_mappings", "ports");
        p.put("host_config.devices", "devices");
        p.put("host_config.privileged", "privileged");
        p.put("host_config.network_mode", "network");
        p.put("host_config.runtime", "runtime");
        p.put("host_config.resources", "memory");
        p.put("host_config.resources.memory", "memory");
        p.put("host_config.resources.memory_swap", "memory");
        p.put("host_config.resources.cpus", "cpus");
        p.put("host_config.resources.gpus", "gpus");
        p.put("host_config.restart_policy", "restart");
        p.put("host_config.restart_policy.maximum_retry_count", "restart_retries");
        p.put("host_config.log_config", "log_driver");
        p.put("host_config.log_config.driver_config.options", "log_options");
        p.put(DescriptorFile.ENABLED, "enabled");
        return Map.copyOf(p);
    }

    private static String joined(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(e -> out.add(e.asText()));
        return String.join("\n", out);
    }
}
