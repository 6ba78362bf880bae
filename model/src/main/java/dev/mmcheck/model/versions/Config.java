package dev.mmcheck.model.versions;

/**
 * A kernel configuration axis, separate from the release: some behaviours exist only when an
 * option is set. The default configuration is x86-64 with none of these.
 */
public enum Config {
    /**
     * CONFIG_PARAVIRT (x86): from v4.19 to v6.13 only kernels with it free page tables through
     * tlb_remove_table ({@link Feature#RCU_TABLE_FREE}); in v4.14-v4.18 and from v6.14 every
     * x86-64 kernel does.
     */
    PARAVIRT("paravirt");

    private final String label;

    Config(String label) {
        this.label = label;
    }

    /** Lower case, as variant names carry it: {@code v4.14-paravirt}. */
    public String label() {
        return label;
    }
}
