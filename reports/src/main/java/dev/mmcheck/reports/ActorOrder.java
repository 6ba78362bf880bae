package dev.mmcheck.reports;

import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.TreeSet;

/**
 * The order of actor columns: threads ({@code T0}, {@code T1}, ...) first, then CPUs
 * ({@code CPU0}, ...), then everything else; within each group in natural order, so that
 * {@code T2} comes before {@code T10}.
 */
public final class ActorOrder implements Comparator<String> {
    public static final ActorOrder INSTANCE = new ActorOrder();

    private ActorOrder() {
    }

    /** The distinct names of {@code actors}, sorted. */
    public static List<String> sorted(Collection<String> actors) {
        TreeSet<String> set = new TreeSet<>(INSTANCE);
        set.addAll(actors);
        return List.copyOf(set);
    }

    @Override
    public int compare(String a, String b) {
        int ga = group(a);
        int gb = group(b);
        if (ga != gb) {
            return Integer.compare(ga, gb);
        }
        return natural(a, b);
    }

    private static int group(String actor) {
        if (actor.length() >= 2 && actor.charAt(0) == 'T' && Character.isDigit(actor.charAt(1))) {
            return 0;
        }
        if (actor.startsWith("CPU")) {
            return 1;
        }
        return 2;
    }

    /** Compares digit runs by numeric value and everything else by character. */
    static int natural(String a, String b) {
        int i = 0;
        int j = 0;
        while (i < a.length() && j < b.length()) {
            char ca = a.charAt(i);
            char cb = b.charAt(j);
            if (Character.isDigit(ca) && Character.isDigit(cb)) {
                int ei = i;
                while (ei < a.length() && Character.isDigit(a.charAt(ei))) {
                    ei++;
                }
                int ej = j;
                while (ej < b.length() && Character.isDigit(b.charAt(ej))) {
                    ej++;
                }
                String na = strip(a.substring(i, ei));
                String nb = strip(b.substring(j, ej));
                int c = na.length() != nb.length() ? Integer.compare(na.length(), nb.length()) : na.compareTo(nb);
                if (c != 0) {
                    return c;
                }
                i = ei;
                j = ej;
            } else {
                if (ca != cb) {
                    return Character.compare(ca, cb);
                }
                i++;
                j++;
            }
        }
        int c = Integer.compare(a.length() - i, b.length() - j);
        // Equal under the natural order but different strings ("T01" vs "T1"): still a total order.
        return c != 0 ? c : a.compareTo(b);
    }

    private static String strip(String digits) {
        int k = 0;
        while (k < digits.length() - 1 && digits.charAt(k) == '0') {
            k++;
        }
        return digits.substring(k);
    }
}
