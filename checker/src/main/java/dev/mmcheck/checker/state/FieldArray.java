package dev.mmcheck.checker.state;

/** A fixed-length array of fields with one range, e.g. one PTE per virtual page. */
public final class FieldArray {
    private final String name;
    private final Field[] elements;

    FieldArray(String name, Field[] elements) {
        this.name = name;
        this.elements = elements;
    }

    public int get(long[] state, int index) {
        return elements[index].get(state);
    }

    public void set(long[] state, int index, int value) {
        elements[index].set(state, value);
    }

    public Field element(int index) {
        return elements[index];
    }

    public int length() {
        return elements.length;
    }

    public String name() {
        return name;
    }

    public int min() {
        return elements.length == 0 ? 0 : elements[0].min();
    }

    public int max() {
        return elements.length == 0 ? 0 : elements[0].max();
    }
}
