package io.gantry.core.policy;

import io.gantry.config.PolicyConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ForwardingEngine;
import io.gantry.core.container.ImageRef;
import io.gantry.core.container.PullEvent;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine as the agent's components and the CLI see it: {@link #admit} runs the {@link Admission} check and
 * remembers the reference it pinned the image to, which {@link #imagePresent}, {@link #pull} and {@link #create} then
 * use, so that the container is created from the digest that was verified even if the tag moves meanwhile. A
 * {@link #create} without an earlier admit runs the check itself, so that a container is never created against the
 * rules in force even by a path that forgot to ask. Everything else passes through.
 */
public final class AdmittingEngine extends ForwardingEngine {

    /** More distinct images than a gateway runs; the oldest pin is forgotten first (it is found again by admit). */
    private static final int MAX_PINS = 256;

    private final Admission admission;
    private final Map<ImageRef, ImageRef> pins = Collections.synchronizedMap(new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<ImageRef, ImageRef> eldest) {
            return size() > MAX_PINS;
        }
    });

    /** {@code delegate} checked against the sections {@code policy} and {@code trust} supply at each check. */
    public static AdmittingEngine of(ContainerEngine delegate, Supplier<PolicyConfig> policy,
                                     Supplier<TrustConfig> trust, Consumer<ContainerRefusedException> refused) {
        return new AdmittingEngine(delegate, new Admission(policy, trust, delegate::imageFacts, refused));
    }

    public AdmittingEngine(ContainerEngine delegate, Admission admission) {
        super(delegate);
        this.admission = Objects.requireNonNull(admission, "admission");
    }

    @Override
    public void admit(ContainerSpec spec) {
        pin(spec.image(), admission.check(spec));
    }

    private void pin(ImageRef image, Optional<ImageRef> pinned) {
        if (pinned.isPresent()) {
            pins.put(image, pinned.get());
        } else {
            pins.remove(image);
        }
    }

    private ImageRef pinned(ImageRef image) {
        return pins.getOrDefault(image, image);
    }

    @Override
    public boolean imagePresent(ImageRef image) {
        return super.imagePresent(pinned(image));
    }

    @Override
    public void pull(ImageRef image, Consumer<PullEvent> progress) {
        super.pull(pinned(image), progress);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        ImageRef pinned = pins.get(spec.image());
        if (pinned == null) {
            admit(spec);
            pinned = pins.get(spec.image());
        } else {
            // Checked again by the content it will run, which needs no registry: the tag is not resolved twice.
            admission.check(spec.toBuilder().image(pinned).build());
        }
        if (pinned == null) {
            return super.create(spec, gantryLabels);
        }
        Map<String, String> labels = new HashMap<>(gantryLabels);
        labels.put(ContainerSpec.PINNED_IMAGE_LABEL, pinned.canonical());
        return super.create(spec, labels);
    }
}
