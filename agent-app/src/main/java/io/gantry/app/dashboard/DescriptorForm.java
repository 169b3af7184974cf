package io.gantry.app.dashboard;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.gantry.update.deployment.DescriptorFile;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The dashboard's container form (Kura's container settings, reference/kura-and-peers.md §1.3) as a Kanto container
 * descriptor (docs/descriptors.md); {@link DescriptorFields} reads a descriptor back into the form. The form only splits its lines into the descriptor's keys; every value
 * is then checked by the descriptor parser itself, so the form shows exactly the errors the file would get.
 *
 * <p>Contract: {@link #toJson} changes only the keys the form owns and keeps every other key of the file it edits
 * ({@code extra_hosts}, labels, log rotation, …); a line it cannot split is a {@link FieldProblem} naming the field.
 * A number that is not a number is written as text, so that the parser reports it as it would in a file. Pure;
 * safe from any thread.
 */
final class DescriptorForm {

    private static final JsonNodeFactory JSON = JsonNodeFactory.instance;
    /** The form's fields, in the order the page shows them. */
    static final List<String> FIELDS = List.of("name", "image", "tag", "ports", "env", "entrypoint", "cmd", "mounts",
            "devices", "privileged", "network", "memory", "cpus", "gpus", "runtime", "log_driver", "log_options",
            "restart", "restart_retries", "enabled");
    private static final Pattern PORT = Pattern.compile(
            "^(?:(?:(\\[[0-9a-fA-F:]+\\]|[0-9.]+):)?([^:/]*?)(?:-([^:/]+))?:)?([^:/]+)(?:/(\\w+))?$");
    private static final Pattern NUMBER = Pattern.compile("^-?\\d{1,18}$");

    private DescriptorForm() {
    }

    /** A line of a field that the form cannot split; shown next to that field. */
    static final class FieldProblem extends IllegalArgumentException {
        private final String field;

        FieldProblem(String field, String message) {
            super(message);
            this.field = field;
        }

        String field() {
            return field;
        }
    }

    /** The descriptor the form describes, over {@code base} (the file being edited; an empty object for a new one). */
    static ObjectNode toJson(Map<String, String> form, ObjectNode base) {
        ObjectNode root = base.deepCopy();
        text(root, "container_name", value(form, "name"));
        String image = value(form, "image");
        String tag = value(form, "tag");
        object(root, "image").put("name", tag.isEmpty() ? image : image + ":" + tag);
        mounts(root, lines(form, "mounts"));
        ObjectNode config = object(root, "config");
        strings(config, "env", lines(form, "env"));
        strings(config, "entrypoint", lines(form, "entrypoint"));
        strings(config, "cmd", lines(form, "cmd"));
        removeIfEmpty(root, "config");
        ObjectNode host = object(root, "host_config");
        ports(host, lines(form, "ports"));
        devices(host, lines(form, "devices"));
        flag(host, "privileged", checked(form, "privileged"));
        text(host, "network_mode", value(form, "network"));
        text(host, "runtime", value(form, "runtime"));
        ObjectNode resources = object(host, "resources");
        text(resources, "memory", value(form, "memory"));
        text(resources, "cpus", value(form, "cpus"));
        text(resources, "gpus", value(form, "gpus"));
        removeIfEmpty(host, "resources");
        restart(host, value(form, "restart"), value(form, "restart_retries"));
        log(host, value(form, "log_driver"), lines(form, "log_options"));
        removeIfEmpty(root, "host_config");
        if (checked(form, "enabled")) {
            root.remove(DescriptorFile.ENABLED);
        } else {
            root.put(DescriptorFile.ENABLED, false);
        }
        return root;
    }

    // ---- the lines of each field --------------------------------------------------------------------------------

    /**
     * One object of {@code node[key]} per line, made by {@code line} into a fresh object; no lines remove the key.
     * {@code line} returns false for a line it cannot split, which becomes a {@link FieldProblem} of {@code field}
     * saying {@code form}.
     */
    private static void objects(ObjectNode node, String key, List<String> lines, String field, String form,
                                java.util.function.BiPredicate<String, ObjectNode> line) {
        if (lines.isEmpty()) {
            node.remove(key);
            return;
        }
        ArrayNode array = node.putArray(key);
        for (String text : lines) {
            if (!line.test(text, array.addObject())) {
                throw new FieldProblem(field, "cannot read \"" + text + "\": write " + form);
            }
        }
    }

    /** {@code [[host_ip:]host_port[-end]:]container_port[/proto]}, as {@code docker run -p} writes it. */
    private static void ports(ObjectNode host, List<String> lines) {
        objects(host, "port_mappings", lines, "ports", "[host IP:]host port[-last host port]:container"
                + " port[/tcp|udp|sctp], for example 8080:80/tcp", (line, port) -> {
                    Matcher m = PORT.matcher(line);
                    if (!m.matches()) {
                        return false;
                    }
                    port.put("proto", m.group(5) == null ? "tcp" : m.group(5));
                    number(port, "container_port", m.group(4));
                    if (m.group(2) != null && !m.group(2).isEmpty()) {
                        number(port, "host_port", m.group(2));
                    }
                    if (m.group(3) != null) {
                        number(port, "host_port_end", m.group(3));
                    }
                    if (m.group(1) != null) {
                        String ip = m.group(1);
                        port.put("host_ip", ip.startsWith("[") ? ip.substring(1, ip.length() - 1) : ip);
                    }
                    return true;
                });
    }

    /** {@code source:destination[:ro|rw][,propagation]}, as {@code docker run -v} writes it. */
    private static void mounts(ObjectNode root, List<String> lines) {
        objects(root, "mount_points", lines, "mounts", "host path:container path[:ro], for example"
                + " /var/lib/app:/data:ro", (line, mount) -> {
                    String[] parts = line.split(":", 3);
                    if (parts.length < 2) {
                        return false;
                    }
                    mount.put("source", parts[0]).put("destination", parts[1]);
                    String propagation = "rprivate";
                    if (parts.length == 3) {
                        for (String option : parts[2].split(",")) {
                            switch (option.trim()) {
                                case "ro" -> mount.put("read_only", true);
                                case "rw", "" -> { }
                                default -> propagation = option.trim();
                            }
                        }
                    }
                    mount.put("propagation_mode", propagation);
                    return true;
                });
    }

    /** {@code host path[:container path[:permissions]]}, as {@code docker run --device} writes it. */
    private static void devices(ObjectNode host, List<String> lines) {
        objects(host, "devices", lines, "devices", "host path[:container path[:permissions]], for example"
                + " /dev/ttyUSB0:/dev/ttyUSB0:rwm", (line, device) -> {
                    String[] parts = line.split(":", -1);
                    if (parts.length > 3) {
                        return false;
                    }
                    device.put("path_on_host", parts[0])
                            .put("path_in_container", parts.length > 1 && !parts[1].isEmpty() ? parts[1] : parts[0])
                            .put("cgroup_permissions", parts.length > 2 && !parts[2].isEmpty() ? parts[2] : "rwm");
                    return true;
                });
    }

    private static void restart(ObjectNode host, String type, String retries) {
        if (type.isEmpty() && retries.isEmpty()) {
            host.remove("restart_policy");
            return;
        }
        ObjectNode policy = object(host, "restart_policy");
        text(policy, "type", type);
        if (retries.isEmpty()) {
            policy.remove("maximum_retry_count");
        } else {
            number(policy, "maximum_retry_count", retries);
        }
    }

    /** {@code key=value} lines are the driver's options ({@code max-size=10m}), as {@code docker run --log-opt}. */
    private static void log(ObjectNode host, String driver, List<String> options) {
        if (driver.isEmpty() && options.isEmpty()) {
            if (host.path("log_config").path("driver_config").isObject()) {
                ObjectNode config = (ObjectNode) host.get("log_config").get("driver_config");
                config.remove("type");
                config.remove("options");
            }
            return;
        }
        ObjectNode config = object(object(host, "log_config"), "driver_config");
        config.put("type", driver.isEmpty() ? "json-file" : driver);
        if (options.isEmpty()) {
            config.remove("options");
            return;
        }
        ObjectNode map = config.putObject("options");
        for (String line : options) {
            int eq = line.indexOf('=');
            if (eq <= 0) {
                throw new FieldProblem("log_options", "cannot read \"" + line + "\": write option=value, for example"
                        + " max-size=10m");
            }
            map.put(line.substring(0, eq).trim(), line.substring(eq + 1).trim());
        }
    }

    // ---- small pieces -------------------------------------------------------------------------------------------

    private static String value(Map<String, String> form, String field) {
        return form.getOrDefault(field, "").trim();
    }

    private static boolean checked(Map<String, String> form, String field) {
        return !value(form, field).isEmpty();
    }

    /** The non-blank lines of a text area, trimmed. */
    private static List<String> lines(Map<String, String> form, String field) {
        return form.getOrDefault(field, "").lines().map(String::trim).filter(l -> !l.isEmpty()).toList();
    }


    private static ObjectNode object(ObjectNode parent, String key) {
        JsonNode child = parent.get(key);
        return child != null && child.isObject() ? (ObjectNode) child : parent.putObject(key);
    }

    private static void text(ObjectNode node, String key, String value) {
        if (value.isEmpty()) {
            node.remove(key);
        } else {
            node.put(key, value);
        }
    }

    private static void flag(ObjectNode node, String key, boolean value) {
        if (value) {
            node.put(key, true);
        } else {
            node.remove(key);
        }
    }

    /** A whole number as a JSON number; anything else as text, for the parser to refuse with its own words. */
    private static void number(ObjectNode node, String key, String value) {
        String v = value.trim();
        if (NUMBER.matcher(v).matches()) {
            node.put(key, Long.parseLong(v));
        } else {
            node.put(key, v);
        }
    }

    private static void strings(ObjectNode node, String key, List<String> values) {
        if (values.isEmpty()) {
            node.remove(key);
        } else {
            ArrayNode array = node.putArray(key);
            values.forEach(array::add);
        }
    }

    private static void removeIfEmpty(ObjectNode parent, String key) {
        JsonNode child = parent.get(key);
        if (child != null && child.isObject() && child.isEmpty()) {
            parent.remove(key);
        }
    }
}
