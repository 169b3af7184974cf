package io.gantry.core.policy;

import io.gantry.config.PolicyConfig;
import io.gantry.config.TrustConfig;
import io.gantry.core.container.ContainerEngine;
import io.gantry.core.container.ContainerId;
import io.gantry.core.container.ContainerSpec;
import io.gantry.core.container.ForwardingEngine;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * The engine as the agent's components and the CLI see it: {@link #admit} runs the {@link Admission} check, and
 * {@link #create} runs it again just before the engine call, so that a container is never created against the rules in
 * force even by a path that forgot to ask (it would then have pulled first). Everything else passes through.
 */
public final class AdmittingEngine extends ForwardingEngine {

    private final Admission admission;

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
        admission.check(spec);
    }

    @Override
    public ContainerId create(ContainerSpec spec, Map<String, String> gantryLabels) {
        admission.check(spec);
        return super.create(spec, gantryLabels);
    }
}
