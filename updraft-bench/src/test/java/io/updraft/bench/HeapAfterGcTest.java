package io.updraft.bench;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import org.junit.jupiter.api.Test;

/**
 * Reading {@code jcmd GC.heap_info} of each collector, and this JVM's own measured from outside.
 */
class HeapAfterGcTest {
  @Test
  void readsG1sHeapLine() throws Exception {
    String g1 =
        """
        12345:
         garbage-first heap   total 262144K, used 18234K [0x00000000f0000000, 0x0000000100000000)
          region size 1024K, 3 young (3072K), 0 survivors (0K)
         Metaspace       used 21000K, committed 21504K, reserved 1114112K
        """;
    assertThat(HeapAfterGc.parseUsedKb(g1)).isEqualTo(18234);
    String jdk25 =
        """
        18969:
        garbage-first heap   total reserved 6172672K, committed 28672K, used 6533K [0x0000000687400000)
         region size 4096K, 1 young (4096K), 0 survivors (0K)
        """;
    assertThat(HeapAfterGc.parseUsedKb(jdk25)).isEqualTo(6533);
  }

  @Test
  void addsTheSerialCollectorsGenerationsButNotMetaspace() throws Exception {
    String serial =
        """
        12345:
         def new generation   total 9792K, used 1000K [0x00000000f0000000)
          eden space 8704K,  11% used
         tenured generation   total 21888K, used 5000K [0x00000000f0000000)
         Metaspace       used 21000K, committed 21504K, reserved 1114112K
        """;
    assertThat(HeapAfterGc.parseUsedKb(serial)).isEqualTo(6000);
  }

  @Test
  void saysSoWhenThereIsNoHeapFigure() {
    assertThatThrownBy(() -> HeapAfterGc.parseUsedKb("12345:\nAttach failed"))
        .isInstanceOf(IOException.class)
        .hasMessageContaining("no heap figure");
  }

  @Test
  void measuresALiveJvmAndItsCpuTime() throws Exception {
    long pid = ProcessHandle.current().pid();
    assertThat(HeapAfterGc.usedMb(pid)).isBetween(0.5, 8192.0);
    assertThat(ProcStatus.cpuSeconds(pid)).isPositive();
  }
}
