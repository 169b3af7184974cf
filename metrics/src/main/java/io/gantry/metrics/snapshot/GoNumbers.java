package io.gantry.metrics.snapshot;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Prints doubles as Go does, so that Gantry's JSON is byte-compatible with Kanto's (reference/kanto-things.md §3.4):
 * the shortest decimal that reads back as the same double, plain below 1e21 (an integral value has no decimal point
 * and no exponent: {@code 10371616768}), with an exponent otherwise ({@code 1e+21}, {@code 1e-7}).
 */
public final class GoNumbers {

    private static final double EXACT_INTEGERS = 0x1p53;

    private GoNumbers() {
    }

    /** {@code encoding/json}'s form of a float64. */
    public static String format(double value) {
        requireFinite(value);
        if (value == 0) {
            return "0"; // Go prints -0 as "-0"; Gantry never produces a negative zero, so plain 0 is right
        }
        if (value == Math.rint(value) && Math.abs(value) < EXACT_INTEGERS) {
            return Long.toString((long) value);
        }
        double abs = Math.abs(value);
        Digits d = shortest(abs);
        String sign = value < 0 ? "-" : "";
        if (abs < 1e-6 || abs >= 1e21) {
            String e = d.exponential();
            // encoding/json shortens a one-digit negative exponent: e-07 becomes e-7
            int n = e.length();
            if (n >= 4 && e.charAt(n - 4) == 'e' && e.charAt(n - 3) == '-' && e.charAt(n - 2) == '0') {
                e = e.substring(0, n - 2) + e.charAt(n - 1);
            }
            return sign + e;
        }
        return sign + d.plain();
    }

    /** {@code fmt}'s {@code %v} of a float64 ({@code strconv.FormatFloat(v, 'g', -1, 64)}): 1e+06, 0.5, 1.5e-05. */
    public static String formatG(double value) {
        if (Double.isNaN(value)) {
            return "NaN";
        }
        if (Double.isInfinite(value)) {
            return value > 0 ? "+Inf" : "-Inf";
        }
        if (value == 0) {
            return "0";
        }
        Digits d = shortest(Math.abs(value));
        String sign = value < 0 ? "-" : "";
        int exp = d.pointPosition - 1;
        return sign + (exp < -4 || exp >= 6 ? d.exponential() : d.plain());
    }

    private static void requireFinite(double value) {
        if (Double.isNaN(value) || Double.isInfinite(value)) {
            throw new IllegalArgumentException("JSON has no form for " + value);
        }
    }

    /**
     * The shortest decimal that reads back as {@code value} (positive and finite); of two such decimals with the
     * same number of digits, the one nearer the exact value. More digits never hurt, so the length is searched.
     */
    static Digits shortest(double value) {
        BigDecimal exact = new BigDecimal(value);
        int low = 1;
        int high = 17; // 17 significant digits always read back
        BigDecimal best = nearestReadingBack(exact, value, high);
        while (low < high) {
            int mid = (low + high) >>> 1;
            BigDecimal candidate = nearestReadingBack(exact, value, mid);
            if (candidate != null) {
                best = candidate;
                high = mid;
            } else {
                low = mid + 1;
            }
        }
        if (best == null) {
            throw new IllegalStateException("no decimal reads back as " + value);
        }
        BigDecimal stripped = best.stripTrailingZeros();
        String digits = stripped.unscaledValue().toString();
        return new Digits(digits, digits.length() - stripped.scale());
    }

    private static BigDecimal nearestReadingBack(BigDecimal exact, double value, int precision) {
        BigDecimal down = exact.round(new MathContext(precision, RoundingMode.FLOOR));
        BigDecimal up = exact.round(new MathContext(precision, RoundingMode.CEILING));
        boolean downOk = down.doubleValue() == value;
        boolean upOk = up.doubleValue() == value;
        if (downOk && upOk) {
            return exact.subtract(down).compareTo(up.subtract(exact)) <= 0 ? down : up;
        }
        return downOk ? down : upOk ? up : null;
    }

    /** A positive decimal {@code 0.<digits> × 10^pointPosition}, without trailing zeros. */
    record Digits(String digits, int pointPosition) {

        /** {@code strconv}'s {@code 'f'} format with the shortest precision. */
        String plain() {
            if (pointPosition <= 0) {
                return "0." + "0".repeat(-pointPosition) + digits;
            }
            if (pointPosition >= digits.length()) {
                return digits + "0".repeat(pointPosition - digits.length());
            }
            return digits.substring(0, pointPosition) + "." + digits.substring(pointPosition);
        }

        /** {@code strconv}'s {@code 'e'} format with the shortest precision: {@code 1.5e+07}, {@code 1e-07}. */
        String exponential() {
            StringBuilder out = new StringBuilder().append(digits.charAt(0));
            if (digits.length() > 1) {
                out.append('.').append(digits, 1, digits.length());
            }
            int exp = pointPosition - 1;
            out.append('e').append(exp < 0 ? '-' : '+');
            int abs = Math.abs(exp);
            if (abs < 10) {
                out.append('0');
            }
            return out.append(abs).toString();
        }
    }
}
