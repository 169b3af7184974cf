package io.gantry.core.container;

/** GPUs requested from the NVIDIA runtime: all of them, or a count (Docker's {@code --gpus}, Kura's {@code gpus}). */
public record Gpus(int count) {

    public static final Gpus ALL = new Gpus(-1);

    public Gpus {
        if (count == 0 || count < -1) {
            throw new IllegalArgumentException("a GPU count must be at least 1 (or \"all\")");
        }
    }

    public static Gpus parse(String text) {
        String t = text == null ? "" : text.trim();
        if (t.equalsIgnoreCase("all")) {
            return ALL;
        }
        if (t.matches("\\d{1,4}") && Integer.parseInt(t) > 0) {
            return new Gpus(Integer.parseInt(t));
        }
        throw new IllegalArgumentException("invalid gpus \"" + text + "\": expected \"all\" or a count of at least 1");
    }

    public boolean all() {
        return count == -1;
    }

    @Override
    public String toString() {
        return all() ? "all" : Integer.toString(count);
    }
}
