package dev.mmcheck.reports;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

class ActorOrderTest {
    @Test
    void threadsThenCpusThenOthersInNaturalOrder() {
        assertEquals(List.of("T1", "T2", "T10", "CPU0", "CPU2", "CPU11", "A", "Phil2", "Phil10", "hw", "reclaim"),
                ActorOrder.sorted(List.of("CPU11", "reclaim", "T10", "hw", "T2", "CPU0", "Phil10", "T1", "A", "CPU2", "Phil2", "T1")));
    }

    @Test
    void namesThatOnlyLookAlikeStayDistinct() {
        // "Thread" is not a numbered thread; "T01" and "T1" are equal numbers but different names.
        assertEquals(List.of("T01", "T1", "Thread", "Tx"), ActorOrder.sorted(List.of("Tx", "Thread", "T1", "T01")));
    }
}
