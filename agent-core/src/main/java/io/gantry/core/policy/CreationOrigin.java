package io.gantry.core.policy;

import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;

/**
 * Which path asked for a container and what it asked for — {@code desired state} and the activity, {@code descriptor
 * file} and the file, {@code ditto} or {@code cli} and the container's name — so that a refusal of the rules can be
 * recorded where it is decided ({@link Admission}, whose listener reads {@link #current()}) with where it came from.
 * Set around the admission check by each path with {@link #during}; the outermost one set on a thread wins, so a path
 * that goes through another's code (the dashboard through the container commands) keeps its own name.
 *
 * <p>Threading: held per thread, only while {@link #during} runs.
 */
public record CreationOrigin(String path, String subject) {

    public static final String DESIRED_STATE = "desired state";
    public static final String DESCRIPTOR_FILE = "descriptor file";
    public static final String DITTO = "ditto";
    public static final String CLI = "cli";
    /** What a refusal says when no path set its origin. */
    public static final CreationOrigin UNKNOWN = new CreationOrigin("unknown", "?");

    private static final ThreadLocal<CreationOrigin> CURRENT = new ThreadLocal<>();

    public CreationOrigin {
        if (path == null || path.isBlank() || subject == null || subject.isBlank()) {
            throw new IllegalArgumentException("an origin needs a path and a subject");
        }
    }

    /** Runs {@code task} with this origin set on the calling thread (unless an outer one is set already). */
    public <T> T during(Supplier<T> task) {
        Objects.requireNonNull(task, "task");
        if (CURRENT.get() != null) {
            return task.get();
        }
        CURRENT.set(this);
        try {
            return task.get();
        } finally {
            CURRENT.remove();
        }
    }

    /** As {@link #during(Supplier)}, for a task without a result. */
    public void during(Runnable task) {
        during(() -> {
            task.run();
            return null;
        });
    }

    /** The origin set on this thread, if any. */
    public static Optional<CreationOrigin> current() {
        return Optional.ofNullable(CURRENT.get());
    }
}
