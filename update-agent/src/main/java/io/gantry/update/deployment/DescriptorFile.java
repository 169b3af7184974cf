package io.gantry.update.deployment;

import com.fasterxml.jackson.databind.JsonNode;
import io.gantry.core.container.ContainerName;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ImageRef;
import io.gantry.kanto.json.ContainerConfigMapper;
import io.gantry.kanto.json.ContainerDescriptorMapper;
import io.gantry.kanto.json.DescriptorException;
import io.gantry.kanto.json.JsonInput;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;
import java.util.Optional;

/**
 * One descriptor file as read: its name, a digest of its content, and either the container it describes or why it
 * cannot be used ({@code problem}, naming the JSON path and the expected form).
 *
 * <p>A file is in one of two forms (docs/descriptors.md), told apart by their image key: Kanto's container descriptor
 * ({@code "image": {"name": …}}, reference/kanto-cua.md §6.2) or the arguments of Kanto's {@code createWithConfig}
 * ({@code "imageRef": …}, reference/kanto-things.md §3.1). A file that names no container is named after itself
 * ({@code web.json} deploys {@code web}), so that it stays the same container across restarts.
 */
public record DescriptorFile(String name, String digest, Optional<Descriptor> descriptor, String problem) {

    private static final String SUFFIX = ".json";
    /**
     * Gantry's top-level key for Kura's "Enabled": {@code false} keeps the file (and the container's definition) but
     * removes its container; absent is {@code true}. Kanto ignores it, as it ignores every unknown key.
     */
    public static final String ENABLED = "enabled";

    /** The two forms of a descriptor file. */
    public enum Format {
        KANTO("Kanto container descriptor"),
        CREATE_WITH_CONFIG("createWithConfig arguments");

        private final String description;

        Format(String description) {
            this.description = description;
        }

        public String description() {
            return description;
        }
    }

    /**
     * The container a valid file describes; {@code start} false creates it without starting it, {@code enabled} false
     * (Kura's "Enabled = false") keeps the definition in the file but no container on the engine.
     */
    public record Descriptor(ContainerName container, ContainerSpec spec, boolean start, boolean enabled,
                             Format format) {

        public Descriptor {
            Objects.requireNonNull(container, "container");
            Objects.requireNonNull(spec, "spec");
            Objects.requireNonNull(format, "format");
            if (!spec.name().equals(Optional.of(container))) {
                throw new IllegalArgumentException("the spec names another container than " + container);
            }
        }
    }

    public DescriptorFile {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(digest, "digest");
        Objects.requireNonNull(descriptor, "descriptor");
        Objects.requireNonNull(problem, "problem");
        if (descriptor.isPresent() == !problem.isEmpty()) {
            throw new IllegalArgumentException("a descriptor file is either valid or has a problem: " + name);
        }
    }

    /**
     * The most a descriptor file may hold; a larger one is not read at all. Four times what a spec may weigh
     * ({@link ContainerSpec#MAX_WEIGHT}), for JSON's quotes, keys and indentation.
     */
    public static final int MAX_BYTES = (int) (4 * ContainerSpec.MAX_WEIGHT);

    /** True for the names of the files a deployment reads: {@code *.json}, not hidden (editors' temporary files). */
    public static boolean isDescriptorName(String fileName) {
        return fileName.endsWith(SUFFIX) && fileName.length() > SUFFIX.length() && !fileName.startsWith(".");
    }

    /** A file that could not be read at all. */
    public static DescriptorFile unreadable(String fileName, String reason) {
        return new DescriptorFile(fileName, "unreadable: " + reason, Optional.empty(), "cannot be read: " + reason);
    }

    /** Reads the content of file {@code fileName}; never throws on bad content. */
    public static DescriptorFile parse(String fileName, byte[] content) {
        String digest = digest(content);
        try {
            return new DescriptorFile(fileName, digest, Optional.of(descriptor(fileName, content)), "");
        } catch (IllegalArgumentException e) {
            // DescriptorException names the JSON path; any other refusal of a value is reported as it is.
            return new DescriptorFile(fileName, digest, Optional.empty(), String.valueOf(e.getMessage()));
        }
    }

    public boolean valid() {
        return descriptor.isPresent();
    }

    private static Descriptor descriptor(String fileName, byte[] content) {
        JsonNode root = JsonInput.read(content);
        if (root == null || root.isMissingNode()) {
            throw new DescriptorException(DescriptorException.Kind.WRONG_TYPE, "", "the file is empty", null);
        }
        JsonInput input = JsonInput.of(root, "");
        if (!root.isObject()) {
            throw input.wrongType("a JSON object");
        }
        boolean kanto = !input.field("image").isAbsent() || !input.field("container_name").isAbsent();
        boolean createArgs = !input.field("imageRef").isAbsent();
        if (kanto && createArgs) {
            throw input.invalid("has both imageRef (createWithConfig arguments) and image or container_name (Kanto's"
                    + " container descriptor); use one form");
        }
        if (createArgs) {
            return createWithConfig(fileName, input);
        }
        if (kanto) {
            return kanto(fileName, root);
        }
        throw input.invalid("expected a Kanto container descriptor ({\"image\": {\"name\": \"<image>\"}, …}) or"
                + " createWithConfig arguments ({\"imageRef\": \"<image>\", \"config\": {…}})");
    }

    /** Kanto's descriptor (§6.2); a missing {@code container_name} is the file's name, not a random id. */
    private static Descriptor kanto(String fileName, JsonNode root) {
        ContainerSpec spec = ContainerDescriptorMapper.fromJson(root);
        ContainerName container = spec.name().orElseGet(() -> fromFileName(fileName, "container_name"));
        boolean enabled = JsonInput.of(root, "").field(ENABLED).bool(true);
        return new Descriptor(container, spec.withName(container), true, enabled, Format.KANTO);
    }

    /**
     * {@code {"imageRef", "name", "config", "start"}} as {@code createWithConfig} takes them; {@code start} defaults
     * to true here, because a deployed container is meant to run.
     */
    private static Descriptor createWithConfig(String fileName, JsonInput args) {
        JsonInput imageRef = args.field("imageRef");
        String image = imageRef.string("");
        if (image.isBlank()) {
            throw imageRef.invalid("must be set (an image reference such as docker.io/library/nginx:1.25)");
        }
        JsonInput nameField = args.field("name");
        String name = nameField.string("");
        ContainerName container = name.isEmpty() ? fromFileName(fileName, "name")
                : nameField.build(() -> new ContainerName(name));
        ContainerSpec.Builder spec = ContainerSpec.builder(imageRef.build(() -> ImageRef.parse(image)))
                .name(container);
        ContainerConfigMapper.fromJson(args.field("config"), spec);
        boolean start = args.field("start").bool(true);
        boolean enabled = args.field(ENABLED).bool(true);
        return new Descriptor(container, args.build(spec::build), start, enabled, Format.CREATE_WITH_CONFIG);
    }

    private static ContainerName fromFileName(String fileName, String nameKey) {
        String base = fileName.endsWith(SUFFIX) ? fileName.substring(0, fileName.length() - SUFFIX.length())
                : fileName;
        if (!ContainerName.isValid(base)) {
            throw new DescriptorException(DescriptorException.Kind.INVALID_VALUE, nameKey, "not set, and the file"
                    + " name \"" + base + "\" is not a valid container name (letters, digits, _ . -, not starting"
                    + " with . or -); set " + nameKey, null);
        }
        return new ContainerName(base);
    }

    static String digest(byte[] content) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this Java runtime", e);
        }
    }
}
