package io.gantry.core.container;

import java.util.Locale;
import java.util.Objects;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * An image reference, read the way Docker reads one: {@code [registry/]repository[:tag][@digest]}.
 *
 * <p>{@code text} keeps what the operator typed (it is what the twin and the inventory show, as Kanto shows the
 * image name as given); equality uses the normalised parts, so {@code nginx} equals
 * {@code docker.io/library/nginx:latest}. An image id ({@code sha256:<hex>}) is also a valid reference.
 */
public final class ImageRef {

    public static final String DEFAULT_REGISTRY = "docker.io";
    public static final String DEFAULT_TAG = "latest";
    private static final String LEGACY_REGISTRY = "index.docker.io";
    private static final int MAX_NAME_LENGTH = 255;

    private static final Pattern COMPONENT = Pattern.compile("[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*");
    private static final Pattern TAG = Pattern.compile("[\\w][\\w.-]{0,127}");
    private static final Pattern DIGEST = Pattern.compile("[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-fA-F0-9]{32,}");
    private static final Pattern IMAGE_ID = Pattern.compile("(?:sha256:)?[a-f0-9]{64}");
    private static final Pattern REGISTRY = Pattern.compile(
            "(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?(?:\\.[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)*|\\[[0-9a-fA-F:.]+])(?::[0-9]+)?");

    private final String text;
    private final String registry;
    private final String repository;
    private final String tag;
    private final String digest;

    private ImageRef(String text, String registry, String repository, String tag, String digest) {
        this.text = text;
        this.registry = registry;
        this.repository = repository;
        this.tag = tag;
        this.digest = digest;
    }

    /**
     * Reads an image reference.
     *
     * @throws IllegalArgumentException naming the reference and what is wrong with it
     */
    public static ImageRef parse(String text) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException("the image reference is empty");
        }
        String s = text.trim();
        if (IMAGE_ID.matcher(s).matches()) {
            String hex = s.startsWith("sha256:") ? s : "sha256:" + s;
            return new ImageRef(s, "", "", "", hex);
        }
        String rest = s;
        String digest = "";
        int at = rest.indexOf('@');
        if (at >= 0) {
            digest = rest.substring(at + 1);
            rest = rest.substring(0, at);
            if (!DIGEST.matcher(digest).matches() || !digestLengthFits(digest)) {
                throw invalid(text, "the digest \"" + digest + "\" is not of the form sha256:<64 hex digits>");
            }
        }
        String tag = "";
        int lastSlash = rest.lastIndexOf('/');
        int colon = rest.lastIndexOf(':');
        if (colon > lastSlash) {
            tag = rest.substring(colon + 1);
            rest = rest.substring(0, colon);
            if (!TAG.matcher(tag).matches()) {
                throw invalid(text, "the tag \"" + tag + "\" is not valid");
            }
        }
        String registry = DEFAULT_REGISTRY;
        String path = rest;
        int slash = rest.indexOf('/');
        if (slash > 0) {
            String first = rest.substring(0, slash);
            // Docker's rule (distribution/reference normalize.go): the first component is a registry only if it
            // has a dot or a port, or is "localhost"; otherwise it is part of the repository path.
            if (first.contains(".") || first.contains(":") || first.equals("localhost") || first.startsWith("[")) {
                if (!REGISTRY.matcher(first).matches()) {
                    throw invalid(text, "the registry \"" + first + "\" is not a host[:port]");
                }
                registry = first;
                path = rest.substring(slash + 1);
            }
        }
        if (path.isEmpty()) {
            throw invalid(text, "the repository name is empty");
        }
        if (registry.equalsIgnoreCase(LEGACY_REGISTRY)) {
            // Docker normalises the old Hub host to docker.io (distribution/reference normalize.go).
            registry = DEFAULT_REGISTRY;
        }
        if (registry.length() + 1 + path.length() > MAX_NAME_LENGTH) {
            throw invalid(text, "the name is longer than " + MAX_NAME_LENGTH + " characters");
        }
        for (String component : path.split("/", -1)) {
            if (!COMPONENT.matcher(component).matches()) {
                throw invalid(text, "the repository \"" + path
                        + "\" must be lower-case letters, digits and separators (. _ -)");
            }
        }
        if (registry.equals(DEFAULT_REGISTRY) && !path.contains("/")) {
            path = "library/" + path;
        }
        if (tag.isEmpty() && digest.isEmpty()) {
            tag = DEFAULT_TAG;
        }
        return new ImageRef(s, registry.toLowerCase(Locale.ROOT), path, tag, digest);
    }

    /** A digest of a known algorithm must have that algorithm's length (go-digest's Validate). */
    private static boolean digestLengthFits(String digest) {
        int colon = digest.indexOf(':');
        int hex = digest.length() - colon - 1;
        return switch (digest.substring(0, colon)) {
            case "sha256" -> hex == 64;
            case "sha384" -> hex == 96;
            case "sha512" -> hex == 128;
            default -> true;
        };
    }

    private static IllegalArgumentException invalid(String text, String why) {
        return new IllegalArgumentException("invalid image reference \"" + text + "\": " + why);
    }

    /** What the operator typed, trimmed. */
    public String text() {
        return text;
    }

    /** The registry host[:port]; {@code docker.io} when none was given; empty for an image id. */
    public String registry() {
        return registry;
    }

    /** The repository path, with Docker Hub's implicit {@code library/}; empty for an image id. */
    public String repository() {
        return repository;
    }

    public Optional<String> tag() {
        return tag.isEmpty() ? Optional.empty() : Optional.of(tag);
    }

    public Optional<String> digest() {
        return digest.isEmpty() ? Optional.empty() : Optional.of(digest);
    }

    public boolean isImageId() {
        return repository.isEmpty();
    }

    /** The fully qualified form, e.g. {@code docker.io/library/nginx:latest}. */
    public String canonical() {
        if (isImageId()) {
            return digest;
        }
        StringBuilder out = new StringBuilder(registry).append('/').append(repository);
        if (!tag.isEmpty()) {
            out.append(':').append(tag);
        }
        if (!digest.isEmpty()) {
            out.append('@').append(digest);
        }
        return out.toString();
    }

    /** The name without tag or digest, as given to Docker's pull API ({@code fromImage}). */
    public String name() {
        return isImageId() ? digest : registry + "/" + repository;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ImageRef other && canonical().equals(other.canonical());
    }

    @Override
    public int hashCode() {
        return Objects.hash(canonical());
    }

    @Override
    public String toString() {
        return text;
    }
}
