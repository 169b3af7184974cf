package io.gantry.core.container;

import io.gantry.config.ByteSize;
import java.math.BigDecimal;
import java.util.Objects;
import java.util.Optional;

/**
 * Resource limits. {@code memorySwap} is memory plus swap; empty means the engine default (twice the memory, as
 * Kanto also does); {@code unlimitedSwap} is Kanto's {@code -1}. The validation rules and messages are Kanto's
 * (reference/kanto-cua.md §2.3), except that Docker's minimum memory is 6M rather than containerd's 3M.
 */
public record Resources(Optional<ByteSize> memory, Optional<ByteSize> memoryReservation, Optional<ByteSize> memorySwap,
                        boolean unlimitedSwap, Optional<BigDecimal> cpus, Optional<Gpus> gpus) {

    public static final Resources NONE = new Resources(Optional.empty(), Optional.empty(), Optional.empty(), false,
            Optional.empty(), Optional.empty());
    public static final ByteSize MINIMUM_MEMORY = ByteSize.ofMebibytes(6);
    private static final BigDecimal MAX_CPUS = BigDecimal.valueOf(1024);

    public Resources {
        Objects.requireNonNull(memory, "memory");
        Objects.requireNonNull(memoryReservation, "memoryReservation");
        Objects.requireNonNull(memorySwap, "memorySwap");
        Objects.requireNonNull(cpus, "cpus");
        Objects.requireNonNull(gpus, "gpus");
        if (memory.isPresent() && memory.get().compareTo(MINIMUM_MEMORY) < 0) {
            throw new IllegalArgumentException("minimum memory allowed is " + MINIMUM_MEMORY);
        }
        if (memoryReservation.isPresent() && memoryReservation.get().compareTo(MINIMUM_MEMORY) < 0) {
            // Docker's rule too: the engine refuses a smaller reservation at create.
            throw new IllegalArgumentException("minimum memory reservation allowed is " + MINIMUM_MEMORY);
        }
        if (memory.isPresent() && memoryReservation.isPresent() && memoryReservation.get().compareTo(memory.get()) > 0) {
            throw new IllegalArgumentException("reservation memory - " + memoryReservation.get()
                    + " must be lower than memory - " + memory.get());
        }
        if (unlimitedSwap && memorySwap.isPresent()) {
            throw new IllegalArgumentException("swap memory cannot be both unlimited and " + memorySwap.get());
        }
        if (memorySwap.isPresent()) {
            if (memory.isEmpty()) {
                throw new IllegalArgumentException("swap memory - " + memorySwap.get() + ", memory must be set as well");
            }
            if (memorySwap.get().compareTo(memory.get()) < 0) {
                throw new IllegalArgumentException("swap memory - " + memorySwap.get() + " is less than memory - "
                        + memory.get());
            }
        }
        if (cpus.isPresent()) {
            BigDecimal c = cpus.get().stripTrailingZeros();
            if (c.signum() <= 0 || c.compareTo(MAX_CPUS) > 0 || c.scale() > 3) {
                throw new IllegalArgumentException("cpus " + cpus.get().toPlainString()
                        + " must be a number from 0.001 to 1024 with at most 3 decimals");
            }
            cpus = Optional.of(c.scale() < 0 ? c.setScale(0) : c);
        }
    }

    public static Resources memory(ByteSize memory) {
        return NONE.withMemory(Optional.of(memory), Optional.empty(), Optional.empty(), false);
    }

    public Resources withMemory(Optional<ByteSize> newMemory, Optional<ByteSize> newReservation,
                                Optional<ByteSize> newSwap, boolean newUnlimitedSwap) {
        return new Resources(newMemory, newReservation, newSwap, newUnlimitedSwap, cpus, gpus);
    }

    public Resources withCpus(Optional<BigDecimal> newCpus) {
        return new Resources(memory, memoryReservation, memorySwap, unlimitedSwap, newCpus, gpus);
    }

    public Resources withGpus(Optional<Gpus> newGpus) {
        return new Resources(memory, memoryReservation, memorySwap, unlimitedSwap, cpus, newGpus);
    }

    /** Reads a CPU count as typed: {@code 1.5}, {@code 0.25}. */
    public static BigDecimal parseCpus(String text) {
        try {
            return new BigDecimal(text.trim());
        } catch (NumberFormatException | NullPointerException e) {
            throw new IllegalArgumentException("invalid cpus \"" + text + "\": expected a decimal number such as 1.5");
        }
    }

    /** The swap limit in bytes as Docker takes it: 0 for the default, -1 for unlimited. */
    public long memorySwapBytes() {
        return unlimitedSwap ? -1 : memorySwap.map(ByteSize::bytes).orElse(0L);
    }

    /** The parts {@code docker update} can change on a live container (Kanto's update-in-place set, plus CPUs). */
    public Resources updatablePart() {
        return new Resources(memory, memoryReservation, memorySwap, unlimitedSwap, cpus, Optional.empty());
    }
}
